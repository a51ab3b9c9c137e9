package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// decodeConfig decodes data into cfg strictly. It returns the index of the
// document's keys and yaml.v3's decoding messages ("line N: ..."); a nil
// index means the YAML could not be read at all, and the messages are then
// the problems.
func decodeConfig(data []byte, cfg *Config) (idx *cfgKeyIndex, messages []string) {
	defer func() {
		// yaml.v3 recovers its own errors; anything else is a parser bug that
		// must not take the command line down.
		if r := recover(); r != nil {
			idx, messages = nil, []string{cfgOneLine(fmt.Sprintf("bad YAML: parser failure: %v", r))}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	switch err := dec.Decode(&root); {
	case errors.Is(err, io.EOF):
		return newCfgKeyIndex(nil), nil // empty document: the defaults
	case err != nil:
		return nil, []string{cfgYAMLMessage(err)}
	}
	if err := dec.Decode(new(yaml.Node)); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, []string{cfgYAMLMessage(err)}
		}
		return nil, []string{"the file holds more than one YAML document (a second ---)"}
	}
	idx = newCfgKeyIndex(&root)
	strict := yaml.NewDecoder(bytes.NewReader(data))
	strict.KnownFields(true)
	if err := strict.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			return nil, []string{cfgYAMLMessage(err)}
		}
		messages = te.Errors
	}
	return idx, messages
}

// cfgYAMLMessage is err's text without yaml's prefix, on one line.
func cfgYAMLMessage(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	return "bad YAML: " + strings.Join(strings.Fields(s), " ")
}

// problem can name its key and line.
type cfgKeyIndex struct {
	entries []cfgKeyEntry
	byPath  map[string]int // path -> first entry
}

type cfgKeyEntry struct {
	path    string // "members[2].unit"; "" for the document itself
	name    string // the key; "" for a list item or the document
	keyLine int
	val     *yaml.Node
}

func newCfgKeyIndex(root *yaml.Node) *cfgKeyIndex {
	ix := &cfgKeyIndex{byPath: make(map[string]int)}
	if root != nil && root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		ix.add(cfgKeyEntry{keyLine: root.Content[0].Line, val: root.Content[0]})
		ix.walk(root.Content[0], "")
	}
	return ix
}

func (ix *cfgKeyIndex) add(e cfgKeyEntry) {
	if _, ok := ix.byPath[e.path]; !ok {
		ix.byPath[e.path] = len(ix.entries)
	}
	ix.entries = append(ix.entries, e)
}

func (ix *cfgKeyIndex) walk(n *yaml.Node, path string) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := cfgKeyName(k.Value)
			if path != "" {
				p = path + "." + p
			}
			ix.add(cfgKeyEntry{path: p, name: k.Value, keyLine: k.Line, val: v})
			ix.walk(v, p)
		}
	case yaml.SequenceNode:
		for i, v := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			ix.add(cfgKeyEntry{path: p, keyLine: v.Line, val: v})
			ix.walk(v, p)
		}
	}
}

// cfgKeyName is k as a path element: quoted unless it is a plain word.
func cfgKeyName(k string) string {
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return strconv.Quote(k)
		}
	}
	if k == "" {
		return `""`
	}
	return k
}

// line returns the line of key in the file, or of the list item it belongs
// to when the key itself is absent ("members[2]" for "members[2].unit"), or 0.
func (ix *cfgKeyIndex) line(key string) int {
	if i, ok := ix.byPath[key]; ok {
		return ix.entries[i].keyLine
	}
	if dot := strings.LastIndexByte(key, '.'); dot > 0 && key[dot-1] == ']' {
		if i, ok := ix.byPath[key[:dot]]; ok {
			return ix.entries[i].keyLine
		}
	}
	return 0
}

