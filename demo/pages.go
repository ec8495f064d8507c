package demo

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

//go:embed templates/*.html templates/demo.css
var templateFS embed.FS

var pageTemplates = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// stylesheet is the one CSS file every page links; pages carry no inline
// style or script, so the CSP can forbid both.
var stylesheet = func() []byte {
	b, err := templateFS.ReadFile("templates/demo.css")
	if err != nil {
		panic(err)
	}
	return b
}()

const stylesheetPath = "/assets/demo.css"

// pageCSP is the Content-Security-Policy of every HTML page: nothing but our
// own stylesheet loads, no script runs, nothing may frame the page, and forms
// may post only to the provider itself — plus, through formTarget, the one
// client redirect origin a sign-in ends at (the browser checks form-action on
// the redirects after a form post).
func pageCSP(formTarget string) string {
	formAction := "'self'"
	if formTarget != "" {
		formAction += " " + formTarget
	}
	return "default-src 'none'; style-src 'self'; img-src 'self'; form-action " + formAction +
		"; frame-ancestors 'none'; base-uri 'none'"
}

// formActionSource returns the CSP source that lets a form post on this page
// end, through redirects, at the client's redirect URI: its exact origin for
// 127.0.0.1. CSP source expressions cannot name an IPv6 literal, so for
// [::1] it is the scheme "http:" — the redirect URI itself was already
// pinned to loopback by validRedirectURI.
func formActionSource(redirectURI string) string {
	u, err := url.Parse(redirectURI)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	if strings.Contains(u.Hostname(), ":") {
		return u.Scheme + ":"
	}
	return u.Scheme + "://" + u.Host
}

// pageData is what every template sees.
type pageData struct {
	Title  string
	Issuer string
}

// renderPage writes a complete HTML page with the security headers. The
// template runs into a buffer first so a failure never sends half a page.
func (s *Server) renderPage(w http.ResponseWriter, status int, name, formTarget string, data any) {
	var buf bytes.Buffer
	if err := pageTemplates.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("demo page", "template", name, "err", err)
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", pageCSP(formTarget))
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// messageData fills templates/message.html.
type messageData struct {
	pageData
	Message string
	Next    string
}

// renderError shows a plain page saying what happened and what to do.
func (s *Server) renderError(w http.ResponseWriter, status int, what, todo string) {
	s.renderPage(w, status, "message.html", "", messageData{
		pageData: pageData{Title: "Sign-in problem", Issuer: s.issuer},
		Message:  what, Next: todo,
	})
}

// handleStylesheet serves the pages' CSS.
func (s *Server) handleStylesheet(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(stylesheet)
}
