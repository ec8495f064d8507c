package ui

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// pasteInto types value into the waiting screen's paste box and presses
// Continue.
func (p appPage) pasteInto(value string) {
	p.t.Helper()
	p.typeInto(testid("paste-input"), value)
	p.waitJS("Continue to be enabled", `!document.querySelector('[data-testid="paste-submit"]').disabled`, step)
	p.click(testid("paste-submit"))
}

// checkPastedSignIn waits for the sign-in a pasted redirect finished and
// checks the trace says how the code came back.
func (p appPage) checkPastedSignIn(id string) {
	p.t.Helper()
	p.waitStatus("signed_in", 30*time.Second)
	if got := p.text(testid("status-text")); !strings.Contains(got, "Signed in as Alice") {
		p.t.Errorf("status line after the pasted redirect: %q", got)
	}
	var trace []struct{ Step, Status, Title string }
	p.evalInto(fmt.Sprintf(`window.go.main.App.Trace(%q)`, id), &trace)
	var refused, accepted bool
	var titles []string
	for _, e := range trace {
		titles = append(titles, e.Step+": "+e.Title)
		low := strings.ToLower(e.Step + " " + e.Title)
		if strings.Contains(low, "paste") && e.Status != "fail" && e.Status != "warn" {
			accepted = true
		}
		if strings.Contains(low, "paste") && (e.Status == "fail" || e.Status == "warn") {
			refused = true
		}
	}
	if !accepted || !refused {
		p.t.Errorf("the trace should show the refused paste and the accepted one (refused=%t accepted=%t): %q", refused, accepted, titles)
	}
}

