package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// TestTokenExchange signs in to the demo, then exchanges the access token
// (RFC 8693) for one whose audience is the demo API, asking for an access
// token by its URN: the result opens as its own session ("<name> →
// exchanged"), selected in the sidebar under the demo profile, with its own
// Tokens tab and request console, which calls the demo API with it.
// Screenshots: ui-exchange-form.png, ui-exchange.png, ui-exchange-requests.png.
func TestTokenExchange(t *testing.T) {
	sb := harness.NewSystemBrowser(harness.SystemBrowserOptions{User: "alice", Decision: "allow"})
	env := harness.Start(t, harness.Options{OnOpenURL: sb.Open})
	sb.Attach(t, env.Browser)
	p := appPage{t: t, env: env}
	p.load()
	demoIssuer(p)
	var demo profileInfo
	p.evalInto(`window.go.main.App.Profiles().then(ps => ps.find(p => p.id === 'demo'))`, &demo)
	p.selectProfile("demo")
	p.click(testid("signin-button"))
	nextVisit(t, sb, 90*time.Second)
	p.waitStatus("signed_in", 30*time.Second)

	p.click(testid("tab-tokens"))
	p.click(testid("exchange-toggle"))
	p.waitJS("the exchange form", `!!document.querySelector('[data-testid="exchange-audience"]')`, step)
	apiBase := strings.TrimRight(demo.APIBase, "/")
	p.typeInto(testid("exchange-audience"), apiBase)
	p.eval(`(() => { const s = document.querySelector('[data-testid="exchange-type"]');
		s.value = 'urn:ietf:params:oauth:token-type:access_token'; s.dispatchEvent(new Event('change', {bubbles: true})); return ''; })()`)
	p.eval(`document.querySelector('[data-testid="exchange-section"]').scrollIntoView() || ''`)
	p.screenshot("ui-exchange-form.png")
	p.click(testid("exchange-submit"))

	p.waitJS("the exchanged session to be selected",
		`document.querySelector('[data-testid="profile-item"][aria-current="page"]')?.dataset.exchanged === 'true'`, 30*time.Second)
	newID := p.eval(`document.querySelector('[data-testid="profile-item"][aria-current="page"]').dataset.profileId`)
	if newID == "demo" || newID == "" {
		t.Fatalf("the exchange selected %q, want a session of its own", newID)
	}
	if got := p.text(fmt.Sprintf(`[data-testid="profile-item"][data-profile-id=%q]`, newID)); !strings.Contains(got, "→ exchanged") {
		t.Errorf("the sidebar names the exchanged session %q, want \"<name> → exchanged\"", got)
	}
	order := p.eval(`[...document.querySelectorAll('[data-testid="profile-item"]')].map(e => e.dataset.profileId).join(' ')`)
	if !strings.Contains(order, "demo "+newID) {
		t.Errorf("the sidebar lists %q; want the exchanged session right under the demo profile", order)
	}
	p.waitStatus("signed_in", step)
	p.waitJS("the exchanged token's card", `!!document.querySelector('[data-testid="token-card-access"]')`, step)
	if got := p.text(testid("exchanged-from")); !strings.Contains(got, demo.Name) {
		t.Errorf("the Tokens tab says %q; want it to name the session it was exchanged from (%s)", got, demo.Name)
	}
	var s struct {
		ExchangedFrom   string `json:"exchangedFrom"`
		IssuedTokenType string `json:"issuedTokenType"`
	}
	p.evalInto(fmt.Sprintf(`window.go.main.App.Session(%q)`, newID), &s)
	if s.ExchangedFrom != "demo" || !strings.HasPrefix(s.IssuedTokenType, "urn:ietf:params:oauth:token-type:") {
		t.Errorf("Go's exchanged session: exchangedFrom %q, issuedTokenType %q", s.ExchangedFrom, s.IssuedTokenType)
	}
	orig := p.eval(`window.go.main.App.RevealToken("demo", "access")`)
	got := p.eval(fmt.Sprintf(`window.go.main.App.RevealToken(%q, "access")`, newID))
	if got == "" || got == orig {
		t.Errorf("the exchanged session holds the same access token as the original")
	}
	p.screenshot("ui-exchange.png")

	// The request console uses the exchanged token.
	p.click(testid("tab-requests"))
	p.typeInto(testid("request-url"), apiBase+"/me")
	p.click(testid("send-button"))
	p.waitJS("the response to /me", `!!document.querySelector('[data-testid="response-status"]')`, 30*time.Second)
	if got := p.text(testid("response-status")); !strings.Contains(got, "200") {
		t.Errorf("GET /api/me with the exchanged token answered %q, want 200", got)
	}
	if body := p.textContent(testid("response-body")); !strings.Contains(body, "alice") {
		t.Errorf("GET /api/me body %q does not name alice", oneLine(body))
	}
	p.screenshot("ui-exchange-requests.png")

	// The original session is untouched.
	p.selectProfileWithStatus("demo", "signed_in")
}
