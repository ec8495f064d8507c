package demo

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

func getPage(t *testing.T, u string) string {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	resp, err := noRedirectClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return string(b)
}

// loginPageFor starts an authorization request and returns the login page's
// response and HTML.
func loginPageFor(t *testing.T, s *Server, set map[string]string) (*http.Response, string) {
	t.Helper()
	resp := get(t, authorizeURL(s, "http://127.0.0.1:53111/callback", set))
	loc := resp.Header.Get("Location")
	if !strings.HasPrefix(loc, s.Issuer()+"/login?") {
		t.Fatalf("authorize did not send to login: %d %q", resp.StatusCode, loc)
	}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, loc, nil)
	page, err := noRedirectClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer page.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(page.Body, 1<<20))
	return page, string(b)
}

// TestLoginPageWithoutJavaScript checks the login page's HTML as served: no
// script, no inline styles, nothing external, a strict CSP, and a plain
// form with one radio per demo user. The page is saved to
// $PKCE_DESK_ARTIFACTS/demo-login.html when that variable is set, for the
// browser tests to look at.
func TestLoginPageWithoutJavaScript(t *testing.T) {
	s := startServer(t, Options{})
	resp, page := loginPageFor(t, s, nil)
	if resp.StatusCode != 200 {
		t.Fatalf("login page status %d", resp.StatusCode)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self' http://127.0.0.1:53111"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows scripts or inline code: %q", csp)
	}
	for h, want := range map[string]string{"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
		if resp.Header.Get(h) != want {
			t.Errorf("%s = %q, want %q", h, resp.Header.Get(h), want)
		}
	}
	if !strings.Contains(page, "You sign in in your browser — never in PKCE Desk.") {
		t.Error("login page lacks the line about where to sign in")
	}
	lower := strings.ToLower(page)
	for _, bad := range []string{"<script", "javascript:", " style=", "onclick", "onload", "https://", "http://cdn"} {
		if strings.Contains(lower, bad) {
			t.Errorf("login page contains %q", bad)
		}
	}

	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var forms, radios int
	var values []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Form:
				forms++
				if attrOf(n, "method") != "post" || attrOf(n, "action") != "/login" {
					t.Errorf("form method/action = %q %q", attrOf(n, "method"), attrOf(n, "action"))
				}
			case atom.Input:
				if attrOf(n, "type") == "radio" && attrOf(n, "name") == "user" {
					radios++
					values = append(values, attrOf(n, "value"))
				}
			case atom.Link:
				if attrOf(n, "href") != "/assets/demo.css" {
					t.Errorf("unexpected link %q", attrOf(n, "href"))
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if forms != 1 || radios != 2 || strings.Join(values, ",") != "alice,bob" {
		t.Errorf("forms=%d radios=%d values=%v, want one form with alice and bob", forms, radios, values)
	}
	css := getPage(t, s.Issuer()+"/assets/demo.css")
	if !strings.Contains(css, "prefers-color-scheme: dark") {
		t.Error("stylesheet has no dark variant")
	}
	if dir := os.Getenv("PKCE_DESK_ARTIFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		// Inline the stylesheet path stays relative; the file is for reading and
		// for a browser pointed at a running demo provider.
		if err := os.WriteFile(filepath.Join(dir, "demo-login.html"), []byte(page), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoginHintPreselects(t *testing.T) {
	s := startServer(t, Options{})
	_, page := loginPageFor(t, s, map[string]string{"login_hint": "bob@demo.pkce-desk.test"})
	if !checkedRadio(t, page, "bob") {
		t.Error("login_hint=bob's e-mail did not preselect bob")
	}
	_, page = loginPageFor(t, s, nil)
	if checkedRadio(t, page, "alice") || checkedRadio(t, page, "bob") {
		t.Error("without login_hint a user is preselected")
	}
}

func TestUnknownRequestIDShowsExpiredPage(t *testing.T) {
	s := startServer(t, Options{})
	page := getPage(t, s.Issuer()+"/login?id=nope")
	if !strings.Contains(page, "expired or is unknown") {
		t.Fatalf("page = %q", page)
	}
}

func checkedRadio(t *testing.T, page, value string) bool {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == atom.Input && attrOf(n, "value") == value {
			for _, a := range n.Attr {
				if a.Key == "checked" {
					found = true
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func TestFormActionSource(t *testing.T) {
	for in, want := range map[string]string{
		"http://127.0.0.1:53111/callback": "http://127.0.0.1:53111",
		"http://[::1]:53111/callback":     "http:",
		"":                                "",
	} {
		if got := formActionSource(in); got != want {
			t.Errorf("formActionSource(%q) = %q, want %q", in, got, want)
		}
	}
}