// TestPasteTheRedirect is a sign-in whose browser cannot reach the app's
// loopback listener (a remote desktop, a firewall): the person signs in,
// the redirect to http://127.0.0.1:PORT/callback fails in their browser,
// and they paste the address it ended on into the waiting screen. A pasted
// address of another attempt (a wrong state) is refused with the reason,
// shown under the field, and the sign-in keeps waiting; the real one
// signs in. Screenshots: ui-paste.png (the waiting screen with the paste
// box), ui-paste-refused.png, ui-paste-browser.png (the person's browser),
// ui-paste-signed-in.png.
func TestPasteTheRedirect(t *testing.T) {
	env := harness.Start(t, harness.Options{}) // the app's opens queue for the test
	p := appPage{t: t, env: env}
	p.load()
	issuer := demoIssuer(p)
	id := p.saveGrantProfile("E2E paste", issuer, "authorization_code", "")
	p.selectProfile(id)

	p.click(testid("signin-button"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	authURL, err := env.Opener.Next(ctx)
	if err != nil {
		t.Fatalf("Sign in opened nothing in the system browser: %v", err)
	}
	p.waitStatus("waiting", step)
	p.waitJS("the handoff panel", `!!document.querySelector('[data-testid="handoff"]')`, step)
	if got := p.textContent(testid("handoff-url")); got != authURL {
		t.Errorf("the waiting screen shows the URL %q, the browser was given %q", harness.RedactURL(mustURL(got)), harness.RedactURL(mustURL(authURL)))
	}

	// The person's browser cannot reach 127.0.0.1: the redirect fails there.
	who := newPerson(t, env, "alice", "allow")
	who.blockLoopback()
	who.visit(authURL)
	final := who.undelivered()
	if final == "" {
		t.Fatalf("the person's browser never tried the loopback redirect")
	}
	u, _ := url.Parse(final)
	if q := u.Query(); q.Get("code") == "" || q.Get("state") == "" || q.Get("iss") != issuer {
		t.Fatalf("the redirect the browser could not deliver carries code=%t state=%t iss=%q",
			q.Get("code") != "", q.Get("state") != "", q.Get("iss"))
	}
	who.screenshot("ui-paste-browser.png")
	p.waitStatus("waiting", step) // nothing reached the app

	// The paste box is one click away on the waiting row.
	p.click(testid("paste-toggle"))
	p.waitJS("the paste box", `!!document.querySelector('[data-testid="paste-input"]')`, step)
	if got := p.eval(`document.querySelector('[data-testid="paste-input"]').labels?.[0]?.innerText ?? ''`); !strings.Contains(got, "Paste the address the browser ended on") {
		t.Errorf("the paste field is labelled %q", got)
	}
	if focused := p.eval(`String(document.activeElement?.dataset.testid)`); focused != "paste-input" {
		t.Errorf("opening the paste box left the focus on %q, want the field", focused)
	}
	p.screenshot("ui-paste.png")

	// An address from another attempt: refused, with the reason, and the
	// sign-in goes on waiting.
	forged := withQuery(t, final, "state", "not-this-attempts-state")
	p.pasteInto(forged)
	p.waitJS("the refusal", `!!document.querySelector('[data-testid="paste-refusal"]')`, step)
	refusal := p.text(testid("paste-refusal"))
	if !strings.Contains(strings.ToLower(refusal), "state") {
		t.Errorf("the refusal reads %q; want it to say the state does not match this sign-in", refusal)
	}
	if role := p.eval(`document.querySelector('[data-testid="paste-refusal"]').getAttribute('role')`); role != "alert" {
		t.Errorf("the refusal has role %q, want alert", role)
	}
	p.waitStatus("waiting", step)
	p.eval(`document.querySelector('[data-testid="paste-refusal"]').scrollIntoView({block: 'center'}) || ''`)
	p.screenshot("ui-paste-refused.png")

	// The real address signs in.
	p.pasteInto(final)
	p.checkPastedSignIn(id)
	p.screenshot("ui-paste-signed-in.png")
}

// TestBrowserCannotStartThenPaste: the system browser cannot be started
// ($BROWSER names a command that fails). The waiting screen says so, with
// the launcher's reason, instead of a spinner; it shows the URL with Copy
// and "Try opening again", and the paste box at once. The person opens the
// URL by hand in a browser that cannot reach the app and pastes where it
// ended. Screenshot: ui-paste-browser-error.png.
func TestBrowserCannotStartThenPaste(t *testing.T) {
	env := harness.Start(t, harness.Options{ExtraEnv: []string{"BROWSER=/bin/false"}})
	p := appPage{t: t, env: env}
	p.load()
	issuer := demoIssuer(p)
	id := p.saveGrantProfile("E2E no browser", issuer, "authorization_code", "")
	p.selectProfile(id)

	p.click(testid("signin-button"))
	p.waitJS("the browser error", `!!document.querySelector('[data-testid="handoff-browser-error"]')`, 30*time.Second)
	if spin := p.eval(`String(!!document.querySelector('[data-testid="waiting-row"] .spinner'))`); spin != "false" {
		t.Errorf("the waiting row spins although the browser never started")
	}
	if got := p.text(testid("handoff-browser-error")); !strings.Contains(got, "could not open your browser") {
		t.Errorf("the browser error reads %q", got)
	}
	if got := p.text(testid("status-text")); strings.Contains(got, "Waiting for you in the browser") {
		t.Errorf("the status line says %q although no browser opened", got)
	}
	p.waitJS("the paste box offered at once", `!!document.querySelector('[data-testid="paste-input"]')`, step)
	p.screenshot("ui-paste-browser-error.png")
	authURL := p.textContent(testid("handoff-url"))
	if !strings.HasPrefix(authURL, issuer) {
		t.Fatalf("the waiting screen shows no authorization URL of the demo provider: %q", harness.RedactURL(mustURL(authURL)))
	}

	who := newPerson(t, env, "alice", "allow")
	who.blockLoopback()
	who.visit(authURL)
	final := who.undelivered()
	if final == "" {
		t.Fatalf("the person's browser never tried the loopback redirect")
	}
	p.pasteInto(withQuery(t, final, "state", "forged"))
	p.waitJS("the refusal", `!!document.querySelector('[data-testid="paste-refusal"]')`, step)
	// Only the query is enough.
	p.pasteInto("?" + mustURL(final).RawQuery)
	p.checkPastedSignIn(id)
}