// translate rewrites one of yaml.v3's "line N: ..." decoding messages as a
// problem naming its key.
func (ix *cfgKeyIndex) translate(msg string) cfgProblem {
	rest, ok := strings.CutPrefix(msg, "line ")
	if !ok {
		return cfgProblem{text: cfgOneLine(msg)}
	}
	num, rest, ok := strings.Cut(rest, ": ")
	line, err := strconv.Atoi(num)
	if !ok || err != nil {
		return cfgProblem{text: cfgOneLine(msg)}
	}
	at := func(format string, args ...any) cfgProblem {
		return cfgProblem{line, fmt.Sprintf(format, args...) + fmt.Sprintf(" (line %d)", line)}
	}
	if name, typ, ok := cfgCutAround(rest, "field ", " not found in type "); ok {
		if e := ix.find(func(e cfgKeyEntry) bool { return e.keyLine == line && e.name == name }); e != nil {
			return at("%s: unknown key; known keys here: %s", cfgDisplayPath(e.path), strings.Join(cfgKnownKeys(typ), ", "))
		}
	}
	if quoted, first, ok := cfgCutAround(rest, "mapping key ", " already defined at line "); ok {
		name, err := strconv.Unquote(quoted)
		e := ix.find(func(e cfgKeyEntry) bool { return e.keyLine == line && e.name == name })
		if err == nil && e != nil {
			return at("%s: set twice, first at line %s", cfgDisplayPath(e.path), first)
		}
	}
	if name, _, ok := cfgCutAround(rest, "field ", " already set in type "); ok {
		if e := ix.find(func(e cfgKeyEntry) bool { return e.keyLine == line && e.name == name }); e != nil {
			return at("%s: set twice", cfgDisplayPath(e.path))
		}
	}
	if what, typ, ok := cfgCutAround(rest, "cannot unmarshal ", " into "); ok {
		tag, value, quoted := strings.Cut(what, " `")
		value = strings.TrimSuffix(value, "`")
		prefix, truncated := strings.CutSuffix(value, "...")
		e := ix.find(func(e cfgKeyEntry) bool {
			if e.val.Line != line || e.val.ShortTag() != tag {
				return false
			}
			if !quoted {
				return e.val.Kind != yaml.ScalarNode
			}
			return e.val.Value == value || truncated && strings.HasPrefix(e.val.Value, prefix)
		})
		path := "(unknown key)"
		if e != nil {
			path = cfgDisplayPath(e.path)
		}
		return at("%s: want %s, got %s", path, cfgDescribeType(typ), cfgDescribeValue(tag, value, quoted))
	}
	return at("%s", cfgOneLine(rest))
}

func (ix *cfgKeyIndex) find(match func(cfgKeyEntry) bool) *cfgKeyEntry {
	for i := range ix.entries {
		if match(ix.entries[i]) {
			return &ix.entries[i]
		}
	}
	return nil
}

// cfgCutAround splits "<before>A<mid>B" into A and B, at the last mid (the
// type named after it never holds mid, the value before it may).
func cfgCutAround(s, before, mid string) (a, b string, ok bool) {
	s, ok = strings.CutPrefix(s, before)
	i := strings.LastIndex(s, mid)
	if !ok || i < 0 {
		return "", "", false
	}
	return s[:i], s[i+len(mid):], true
}

func cfgOneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func cfgDisplayPath(p string) string {
	if p == "" {
		return "(top level)"
	}
	return p
}

// cfgDescribeValue renders a YAML value for a problem.
func cfgDescribeValue(tag, value string, hasValue bool) string {
	switch {
	case tag == "!!seq":
		return "a list"
	case tag == "!!map":
		return "a mapping"
	case !hasValue:
		return tag
	case tag == "!!str":
		return strconv.Quote(value)
	case tag == "!!int" || tag == "!!float" || tag == "!!bool":
		return value
	}
	return tag + " " + strconv.Quote(value)
}

// cfgDescribeType names what a Go type of the config wants, for a problem.
func cfgDescribeType(typ string) string {
	switch {
	case typ == "int" || typ == "int64":
		return "a whole number"
	case typ == "float64":
		return "a number"
	case typ == "bool":
		return "true or false"
	case typ == "string":
		return "text"
	case typ == fmt.Sprintf("%T", Duration{}):
		return "a duration such as 24h or 20s"
	case strings.HasPrefix(typ, "[]"):
		return "a list"
	case len(cfgKnownKeys(typ)) > 0:
		return "a mapping of keys"
	}
	return typ
}

// cfgKnownKeys returns the YAML keys of the config's struct type named typ
// ("main.TelegramConfig").
func cfgKnownKeys(typ string) []string {
	var keys []string
	seen := make(map[reflect.Type]bool)
	var visit func(t reflect.Type)
	visit = func(t reflect.Type) {
		for t.Kind() == reflect.Slice || t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return
		}
		seen[t] = true
		for f := range t.Fields() {
			tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
			if !f.IsExported() || tag == "-" || tag == "" {
				continue
			}
			if t.String() == typ {
				keys = append(keys, tag)
			}
			visit(f.Type)
		}
	}
	visit(reflect.TypeFor[Config]())
	return keys
}
