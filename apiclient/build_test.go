package apiclient

import (
	"context"
	"errors"
	"io"
	"strings"
	"testing"
)

func TestBuildMergesParamsAndDropsFragment(t *testing.T) {
	spec := Spec{
		Method: " post ",
		URL:    "https://api.example.com/v1/items?x=1&y=a%20b#section",
		Params: []KV{
			{Key: "q", Value: "d&e=f", Enabled: true},
			{Key: "off", Value: "1", Enabled: false},
			{Key: "", Value: "nokey", Enabled: true},
			{Key: "ünï", Value: "ç ð", Enabled: true},
		},
	}
	req, err := Build(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	want := "https://api.example.com/v1/items?x=1&y=a%20b&q=d%26e%3Df&%C3%BCn%C3%AF=%C3%A7+%C3%B0"
	if req.Method != "POST" || req.URL.String() != want {
		t.Errorf("got %s %s\nwant %s", req.Method, req.URL, want)
	}
	for _, u := range []string{"https://h/p", "https://h/p?", "https://h/p?a=1&"} {
		req, err := Build(context.Background(), Spec{URL: u, Params: []KV{{Key: "k", Value: "v", Enabled: true}}})
		if err != nil {
			t.Fatal(err)
		}
		if got := req.URL.RawQuery; got != "k=v" && got != "a=1&k=v" {
			t.Errorf("%s → query %q", u, got)
		}
	}
}

func TestBuildBodiesAndContentType(t *testing.T) {
	for _, tc := range []struct {
		name     string
		spec     Spec
		ct, body string
	}{
		{"none", Spec{Body: "ignored"}, "", ""},
		{"json", Spec{BodyType: BodyJSON, Body: `{"a": [1, 2]}`}, "application/json", `{"a": [1, 2]}`},
		{"text", Spec{BodyType: "TEXT", Body: "hi\n"}, "text/plain; charset=utf-8", "hi\n"},
		{"form", Spec{BodyType: BodyForm, Form: []KV{{Key: "a b", Value: "1&2", Enabled: true}, {Key: "x", Value: "y"}, {Key: "c", Value: "", Enabled: true}}},
			"application/x-www-form-urlencoded", "a+b=1%262&c="},
		{"user content type wins", Spec{BodyType: BodyJSON, Body: `{}`, Headers: []KV{{Key: "content-type", Value: "application/vnd.api+json", Enabled: true}}},
			"application/vnd.api+json", `{}`},
		{"disabled user content type ignored", Spec{BodyType: BodyJSON, Body: `{}`, Headers: []KV{{Key: "Content-Type", Value: "x/y"}}},
			"application/json", `{}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.URL = "https://h/"
			req, err := Build(context.Background(), tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			if got := req.Header.Get("Content-Type"); got != tc.ct {
				t.Errorf("Content-Type %q, want %q", got, tc.ct)
			}
			var body string
			if req.Body != nil {
				b, _ := io.ReadAll(req.Body)
				body = string(b)
				if req.ContentLength != int64(len(body)) || req.GetBody == nil {
					t.Errorf("ContentLength %d, GetBody set %v", req.ContentLength, req.GetBody != nil)
				}
			}
			if body != tc.body {
				t.Errorf("body %q, want %q", body, tc.body)
			}
		})
	}
}

func TestBuildHeaders(t *testing.T) {
	spec := Spec{URL: "https://h/", Headers: []KV{
		{Key: "X-A", Value: "1", Enabled: true},
		{Key: "x-a", Value: "2", Enabled: true},
		{Key: "Host", Value: "virtual.example", Enabled: true},
		{Key: "X-Off", Value: "no"},
	}}
	req, err := Build(context.Background(), spec)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(req.Header.Values("X-A"), ","); got != "1,2" {
		t.Errorf("X-A = %q", got)
	}
	if req.Host != "virtual.example" || req.Header.Get("X-Off") != "" || req.Header.Get("Authorization") != "" {
		t.Errorf("host %q headers %v", req.Host, req.Header)
	}
}

func TestBuildRejects(t *testing.T) {
	for _, tc := range []struct {
		name, field string
		spec        Spec
	}{
		{"empty url", "url", Spec{}},
		{"relative", "url", Spec{URL: "/api/me"}},
		{"no host", "url", Spec{URL: "https:///path"}},
		{"no scheme host", "url", Spec{URL: "api.example.com/me"}},
		{"ftp", "url", Spec{URL: "ftp://example.com/"}},
		{"javascript", "url", Spec{URL: "javascript:alert(1)"}},
		{"bad escape", "url", Spec{URL: "https://h/%zz"}},
		{"method with space", "method", Spec{Method: "GET /x", URL: "https://h/"}},
		{"header injection", "headers", Spec{URL: "https://h/", Headers: []KV{{Key: "X-A", Value: "1\r\nX-B: 2", Enabled: true}}}},
		{"bad header name", "headers", Spec{URL: "https://h/", Headers: []KV{{Key: "X A", Value: "1", Enabled: true}}}},
		{"bad host", "headers", Spec{URL: "https://h/", Headers: []KV{{Key: "Host", Value: "a/b", Enabled: true}}}},
		{"unknown body type", "bodyType", Spec{URL: "https://h/", BodyType: "xml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Build(context.Background(), tc.spec)
			var se *SpecError
			if !errors.As(err, &se) || se.Field != tc.field {
				t.Fatalf("err = %v, want SpecError on %s", err, tc.field)
			}
			if se.Msg == "" {
				t.Error("empty message")
			}
		})
	}
}

func TestBuildURLErrorsMaskSecrets(t *testing.T) {
	_, err := Build(context.Background(), Spec{URL: "ftp://h/?access_token=AT-SECRET"})
	if err == nil || strings.Contains(err.Error(), "AT-SECRET") {
		t.Errorf("err = %v", err)
	}
	_, err = Build(context.Background(), Spec{URL: "https://h/%zz?code=CODE-SECRET"})
	if err == nil || strings.Contains(err.Error(), "CODE-SECRET") {
		t.Errorf("err = %v", err)
	}
}

func TestBuildJSONErrors(t *testing.T) {
	for _, tc := range []struct {
		body      string
		line, col int
	}{
		{"{\n  \"a\": 1,\n  \"b\": }", 3, 8},
		{`{"a" 1}`, 1, 6},
		{"[1, 2,\n\n  ]", 3, 3},
		{`{"é": "ü", x}`, 1, 12},
		{`{"a": 1`, 1, 8},
		{"   ", 1, 1},
		{`{"a":1} trailing`, 1, 9},
	} {
		_, err := Build(context.Background(), Spec{URL: "https://h/", BodyType: BodyJSON, Body: tc.body})
		var je *JSONBodyError
		if !errors.As(err, &je) {
			t.Errorf("%q: err = %v", tc.body, err)
			continue
		}
		if je.Line != tc.line || je.Column != tc.col {
			t.Errorf("%q: line %d col %d, want %d:%d (%v)", tc.body, je.Line, je.Column, tc.line, tc.col, err)
		}
		if !strings.Contains(err.Error(), "line") || !strings.Contains(err.Error(), "column") {
			t.Errorf("message lacks position: %v", err)
		}
	}
}

// The URL is parsed once, by NewRequest: escapes as typed survive, an empty
// port is dropped from the host, and parse errors are still a SpecError on
// the url field with the URL masked.
func TestBuildParsesURLOnce(t *testing.T) {
	req, err := Build(context.Background(), Spec{URL: "https://api.example.com:/a%2Fb/c%20d?x=%41#frag"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := req.URL.String(), "https://api.example.com/a%2Fb/c%20d?x=%41"; got != want {
		t.Errorf("URL = %s, want %s", got, want)
	}
	if req.Host != "api.example.com" || req.URL.RawPath != "/a%2Fb/c%20d" {
		t.Errorf("Host %q RawPath %q", req.Host, req.URL.RawPath)
	}
	_, err = Build(context.Background(), Spec{URL: "https://h/%zz?access_token=AT-SECRET"})
	var se *SpecError
	if !errors.As(err, &se) || se.Field != "url" || se.Msg != "not a valid URL" || strings.Contains(err.Error(), "AT-SECRET") {
		t.Errorf("err = %v", err)
	}
}
