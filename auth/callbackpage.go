package auth

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"io"
	"net/http"
	"strconv"
)

// DefaultAppName is what the loopback callback page calls the app when
// LoginOptions.AppName is empty.
const DefaultAppName = "PKCE Desk"

// pageInfo is what the callback page says about whose sign-in it was.
type pageInfo struct {
	AppName     string
	ProfileName string
}

func (p pageInfo) app() string {
	if p.AppName == "" {
		return DefaultAppName
	}
	return cleanText(p.AppName, 80)
}

// pageTone picks the page's accent: a finished sign-in, a problem, or neither.
type pageTone int

const (
	pageNeutral pageTone = iota
	pageSuccess
	pageProblem
)

// callbackPageCSS is the page's only style, in the demo provider's look
// (demo/templates/demo.css): a card on a quiet background, light and dark.
// It is inline and allowed by its hash alone, so the page loads nothing
// and runs nothing (security rule 8).
const callbackPageCSS = `:root{--bg:#f6f7f9;--card:#fff;--text:#1b1f24;--muted:#5b6470;--border:#d9dde3;--accent:#2f6fdf;--ok:#1a7f37;--problem:#b42318;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#14171b;--card:#1d2126;--text:#e8eaed;--muted:#9aa3ad;--border:#323840;--accent:#6b9cf5;--ok:#3fb950;--problem:#f97066}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;padding:2rem 1rem;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.card{width:100%;max-width:28rem;background:var(--card);border:1px solid var(--border);border-radius:12px;padding:2rem}
.brand{margin:0 0 1.5rem;font-weight:600;color:var(--accent)}
.brand span{color:var(--muted);font-weight:400}
h1{font-size:1.5rem;margin:0 0 .75rem}
.success h1{color:var(--ok)}
.problem h1{color:var(--problem)}
.where{padding:.6rem .8rem;border-left:3px solid var(--accent);background:color-mix(in srgb,var(--accent) 8%,transparent)}
.where dt{color:var(--muted);font-size:.85rem}
.where dd{margin:0 0 .4rem;font-weight:600}
.foot{color:var(--muted);font-size:.85rem;margin-top:1rem;text-align:center}`

// callbackPageCSP allows exactly the style above: nothing else loads, no
// script runs, no form posts, nothing frames the page.
var callbackPageCSP = func() string {
	h := sha256.Sum256([]byte(callbackPageCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(h[:]) +
		"'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

// callbackPage is escaped by html/template: the app and profile names are
// the user's own text, but still never markup.
var callbackPage = template.Must(template.New("callback").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>{{.Title}} · {{.App}}</title>
<style>{{.CSS}}</style>
</head>
<body>
<main class="card {{.Tone}}">
<p class="brand">{{.App}} <span>sign-in</span></p>
<h1>{{.Title}}</h1>
<p>{{.Body}}</p>
{{if .Profile}}<dl class="where"><dt>App</dt><dd>{{.App}}</dd><dt>Profile</dt><dd>{{.Profile}}</dd></dl>{{end}}
</main>
<p class="foot">This page was served by {{.App}} on this computer; it loads nothing from the network.</p>
</body>
</html>
`))

// writePage answers the browser with a complete page and the no-store,
// no-referrer and CSP headers. Nothing from the request is echoed (security
// rule 8): only fixed text and the app's own names.
func writePage(w http.ResponseWriter, status int, p pageInfo, tone pageTone, title, body string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", callbackPageCSP)
	toneClass := map[pageTone]string{pageNeutral: "neutral", pageSuccess: "success", pageProblem: "problem"}[tone]
	var buf bytes.Buffer
	_ = callbackPage.Execute(&buf, map[string]any{
		"Title": title, "Body": body, "App": p.app(), "Profile": cleanText(p.ProfileName, 120),
		"Tone": toneClass, "CSS": template.CSS(callbackPageCSS),
	})
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Connection", "close")
	w.WriteHeader(status)
	_, _ = io.Copy(w, &buf)
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush() // the whole page is on the wire before the listener may close
	}
}
