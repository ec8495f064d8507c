package origin

import (
	"reflect"
	"testing"
)

func TestParseAndString(t *testing.T) {
	for raw, want := range map[string]string{
		"https://Login.Example.com/x":      "https://login.example.com",
		"https://login.example.com:443":    "https://login.example.com",
		"https://login.example.com:8443/a": "https://login.example.com:8443",
		"http://127.0.0.1:9999/":           "http://127.0.0.1:9999",
		"http://[::1]:80/cb":               "http://[::1]",
	} {
		o, ok := Parse(raw)
		if !ok || o.String() != want {
			t.Errorf("Parse(%q) = %v %q, want %q", raw, ok, o.String(), want)
		}
	}
	for _, raw := range []string{"", "/relative", "example.com/x", "://x"} {
		if _, ok := Parse(raw); ok {
			t.Errorf("Parse(%q) ok, want not absolute", raw)
		}
	}
	a, _ := Parse("https://h/")
	b, _ := Parse("https://h:443/x")
	c, _ := Parse("http://h/")
	if a != b || a == c {
		t.Errorf("origin equality: %v %v %v", a, b, c)
	}
}

func TestForeign(t *testing.T) {
	trusted := []string{"https://accounts.google.com", "https://oauth2.googleapis.com/token"}
	got := Foreign(trusted, []Endpoint{
		{Name: "token endpoint", URL: "https://oauth2.googleapis.com/token"},
		{Name: "JWKS URL", URL: "https://evil.example/jwks"},
		{Name: "userinfo endpoint", URL: ""},
		{Name: "revocation endpoint", URL: "https://accounts.google.com:8443/revoke"},
		{Name: "introspection endpoint", URL: "http://accounts.google.com/i"},
		{Name: "end-session endpoint", URL: "https://EVIL.example/logout"},
	})
	want := []Endpoint{
		{Name: "JWKS URL", URL: "https://evil.example/jwks", Origin: "https://evil.example"},
		{Name: "revocation endpoint", URL: "https://accounts.google.com:8443/revoke", Origin: "https://accounts.google.com:8443"},
		{Name: "introspection endpoint", URL: "http://accounts.google.com/i", Origin: "http://accounts.google.com"},
		{Name: "end-session endpoint", URL: "https://EVIL.example/logout", Origin: "https://evil.example"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Foreign =\n%v\nwant\n%v", got, want)
	}
	if h := Hosts(got); !reflect.DeepEqual(h, []string{"https://evil.example", "https://accounts.google.com:8443", "http://accounts.google.com"}) {
		t.Errorf("Hosts = %v", h)
	}
}
