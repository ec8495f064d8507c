package apiclient

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

var indentCases = []string{
	`{}`, `[]`, `{ }`, ` [ ] `, `null`, `true`, `false`, `0`, `-1.5e+10`, `"x"`,
	`"a \"quoted\" \\ back\\\\slash \u00e9 é"`, `"ends with backslash \\"`,
	`{"a":1}`, `{"a":[1,2,{"b":null}],"c":{}}`, `[[],[[]],{},{"x":[]}]`,
	"  \t\r\n{\"a\" : 1 ,\n \"b\" :\t[ true , false ] }  \n",
	"1 ", "\"s\"\n", "[1]\t\r\n ",
	`{"k:,{}[]":"v:,{}[]","":""}`,
	`[1e5,-0,0.25,12345678901234567890,1E-7,2e+3,-0.0e0]`,
	`["\u00E9\uD83D\ude00\ud800", "\/\b\f\n\r\t", "\u12"]`, `"\x"`, "\"\xff\xfe\"",
	`01`, `-`, `1.`, `1e`, `.5`, `+1`, `tru`, `truex`, `nulll`, `[1 2]`, `{"a" 1}`, `{1:2}`, `{"a":1,}`, `["a":1]`, `[}`, `{]`,
	benchBody,
}

func TestAppendIndentedJSONMatchesIndent(t *testing.T) {
	for _, in := range indentCases {
		checkIndentLikeStdlib(t, []byte(in))
	}
}

func TestAppendIndentedJSONRejectsInvalid(t *testing.T) {
	for _, in := range []string{``, ` `, `{`, `[1,]`, `01`, `1.`, `-`, `"\u12"`, `truex`, `{"a":1,}`, `{"a"}`, `"unterminated`, `1 2`, `{} {}`, `nul`, `'a'`, "\"a\x01\""} {
		dst := []byte("keep")
		out, ok := appendIndentedJSON(dst, []byte(in))
		if ok || string(out) != "keep" {
			t.Errorf("appendIndentedJSON(%q) = %q, %v; want dst unchanged, false", in, out, ok)
		}
	}
}

func TestAppendIndentedJSONDeep(t *testing.T) {
	in := strings.Repeat(`{"a":[`, 200) + `1` + strings.Repeat(`]}`, 200)
	checkIndentLikeStdlib(t, []byte(in))
	// The nesting limit is encoding/json's (json.Valid is cheap at that depth;
	// the indented form is not: 190 MB), and it counts empty innermost
	// containers too, as encoding/json's scanner does (checked at a small
	// limit).
	for _, n := range []int{maxJSONDepth, maxJSONDepth + 1} {
		if got := json.Valid([]byte(strings.Repeat("[", n) + strings.Repeat("]", n))); got != (n <= maxJSONDepth) {
			t.Errorf("json.Valid at depth %d = %v: maxJSONDepth is not encoding/json's limit", n, got)
		}
	}
	const limit = 5
	for n := limit - 1; n <= limit+1; n++ {
		for _, in := range []string{
			strings.Repeat("[", n) + strings.Repeat("]", n),
			strings.Repeat(`{"a":`, n-1) + "{}" + strings.Repeat("}", n-1),
			strings.Repeat(`[1,`, n) + "2" + strings.Repeat("]", n),
		} {
			p := indenter{src: []byte(in), maxDepth: limit}
			if ok := p.run(); ok != (n <= limit) {
				t.Errorf("%s with limit %d: valid = %v", in, limit, ok)
			}
		}
	}
}

func checkIndentLikeStdlib(t *testing.T, in []byte) {
	t.Helper()
	var want bytes.Buffer
	wantErr := json.Indent(&want, in, "", "  ")
	got, ok := appendIndentedJSON([]byte("pre"), in)
	if ok != (wantErr == nil) {
		t.Fatalf("%q: valid = %v, json.Indent error = %v", in, ok, wantErr)
	}
	if !ok {
		if string(got) != "pre" {
			t.Fatalf("%q: invalid input changed dst to %q", in, got)
		}
		return
	}
	if string(got) != "pre"+want.String() {
		t.Fatalf("%q:\n got %q\nwant %q", in, got[3:], want.String())
	}
}

func FuzzAppendIndentedJSON(f *testing.F) {
	for _, in := range indentCases {
		f.Add([]byte(in))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		checkIndentLikeStdlib(t, in)
	})
}

func BenchmarkIndentJSON(b *testing.B) {
	src := []byte(benchBody)
	b.Run("stdlib", func(b *testing.B) {
		var out bytes.Buffer
		for b.Loop() {
			out.Reset()
			if !json.Valid(src) || json.Indent(&out, src, "", "  ") != nil {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("appendIndentedJSON", func(b *testing.B) {
		var out []byte
		for b.Loop() {
			var ok bool
			if out, ok = appendIndentedJSON(out[:0], src); !ok {
				b.Fatal("invalid")
			}
		}
	})
}
