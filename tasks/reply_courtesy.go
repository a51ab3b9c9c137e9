package tasks

import "strings"

// courtesyWords are the words of a reply that only acknowledges or thanks,
// folded (no accents, lower case).
var courtesyWords = map[string]bool{
	"da": true, "vang": true, "em": true, "a": true, "nhan": true, "duoc": true,
	"roi": true, "xin": true, "tiep": true, "thu": true, "ro": true, "cam": true,
	"on": true, "ok": true, "oke": true, "okay": true, "thua": true, "anh": true,
	"chi": true, "dong": true, "lanh": true, "dao": true, "ban": true, "so": true,
	"chung": true, "toi": true, "xac": true, "thong": true, "tin": true,
	"noted": true, "received": true, "thanks": true, "thank": true, "you": true,
	"got": true, "it": true, "yes": true, "sir": true,
}

// IsCourtesy reports whether text is only an acknowledgement or thanks
// ("Dạ em nhận ạ", "Đã nhận, cảm ơn đồng chí", "ok"): short, and every word
// a word of courtesy. Such a reply is acknowledged and never sent to the
// assistant: there is nothing in it to read.
func IsCourtesy(text string) bool {
	if strings.ContainsAny(text, "0123456789") {
		return false
	}
	words := strings.FieldsFunc(Fold(text), func(r rune) bool {
		return r < 'a' || r > 'z'
	})
	if len(words) == 0 || len(words) > 12 {
		return false
	}
	for _, w := range words {
		if !courtesyWords[w] {
			return false
		}
	}
	return true
}
