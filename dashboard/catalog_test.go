package dashboard

import (
	"io/fs"
	"regexp"
	"testing"
)

// TestCatalog: both languages have the same keys with the same verbs.
func TestCatalog(t *testing.T) {
	verb := regexp.MustCompile(`%[dsv%]`)
	for k, vi := range catalog["vi"] {
		en, ok := catalog["en"][k]
		if !ok {
			t.Errorf("key %q missing in en", k)
			continue
		}
		if a, b := verb.FindAllString(vi, -1), verb.FindAllString(en, -1); len(a) != len(b) {
			t.Errorf("key %q: verbs %v in vi, %v in en", k, a, b)
		}
	}
	for k := range catalog["en"] {
		if _, ok := catalog["vi"][k]; !ok {
			t.Errorf("key %q missing in vi", k)
		}
	}
}

// TestCatalog_Templates: every text a template asks for is in the catalog.
func TestCatalog_Templates(t *testing.T) {
	use := regexp.MustCompile(`\{\{t \$?[.\w]* "(\w+)"`)
	names, err := fs.Glob(assets, "assets/*.html")
	if err != nil || len(names) == 0 {
		t.Fatalf("templates: %v", err)
	}
	found := 0
	for _, n := range names {
		b, err := fs.ReadFile(assets, n)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range use.FindAllStringSubmatch(string(b), -1) {
			found++
			if _, ok := catalog["vi"][m[1]]; !ok {
				t.Errorf("%s uses %q, not in the catalog", n, m[1])
			}
		}
	}
	if found < 50 {
		t.Fatalf("found %d texts in the templates: the pattern no longer matches them", found)
	}
}
