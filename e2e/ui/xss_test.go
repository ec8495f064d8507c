package ui

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// Payloads the evil API sends back. Each sets window.__xss if it ever runs.
const (
	evilBody   = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`
	evilHeader = `<img src=x onerror=window.__xss=3>`
)

// markupInside counts elements that untrusted text would create if it were
// parsed as HTML (img, script, svg, iframe) under the elements matching css.
func markupInside(css string) string {
	return fmt.Sprintf(`[...document.querySelectorAll(%q)].reduce((n, e) => n + e.querySelectorAll('img, script, svg, iframe').length, 0)`, css)
}

// TestUntrustedTextStaysText is SECURITY 26–27 in the real UI: a response
// body and header full of markup, and ID-token claims (values and a claim
// name) full of markup from a provider that signs them properly, all show
// as characters; none of it becomes an element or runs; and the page's CSP
// blocks an inline script injected through the DOM. Screenshots:
// ui-xss-tokens.png, ui-xss-requests.png.
func TestUntrustedTextStaysText(t *testing.T) {
	const clientID = "xss-client"
	op := newHostileOP(t, clientID, hostileClaims)
	evil := newEvilAPI(t)

	sb := harness.NewSystemBrowser(harness.SystemBrowserOptions{})
	env := harness.Start(t, harness.Options{OnOpenURL: sb.Open})
	sb.Attach(t, env.Browser)
	p := appPage{t: t, env: env}
	p.load()

	// SECURITY 27: the CSP meta is in the page, and it blocks inline script.
	var csp struct {
		Meta     string `json:"meta"`
		Ran      bool   `json:"ran"`
		Violated string `json:"violated"`
	}
	p.evalInto(`new Promise(resolve => {
		let violated = '';
		document.addEventListener('securitypolicyviolation', e => { violated = e.violatedDirective; }, {once: true});
		const s = document.createElement('script');
		s.textContent = 'window.__cspInline = 1';
		document.head.appendChild(s);
		setTimeout(() => resolve({
			meta: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? '',
			ran: window.__cspInline !== undefined,
			violated,
		}), 300);
	})`, &csp)
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-src 'none'", "base-uri 'none'", "form-action 'none'"} {
		if !strings.Contains(csp.Meta, want) {
			t.Errorf("the page's CSP %q lacks %s (SECURITY 27)", csp.Meta, want)
		}
	}
	if scriptSrc := directive(csp.Meta, "script-src"); strings.Contains(scriptSrc, "unsafe-inline") || strings.Contains(scriptSrc, "unsafe-eval") {
		t.Errorf("script-src is %q: it must not allow inline script or eval", scriptSrc)
	}
	if csp.Ran {
		t.Errorf("an inline <script> added through the DOM ran: the CSP does not block inline script")
	}
	if !strings.HasPrefix(csp.Violated, "script-src") {
		t.Errorf("no CSP violation was reported for the inline script (violated directive %q): something else stopped it, or nothing did", csp.Violated)
	}

	// Control: the markup detector sees the payload when it IS parsed as
	// HTML (and the CSP still keeps its onerror from running).
	var control int
	p.evalInto(fmt.Sprintf(`(() => {
		const d = document.createElement('div');
		d.dataset.testid = 'xss-control';
		d.innerHTML = %q;
		document.body.appendChild(d);
		const n = %s;
		return new Promise(resolve => setTimeout(() => { d.remove(); resolve(n); }, 300));
	})()`, evilBody, markupInside(`[data-testid="xss-control"]`)), &control)
	if control != 2 {
		t.Fatalf("the markup detector counted %d elements in parsed markup, want 2 (img, script): it cannot catch a leak", control)
	}

	// A profile for the hostile provider, made through the bindings.
	id := p.saveProfile("Hostile provider", op.Issuer(), clientID, evil.URL)
	p.selectProfile(id)
	p.click(testid("signin-button"))
	nextVisit(t, sb, 60*time.Second)
	p.waitStatus("signed_in", 30*time.Second)
	if posts, verified := op.counts(); posts != 1 || verified != 1 {
		t.Errorf("the provider saw %d token requests, %d with a matching PKCE verifier; want exactly one, verified", posts, verified)
	}
	if got := p.text(testid("status-text")); !strings.Contains(got, hostileClaims["name"].(string)) {
		t.Errorf("status line %q, want the hostile name shown as characters", got)
	}

	// The ID token's claims: every hostile value and name is a text cell.
	p.click(testid("tab-tokens"))
	idClaims := `[data-testid="token-card-id"] [data-testid="claims-table"]`
	p.waitJS("the ID token's claims", fmt.Sprintf(`!!document.querySelector(%q)`, idClaims), step)
	var cells map[string]string
	p.evalInto(fmt.Sprintf(`Object.fromEntries([...document.querySelectorAll(%q)].map(r =>
		[r.querySelector('td.name')?.textContent.trim(), r.querySelector('td.value')?.textContent.trim()]))`, idClaims+" tbody tr"), &cells)
	for name, value := range hostileClaims {
		got, ok := cells[name]
		if !ok {
			t.Errorf("no claims-table row named %q (a claim name is text too); rows: %q", name, keys(cells))
			continue
		}
		if got != value {
			t.Errorf("claim %q shows %q, want the characters %q", name, got, value)
		}
	}

	// Requests tab: the evil API's body and header, with the token (loopback).
	p.click(testid("tab-requests"))
	p.typeInto(testid("request-url"), evil.URL+"/evil")
	p.click(testid("send-button"))
	p.waitJS("the evil API's response", `!!document.querySelector('[data-testid="response-status"]')`, 30*time.Second)
	if got := p.text(testid("response-status")); !strings.Contains(got, "200") {
		t.Fatalf("the evil API answered %q, want 200", got)
	}
	if got := evil.authorization(); !strings.HasPrefix(got, "Bearer ") {
		t.Errorf("the evil API got Authorization %q, want the profile's bearer token (loopback http is allowed)", got)
	}
	if body := p.textContent(testid("response-body")); !strings.Contains(body, evilBody) {
		t.Errorf("response-body shows %q, want the characters %q", oneLine(body), evilBody)
	}
	if headers := p.textContent(testid("response-headers")); !strings.Contains(headers, "X-Evil") || !strings.Contains(headers, evilHeader) {
		t.Errorf("response-headers shows %q, want X-Evil with the characters %q", oneLine(headers), evilHeader)
	}
	p.screenshot("ui-xss-requests.png")
	p.click(testid("resp-headers"))
	p.waitJS("the headers part", `!document.querySelector('[data-testid="response-headers"]').hidden`, step)
	p.screenshot("ui-xss-headers.png")
	p.click(testid("tab-tokens"))
	p.waitJS("the ID token's claims", fmt.Sprintf(`!!document.querySelector(%q)`, idClaims), step)
	p.screenshot("ui-xss-tokens.png")

	// Give any injected <img src=x> time to fail and fire onerror.
	time.Sleep(500 * time.Millisecond)
	var after struct {
		XSS    any `json:"xss"`
		Inline any `json:"inline"`
		Markup int `json:"markup"`
	}
	p.evalInto(fmt.Sprintf(`({xss: window.__xss ?? null, inline: window.__cspInline ?? null,
		markup: %s + %s})`, markupInside(`[data-testid="token-card-id"], [data-testid="status-text"], [data-testid="sidebar"]`),
		markupInside(`[data-testid="response-body"], [data-testid="response-headers"]`)), &after)
	if after.XSS != nil {
		t.Errorf("window.__xss = %v: a payload ran (SECURITY 26)", after.XSS)
	}
	if after.Inline != nil {
		t.Errorf("window.__cspInline = %v: the injected inline script ran", after.Inline)
	}
	if after.Markup != 0 {
		t.Errorf("%d img/script/svg/iframe elements appeared inside untrusted text: it was parsed as HTML", after.Markup)
	}
	p.click(testid("tab-requests"))
	var afterReq struct {
		Markup int `json:"markup"`
	}
	p.evalInto(fmt.Sprintf(`({markup: %s})`, markupInside(`[data-testid="response-body"], [data-testid="response-headers"]`)), &afterReq)
	if afterReq.Markup != 0 {
		t.Errorf("%d img/script/svg/iframe elements inside the response view: the body or a header was parsed as HTML", afterReq.Markup)
	}
}

// evilAPI is a loopback HTTP server whose every answer is markup: an HTML
// body and an X-Evil header. It records the Authorization it got.
type evilAPI struct {
	URL  string
	auth chan string
}

func newEvilAPI(t *testing.T) *evilAPI {
	t.Helper()
	e := &evilAPI{auth: make(chan string, 16)}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case e.auth <- r.Header.Get("Authorization"):
		default:
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("X-Evil", evilHeader)
		fmt.Fprint(w, evilBody)
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener = ln
	srv.Config.ReadHeaderTimeout = 5 * time.Second
	srv.Start()
	t.Cleanup(srv.Close)
	e.URL = srv.URL
	return e
}

// authorization is the Authorization header of the last request, or "".
func (e *evilAPI) authorization() string {
	var last string
	for {
		select {
		case a := <-e.auth:
			last = a
		default:
			return last
		}
	}
}

// directive returns one directive of a CSP string, such as "script-src 'self'".
func directive(csp, name string) string {
	for _, d := range strings.Split(csp, ";") {
		d = strings.TrimSpace(d)
		if d == name || strings.HasPrefix(d, name+" ") {
			return d
		}
	}
	return ""
}
