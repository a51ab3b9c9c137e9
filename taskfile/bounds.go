package taskfile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"steerbot/tasks"
)

// Limits on a workbook, checked before excelize unpacks anything, so that a
// zip bomb is refused from its directory and a sheet of millions of cells
// or one enormous text is refused while streaming, in little memory.
const (
	// MaxUnzipped is the most a workbook may unpack to: twice MaxSize. A
	// plan of MaxRows tasks unpacks to well under it.
	MaxUnzipped = 2 * MaxSize
	// MaxCells is the most cells a file may hold: MaxRows rows of 20
	// columns.
	MaxCells = 1_000_000
	// MaxTexts is the most distinct texts (shared strings) a workbook may
	// hold: two per row of MaxRows rows. Excelize reads every one of them
	// (some 20 µs each) before the first cell.
	MaxTexts = 100_000
	// MaxCell is the longest cell, in characters: Excel's own limit.
	MaxCell = 32767
	// maxCellBytes is MaxCell as bytes of XML text: UTF-8 and escapes.
	maxCellBytes = 8 * MaxCell
	// maxEntries is the most files a workbook's zip may hold.
	maxEntries = 10000
)

// oleMagic begins an OLE compound file: an encrypted workbook or an .xls.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// tooBig is the error for a file over one of the whole-file limits.
func tooBig(key, msg string, args ...any) error {
	return tasks.NewError(tasks.EINVALID, key, msg, args...)
}

// checkWorkbook refuses a workbook that would unpack beyond the limits:
// by the sizes its zip directory declares (archive/zip refuses to inflate
// an entry past its declared size), then by streaming its XML parts and
// counting cells and the length of each cell's text.
func checkWorkbook(data []byte) error {
	if bytes.HasPrefix(data, oleMagic) {
		// Excel saves a workbook with a password to open as an OLE
		// compound file holding the encrypted zip; an old .xls is one too.
		return tasks.NewError(tasks.EINVALID, "xlsx_encrypted",
			"the workbook is protected by a password or is an old .xls: save it as .xlsx without a password")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return tasks.NewError(tasks.EINVALID, "bad_xlsx", fmt.Sprintf("not a readable XLSX workbook: %v", err))
	}
	if len(zr.File) > maxEntries {
		return tooBig("xlsx_too_big", fmt.Sprintf("the workbook holds more than %d parts", maxEntries), maxEntries)
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > MaxUnzipped || total > MaxUnzipped {
			return unzippedTooBig()
		}
	}
	sc := xmlScan{}
	for _, f := range zr.File {
		name := strings.ToLower(f.Name)
		if !strings.HasSuffix(name, ".xml") || f.FileInfo().IsDir() {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return tasks.NewError(tasks.EINVALID, "bad_xlsx", fmt.Sprintf("not a readable XLSX workbook: %v", err))
		}
		err = sc.scan(rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

func unzippedTooBig() error {
	return tooBig("xlsx_too_big", fmt.Sprintf("the workbook unpacks to more than %d MiB", MaxUnzipped>>20), MaxUnzipped>>20)
}

// xmlScan counts the cells (<c>) and shared texts (<si>) of a workbook's
// XML parts and measures the text inside each, without building anything.
type xmlScan struct {
	cells int // <c> elements so far, over all parts
	texts int // <si> elements
}

// scan reads one XML part. It knows just enough XML for the purpose: a
// tag is what lies between < and >, text is the rest. A cell is measured
// from its start tag to its end tag, markup included, so that no mix of
// runs, CDATA or entities makes a long text look short.
func (sc *xmlScan) scan(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	var (
		pos       int    // bytes read before chunk
		inTag     bool   // between < and >
		tag       []byte // the start of the current tag, up to 16 bytes
		nodeStart int    // where the current tag or text began
		last      byte   // the tag's last byte before >
		cell      bool   // inside a <c> or <si>
		cellStart int
	)
	for {
		chunk, err := br.ReadSlice('>')
		for i := 0; i < len(chunk); {
			if !inTag {
				j := bytes.IndexByte(chunk[i:], '<')
				if j < 0 {
					break
				}
				i += j + 1
				inTag, tag, last, nodeStart = true, tag[:0], 0, pos+i
				continue
			}
			j := bytes.IndexByte(chunk[i:], '>')
			part := chunk[i:]
			if j >= 0 {
				part = chunk[i : i+j]
			}
			if n := min(len(part), 16-len(tag)); n > 0 {
				tag = append(tag, part[:n]...)
			}
			if len(part) > 0 {
				last = part[len(part)-1]
			}
			if j < 0 {
				break
			}
			i += j + 1
			inTag, nodeStart = false, pos+i
			name, end := tagName(tag)
			if name != "c" && name != "si" {
				continue
			}
			if end {
				cell = false
				continue
			}
			if name == "c" {
				sc.cells++
			} else {
				sc.texts++
			}
			if last != '/' { // not <c r="A1"/>
				cell, cellStart = true, pos+i
			}
			if sc.cells > MaxCells {
				return tooBig("too_many_cells", fmt.Sprintf("the task file has more than %d cells", MaxCells), MaxCells)
			}
			if sc.texts > MaxTexts {
				return tooBig("too_many_texts", fmt.Sprintf("the workbook has more than %d different texts", MaxTexts), MaxTexts)
			}
		}
		pos += len(chunk)
		if pos-nodeStart > maxCellBytes || (cell && pos-cellStart > maxCellBytes) {
			return cellTooLong()
		}
		if pos > MaxUnzipped {
			return unzippedTooBig()
		}
		switch {
		case err == nil, err == bufio.ErrBufferFull:
		case err == io.EOF:
			return nil
		default:
			return tasks.NewError(tasks.EINVALID, "bad_xlsx", fmt.Sprintf("not a readable XLSX workbook: %v", err))
		}
	}
}

// tagName returns the local name of a tag from its first bytes and whether
// it is an end tag.
func tagName(tag []byte) (name string, end bool) {
	if len(tag) > 0 && tag[0] == '/' {
		end, tag = true, tag[1:]
	}
	if i := bytes.IndexAny(tag, " \t\r\n/"); i >= 0 {
		tag = tag[:i]
	}
	if i := bytes.IndexByte(tag, ':'); i >= 0 {
		tag = tag[i+1:]
	}
	return string(tag), end
}

func cellTooLong() error {
	return tooBig("cell_too_long", fmt.Sprintf("a cell of the task file is longer than %d characters", MaxCell), MaxCell)
}
