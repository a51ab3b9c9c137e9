package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// cliTexts are the command line's messages to the secretariat, in
// committee.language (Vietnamese first). A key ending in _one is used in
// English for a count of one, its _other twin otherwise (see cliCount).
// Usage lines and flag help stay in English, as command lines write them.
var cliTexts = map[string]map[string]string{
	"vi": {
		"written":             "%s: đã ghi",
		"imported":            "%s: thêm mới %d, cập nhật %d, không đổi %d nhiệm vụ; %s",
		"import_dry":          "%s: hợp lệ (chạy thử): sẽ thêm mới %d, cập nhật %d, không đổi %d nhiệm vụ; %s; chưa ghi gì",
		"import_refused":      "steerbot import: %s; không nhập gì",
		"imported_indicators": "; chỉ tiêu: thêm mới %d, cập nhật %d, không đổi %d; %d số liệu",
		"new_units_one":       "%d đơn vị mới",
		"new_units_other":     "%d đơn vị mới",
		"problems_one":        "%d lỗi",
		"problems_other":      "%d lỗi",
		"no_folder":           "thư mục %s không tồn tại: hãy tạo thư mục trước hoặc chọn chỗ khác",
		"not_folder":          "%s không phải là thư mục",
		"demo_wrote":          "Đã ghi vào %s: %s",
		"demo_no_chromium":    "Không có Chromium trên máy: bỏ qua ảnh chụp bảng điều khiển (cài bằng apt-get install chromium).",
		"demo_shots_failed":   "Không chụp được bảng điều khiển: %v",
	},
	"en": {
		"written":             "%s: written",
		"imported":            "%s: %d created, %d updated, %d unchanged; %s",
		"import_dry":          "%s: ok (dry run): %d to create, %d to update, %d unchanged; %s; nothing written",
		"import_refused":      "steerbot import: %s; nothing was imported",
		"imported_indicators": "; indicators: %d created, %d updated, %d unchanged, %d values",
		"new_units_one":       "%d new unit",
		"new_units_other":     "%d new units",
		"problems_one":        "%d problem",
		"problems_other":      "%d problems",
		"no_folder":           "the folder %s does not exist: create it first or choose another place",
		"not_folder":          "%s is not a folder",
		"demo_wrote":          "Written to %s: %s",
		"demo_no_chromium":    "No Chromium on this machine: the dashboard's screenshots are skipped (install it with apt-get install chromium).",
		"demo_shots_failed":   "The dashboard's screenshots failed: %v",
	},
}

// cliText returns the message key in lang ("en", anything else is
// Vietnamese), formatted with args.
func cliText(lang, key string, args ...any) string {
	if lang != "en" {
		lang = "vi"
	}
	f, ok := cliTexts[lang][key]
	if !ok {
		f = cliTexts["vi"][key]
	}
	return fmt.Sprintf(f, args...)
}

// cliCount returns the message key with the count n, in the plural form n
// takes in lang.
func cliCount(lang, key string, n int) string {
	if lang == "en" && n == 1 {
		return cliText(lang, key+"_one", n)
	}
	return cliText(lang, key+"_other", n)
}

// writeOutput writes a file the user asked for, whole or not at all. A
// folder that does not exist is said plainly, and no error names the
// temporary file it is written through.
func writeOutput(lang, path string, data []byte) error {
	if err := checkFolder(lang, path); err != nil {
		return err
	}
	if err := writeFileAtomic(path, data); err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return fmt.Errorf("%s: %w", path, pe.Err)
		}
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// checkFolder says plainly when the folder a file is to be written in does
// not exist or is not a folder.
func checkFolder(lang, path string) error {
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New(cliText(lang, "no_folder", dir))
	case err == nil && !fi.IsDir():
		return errors.New(cliText(lang, "not_folder", dir))
	}
	return nil
}
