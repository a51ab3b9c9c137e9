package tasks

import (
	"regexp"
	"strings"
)

// docRef matches a Vietnamese document number as officials write it, on
// folded text (see Fold): "123/BC-SNV", "7028/QĐ-UBND", "45/2023/NĐ-CP",
// "12/SNV-CCHC" — a number, an optional year, then the document's kind and
// issuer joined by hyphens. Dates ("15/11/2023") have no letters and never
// match.
var docRef = regexp.MustCompile(`(?:^|[^0-9a-z])([0-9]{1,6}(?:/[0-9]{4})?/[a-z]{1,10}(?:-[a-z0-9]{1,15})+)`)

// DocumentRefs returns the document numbers s cites ("Văn bản số
// 123/BC-SNV" gives "123/BC-SNV"), upper case and without diacritics
// ("7028/QĐ-UBND" gives "7028/QD-UBND"), in order; none for text that cites
// none.
func DocumentRefs(s string) []string {
	var out []string
	for _, m := range docRef.FindAllStringSubmatch(Fold(s), 20) {
		out = append(out, strings.ToUpper(m[1]))
	}
	return out
}

// HasDocumentRef reports whether s cites a document by its number: the
// evidence a done report may give instead of a file.
func HasDocumentRef(s string) bool { return docRef.MatchString(Fold(s)) }
