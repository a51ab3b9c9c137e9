package llm

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	openai "github.com/sashabaranov/go-openai"
	"github.com/sashabaranov/go-openai/jsonschema"
)

// nullable returns def as "def or null": strict structured output wants
// every field present, so an absent value is sent as null.
func nullable(def jsonschema.Definition) jsonschema.Definition {
	desc := def.Description
	def.Description = ""
	return jsonschema.Definition{
		Description: desc,
		AnyOf:       []jsonschema.Definition{def, {Type: jsonschema.Null}},
	}
}

// withEnum returns def restricted to values.
func withEnum(def jsonschema.Definition, values []string) jsonschema.Definition {
	def.Enum = values
	return def
}

// jsonFormat returns a strict json_schema response format for def.
func jsonFormat(name string, def *jsonschema.Definition) (*openai.ChatCompletionResponseFormat, error) {
	raw, err := schemaJSON(def)
	if err != nil {
		return nil, err
	}
	return &openai.ChatCompletionResponseFormat{
		Type: openai.ChatCompletionResponseFormatTypeJSONSchema,
		JSONSchema: &openai.ChatCompletionResponseFormatJSONSchema{
			Name:   name,
			Schema: raw,
			Strict: true,
		},
	}, nil
}

// schemaJSON encodes def. jsonschema.Definition.MarshalJSON adds an empty
// "properties" to every node it encodes, strings and $refs included; strict
// servers may object, so those are removed.
func schemaJSON(def *jsonschema.Definition) (json.RawMessage, error) {
	b, err := json.Marshal(def)
	if err != nil {
		return nil, fmt.Errorf("encode schema: %w", err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, fmt.Errorf("encode schema: %w", err)
	}
	pruneProperties(v)
	b, err = json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode schema: %w", err)
	}
	return b, nil
}

func pruneProperties(v any) {
	switch n := v.(type) {
	case map[string]any:
		if p, ok := n["properties"].(map[string]any); ok && len(p) == 0 && n["type"] != "object" {
			delete(n, "properties")
		}
		for _, c := range n {
			pruneProperties(c)
		}
	case []any:
		for _, c := range n {
			pruneProperties(c)
		}
	}
}

// decodeAnswer checks text against def and decodes it into v. A JSON
// object wrapped in a Markdown code fence (which models that ignore
// response_format like to send) is accepted.
func decodeAnswer(text string, def *jsonschema.Definition, v any) error {
	text = stripFence(text)
	if err := def.Unmarshal(text, v); err != nil {
		return fmt.Errorf("does not match the schema: %w", err)
	}
	return nil
}

func stripFence(s string) string {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "```") {
		return s
	}
	s = strings.TrimPrefix(s, "```")
	i := strings.IndexByte(s, '\n')
	if i < 0 {
		return s
	}
	s = strings.TrimSpace(s[i+1:])
	return strings.TrimSpace(strings.TrimSuffix(s, "```"))
}

// cleanText trims s and turns control characters (newlines included) into
// spaces, so that a model's string can be shown in a message as one line.
func cleanText(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}

// truncate cuts s to at most n runes.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// fence neutralises the markers that delimit data in a prompt, so that text
// cannot close its fence and pose as instructions.
func fence(s string) string {
	s = strings.ReplaceAll(s, "<<<", "‹‹‹")
	return strings.ReplaceAll(s, ">>>", "›››")
}
