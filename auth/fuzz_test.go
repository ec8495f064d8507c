package auth

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzParseCallback(f *testing.F) {
	for _, s := range []string{
		"code=abc&state=xyz",
		"code=abc&state=xyz&iss=https%3A%2F%2Fop.example",
		"error=access_denied&error_description=%3Cb%3Eno%3C%2Fb%3E&state=s",
		"state=a&state=b&code=c",
		"code=%zz",
		"",
		";;&&==",
		strings.Repeat("a=b&", 3000),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		p, ok := parseCallback(raw)
		if !ok {
			if p.State != "" || !p.Code.IsZero() {
				t.Fatal("rejected query left values behind")
			}
			return
		}
		if len(raw) > maxCallbackQuery {
			t.Fatal("over-long query accepted")
		}
		if p.Code.String() != "" && p.Code.String() != redacted {
			t.Fatal("code not redacted")
		}
		if p.Iss != "" && !p.HasIss {
			t.Fatal("iss value without HasIss")
		}
		d := cleanText(p.ErrorDescription, maxDescriptionRunes)
		if !utf8.ValidString(d) || strings.ContainsAny(d, "\x00\r\n\t") || utf8.RuneCountInString(d) > maxDescriptionRunes+1 {
			t.Fatalf("cleanText produced %q", d)
		}
	})
}

func FuzzDecodeJWT(f *testing.F) {
	for _, s := range []string{
		"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.sig",
		"eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.",
		"a.b.c",
		"..",
		"eyJ9.eyJ9.x",
		"not a jwt",
		"eyJhbGciOiJIUzI1NiJ9.bnVsbA.x",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		d, err := decodeJWT(raw)
		if err != nil {
			if d != nil {
				t.Fatal("value with error")
			}
			return
		}
		if d.Header == nil || d.Claims == nil {
			t.Fatal("nil maps on success")
		}
		if strings.Count(raw, ".") != 2 {
			t.Fatal("accepted a token without three parts")
		}
		_ = d.aud()
		_ = d.str("iss")
	})
}
