package ui

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// TestCancelWhileWaitingForTheBrowser signs in to the demo profile with a
// system browser that never answers, then clicks Cancel: the header shows
// the wait with a Cancel button (UX.md step 5), "Open again" reopens the same
// authorization URL, Cancel returns to signed
// out, and the loopback listener named in the authorization URL is closed
// (SECURITY 7). Screenshot: ui-waiting.png.
func TestCancelWhileWaitingForTheBrowser(t *testing.T) {
	env := harness.Start(t, harness.Options{}) // opened URLs queue; nobody visits them
	p := appPage{t: t, env: env}
	p.load()
	item := `[data-testid="profile-item"][data-profile-id="demo"]`
	p.click(item)
	p.waitStatus("signed_out", step)

	p.click(testid("signin-button"))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	authURL, err := env.Opener.Next(ctx)
	if err != nil {
		t.Fatalf("Sign in opened nothing in the system browser: %v", err)
	}
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatalf("the app opened an unparsable URL: %v", err)
	}
	q := u.Query()
	if q.Get("code_challenge_method") != "S256" || len(q.Get("code_challenge")) != 43 || q.Get("state") == "" || q.Get("nonce") == "" {
		t.Errorf("the authorization URL lacks S256 PKCE, state or nonce: %s", u.Redacted())
	}
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || redirect.Hostname() != "127.0.0.1" || redirect.Port() == "" || redirect.Path != "/callback" {
		t.Fatalf("redirect_uri %q, want http://127.0.0.1:PORT/callback (RFC 8252 §7.3)", q.Get("redirect_uri"))
	}
	listener := redirect.Host
	if c, err := net.DialTimeout("tcp", listener, 2*time.Second); err != nil {
		t.Errorf("nothing listens on %s while the app waits for the browser: %v", listener, err)
	} else {
		c.Close()
	}

	p.waitStatus("waiting", step)
	p.waitJS("the waiting row", `!!document.querySelector('[data-testid="waiting-row"]')`, step)
	if got := p.text(testid("status-text")); !strings.Contains(got, "Waiting for you in the browser") {
		t.Errorf("status line while waiting: %q", got)
	}
	p.screenshot("ui-waiting.png")

	// "Open again" hands the same authorization URL to the system browser.
	p.click(testid("waiting-open-again"))
	again, err := env.Opener.Next(ctx)
	if err != nil {
		t.Fatalf("Open again opened nothing: %v", err)
	}
	if again != authURL {
		t.Errorf("Open again opened a different URL than the attempt's")
	}

	p.click(testid("cancel-button"))
	p.waitStatus("signed_out", step)
	if got := p.eval(`document.querySelector('[data-testid="session-error"]')?.innerText ?? ''`); got != "" {
		t.Errorf("a canceled sign-in shows an error banner %q; canceling is not a failure", got)
	}
	// The listener goes away with the attempt.
	closed := false
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", listener, time.Second)
		if err != nil {
			closed = true
			break
		}
		c.Close()
	}
	if !closed {
		t.Errorf("the loopback listener %s still accepts connections 5 s after Cancel (SECURITY 7)", listener)
	}
	var flow []string
	p.evalInto(fmt.Sprintf(`window.go.main.App.Trace(%q).then(es => es.map(e => e.step + ':' + e.status + ':' + e.title))`, "demo"), &flow)
	t.Logf("trace of the canceled attempt: %q", flow)
	if !strings.Contains(strings.ToLower(strings.Join(flow, "\n")), "cancel") {
		t.Errorf("the trace of the canceled attempt never says it was canceled: %q", flow)
	}
}
