package ui

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// TestClientCredentialsServiceAccount uses the demo's service-account
// profile (client credentials, RFC 6749 §4.4, the confidential client
// pkce-desk-service): the header's main button reads "Get token"; it gets a
// token with no browser and no listener; the Tokens tab has "Get new token"
// where Refresh is, and it brings a new access token; the request console
// calls the demo API as the service account. Screenshot:
// ui-client-credentials.png.
func TestClientCredentialsServiceAccount(t *testing.T) {
	env := harness.Start(t, harness.Options{})
	p := appPage{t: t, env: env}
	p.load()
	demoIssuer(p)
	var svc struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		APIBase string `json:"apiBase"`
		Grant   string `json:"grant"`
	}
	p.waitAsync("the demo's service-account profile",
		`window.go.main.App.Profiles().then(ps => ps.some(p => p.grant === 'client_credentials' && p.issuer && p.issuer !== 'http://127.0.0.1/'))`, 30*time.Second)
	p.evalInto(`window.go.main.App.Profiles().then(ps => ps.find(p => p.grant === 'client_credentials'))`, &svc)
	p.selectProfile(svc.ID)
	if got := p.text(testid("signin-button")); got != "Get token" {
		t.Errorf("the service account's main button reads %q, want \"Get token\"", got)
	}
	p.click(testid("tab-profile"))
	p.waitJS("the sign-in method", `!!document.querySelector('[data-testid="grant-client_credentials"]')`, step)
	if checked := p.eval(`String(document.querySelector('[data-testid="grant-client_credentials"]').checked)`); checked != "true" {
		t.Errorf("the editor does not show Client credentials as the sign-in method")
	}
	if n := p.eval(`String(document.querySelectorAll('[data-testid="field-redirectHost"]').length)`); n != "0" {
		t.Errorf("the service-account editor shows the redirect fields")
	}

	p.click(testid("signin-button"))
	p.waitStatus("signed_in", 30*time.Second)
	if got := p.text(testid("status-text")); !strings.Contains(got, "Service-account token") {
		t.Errorf("status line of the service account: %q", got)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if u, err := env.Opener.Next(ctx); err == nil {
		t.Errorf("client credentials opened the system browser at %s", u)
	}
	var trace []struct{ Step, Title string }
	p.evalInto(fmt.Sprintf(`window.go.main.App.Trace(%q)`, svc.ID), &trace)
	for _, e := range trace {
		if e.Step == "authorize" || e.Step == "callback" || e.Step == "listener" {
			t.Errorf("client credentials traced a %s step (%q)", e.Step, e.Title)
		}
	}

	p.click(testid("tab-tokens"))
	p.waitJS("the access token card", `!!document.querySelector('[data-testid="token-card-access"]')`, step)
	if got := p.text(testid("refresh-button")); got != "Get new token" {
		t.Errorf("the service account's renew button reads %q, want \"Get new token\"", got)
	}
	if n := p.eval(`String(document.querySelectorAll('[data-testid="token-card-refresh"]').length)`); n != "0" {
		t.Errorf("a client-credentials session shows a refresh token card")
	}
	p.screenshot("ui-client-credentials.png")
	before := p.eval(fmt.Sprintf(`window.go.main.App.RevealToken(%q, "access")`, svc.ID))
	p.click(testid("refresh-button"))
	p.waitAsync("a new access token",
		fmt.Sprintf(`window.go.main.App.RevealToken(%q, "access").then(v => v !== %q)`, svc.ID, before), 30*time.Second)
	p.waitStatus("signed_in", step)

	p.click(testid("tab-requests"))
	apiBase := strings.TrimRight(svc.APIBase, "/")
	if apiBase == "" {
		t.Fatalf("the service-account profile has no API base")
	}
	p.typeInto(testid("request-url"), apiBase+"/me")
	p.click(testid("send-button"))
	p.waitJS("the response to /me", `!!document.querySelector('[data-testid="response-status"]')`, 30*time.Second)
	if got := p.text(testid("response-status")); !strings.Contains(got, "200") {
		t.Errorf("GET /api/me as the service account answered %q, want 200", got)
	}
	if body := p.textContent(testid("response-body")); !strings.Contains(body, "pkce-desk-service") {
		t.Errorf("GET /api/me body %q does not name the service account", oneLine(body))
	}
}
