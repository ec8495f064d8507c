package chromium

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pkcedesk/auth"
	"pkcedesk/demo"
	"pkcedesk/e2e/harness"
)

// xdgOpener is an auth.Opener that does what a desktop does: it runs the
// `xdg-open` found on PATH with the URL and waits for it to exit. wantDir
// guards the test: the xdg-open found must be the stand-in in that folder,
// never a real browser.
func xdgOpener(t *testing.T, wantDir string) auth.Opener {
	return func(ctx context.Context, url string) error {
		path, err := exec.LookPath("xdg-open")
		if err != nil {
			return fmt.Errorf("find xdg-open on PATH: %w", err)
		}
		if filepath.Dir(path) != wantDir {
			t.Errorf("xdg-open on PATH is %s, not the stand-in in %s", path, wantDir)
			return errors.New("refusing to run a real xdg-open in a test")
		}
		if out, err := exec.CommandContext(ctx, path, url).CombinedOutput(); err != nil {
			return fmt.Errorf("xdg-open: %w: %s", err, out)
		}
		return nil
	}
}

// TestEngineSignsInThroughChromium runs pkcedesk/auth against the demo
// provider with Chromium as the system browser, reached through the
// `xdg-open` on PATH, then uses the session the way the app does: the demo
// API, a refresh that rotates the refresh token, and revocation.
func TestEngineSignsInThroughChromium(t *testing.T) {
	op, err := demo.Start(context.Background(), demo.Options{})
	if err != nil {
		t.Fatalf("start the demo provider: %v", err)
	}
	t.Cleanup(func() { op.Close() })

	sb, opener := systemBrowser(t, harness.SystemBrowserOptions{User: "alice"})
	for _, kv := range opener.Env() { // the stand-in xdg-open first on PATH
		name, value, _ := strings.Cut(kv, "=")
		t.Setenv(name, value)
	}

	var mu sync.Mutex
	var steps []auth.Step
	cfg := auth.Config{
		Issuer:   op.Issuer(),
		ClientID: op.ClientID(),
		Scopes:   []string{"openid", "profile", "email", "offline_access"},
		Timeout:  90 * time.Second,
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sess, err := auth.Login(ctx, cfg, auth.LoginOptions{
		Open: xdgOpener(t, opener.BinDir),
		Trace: func(e auth.Event) {
			mu.Lock()
			steps = append(steps, e.Step)
			mu.Unlock()
		},
	})
	if err != nil {
		t.Fatalf("sign-in through Chromium failed: %v", err)
	}
	visit := nextVisit(t, sb, "alice", "allow", auth.DefaultAppName)
	if q := visit.CallbackQuery(); q.Get("iss") != op.Issuer() {
		t.Errorf("the callback's iss is %q, want %q (RFC 9207)", q.Get("iss"), op.Issuer())
	}

	// Tokens, and every ID-token check passed.
	tok := sess.Token()
	if tok.AccessToken.IsZero() || tok.RefreshToken.IsZero() || tok.IDToken.IsZero() || !strings.EqualFold(tok.TokenType, "Bearer") {
		t.Fatalf("tokens: access %t, refresh %t, id %t, type %q; want all three, Bearer",
			!tok.AccessToken.IsZero(), !tok.RefreshToken.IsZero(), !tok.IDToken.IsZero(), tok.TokenType)
	}
	checks := sess.Checks()
	var names []string
	for _, c := range checks {
		names = append(names, c.Name)
		if !c.Passed {
			t.Errorf("ID-token check %q failed: %s", c.Name, c.Detail)
		}
	}
	for _, want := range []string{"signature", "issuer", "audience", "expiry", "nonce", "access token hash", "issued at"} {
		if !slices.ContainsFunc(names, func(n string) bool { return strings.Contains(strings.ToLower(n), want) }) {
			t.Errorf("no %s check ran; checks: %q", want, names)
		}
	}
	if got := sess.IDTokenClaims()["sub"]; got != "demo-user-alice" || sess.Subject() != "demo-user-alice" {
		t.Errorf("ID token sub = %v (Subject %q), want demo-user-alice", got, sess.Subject())
	}
	mu.Lock()
	for _, want := range []auth.Step{auth.StepDiscovery, auth.StepPKCE, auth.StepBrowser, auth.StepCallback, auth.StepDone} {
		if !slices.Contains(steps, want) {
			t.Errorf("the trace has no %s step: %q", want, steps)
		}
	}
	mu.Unlock()

	// The demo API: /me with the token; /orders needs orders:read.
	access := tok.AccessToken.Reveal()
	meURL, ordersURL := op.APIBase()+"/me", op.APIBase()+"/orders"
	r := callAPI(t, http.MethodGet, meURL, access)
	if r.Status != http.StatusOK || decodeMe(t, r).Username != "alice" {
		t.Fatalf("GET /api/me = %d %s, want 200 for alice", r.Status, r.Body)
	}
	r = callAPI(t, http.MethodGet, ordersURL, access)
	if r.Status != http.StatusForbidden || !strings.Contains(r.Header.Get("WWW-Authenticate"), "insufficient_scope") {
		t.Errorf("GET /api/orders without orders:read = %d (WWW-Authenticate %q), want 403 insufficient_scope (RFC 6750 §3.1)",
			r.Status, r.Header.Get("WWW-Authenticate"))
	}

	// Refresh: new access token, rotated refresh token, both usable.
	rctx, rcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer rcancel()
	fresh, err := sess.Refresh(rctx)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if fresh.RefreshToken.IsZero() || fresh.RefreshToken.Reveal() == tok.RefreshToken.Reveal() {
		t.Errorf("the refresh did not rotate the refresh token (RFC 9700 §4.14.2)")
	}
	if fresh.AccessToken.Reveal() == access {
		t.Errorf("the refresh returned the same access token")
	}
	if got := sess.Token().RefreshToken.Reveal(); got != fresh.RefreshToken.Reveal() {
		t.Errorf("the session did not keep the rotated refresh token (SECURITY 22)")
	}
	newAccess := fresh.AccessToken.Reveal()
	if r := callAPI(t, http.MethodGet, meURL, newAccess); r.Status != http.StatusOK {
		t.Errorf("GET /api/me with the refreshed token = %d %s, want 200", r.Status, r.Body)
	}

	// Revoke (RFC 7009): the API refuses the revoked token.
	if err := sess.Revoke(rctx, auth.AccessToken); err != nil {
		t.Fatalf("revoke the access token: %v", err)
	}
	r = callAPI(t, http.MethodGet, meURL, newAccess)
	if r.Status != http.StatusUnauthorized || !strings.Contains(r.Header.Get("WWW-Authenticate"), "invalid_token") {
		t.Errorf("GET /api/me with a revoked token = %d (WWW-Authenticate %q), want 401 invalid_token",
			r.Status, r.Header.Get("WWW-Authenticate"))
	}

	// Sign out revokes the refresh token too: a refresh now fails for good.
	if err := sess.SignOut(rctx); err != nil {
		t.Errorf("sign out: %v", err)
	}
	if _, err := sess.Refresh(rctx); !errors.Is(err, auth.ErrSessionEnded) {
		t.Errorf("refresh after sign-out: %v, want ErrSessionEnded", err)
	}
}

// loginOutcome is one engine sign-in and what the browser saw of it.
type loginOutcome struct {
	Session *auth.Session // nil when Err is set
	Err     error
	Visit   harness.Visit
}

// loginThroughChromium signs in to op with the engine, Chromium playing the
// system browser as opts say.
func loginThroughChromium(t *testing.T, op *demo.Server, scopes []string, opts harness.SystemBrowserOptions) loginOutcome {
	t.Helper()
	sb, opener := systemBrowser(t, opts)
	for _, kv := range opener.Env() {
		name, value, _ := strings.Cut(kv, "=")
		t.Setenv(name, value)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	sess, err := auth.Login(ctx, auth.Config{Issuer: op.Issuer(), ClientID: op.ClientID(), Scopes: scopes, Timeout: 90 * time.Second},
		auth.LoginOptions{Open: xdgOpener(t, opener.BinDir)})
	vctx, vcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer vcancel()
	v, verr := sb.Next(vctx)
	if verr != nil {
		t.Fatalf("no URL reached the system browser: %v", verr)
	}
	return loginOutcome{Session: sess, Err: err, Visit: v}
}

// TestEngineRolesScopesAndDenyThroughChromium covers what the demo API
// decides by scope and role, and a person who presses Deny.
func TestEngineRolesScopesAndDenyThroughChromium(t *testing.T) {
	op, err := demo.Start(context.Background(), demo.Options{})
	if err != nil {
		t.Fatalf("start the demo provider: %v", err)
	}
	t.Cleanup(func() { op.Close() })

	t.Run("bob with orders:read lists orders but may not create one", func(t *testing.T) {
		out := loginThroughChromium(t, op, []string{"openid", "profile", demo.ScopeOrdersRead},
			harness.SystemBrowserOptions{User: "bob"})
		if out.Err != nil {
			t.Fatalf("sign-in as bob: %v (visit %s)", out.Err, out.Visit)
		}
		sess := out.Session
		access := sess.Token().AccessToken.Reveal()
		if r := callAPI(t, http.MethodGet, op.APIBase()+"/orders", access); r.Status != http.StatusOK {
			t.Errorf("GET /api/orders with orders:read = %d %s, want 200", r.Status, r.Body)
		}
		if r := callAPI(t, http.MethodPost, op.APIBase()+"/orders", access); r.Status != http.StatusForbidden {
			t.Errorf("POST /api/orders as bob (viewer) = %d %s, want 403: creating needs the admin role", r.Status, r.Body)
		}
		if got := sess.IDTokenClaims()["sub"]; got != "demo-user-bob" {
			t.Errorf("sub = %v, want demo-user-bob", got)
		}
	})

	t.Run("Deny on the consent page is access_denied", func(t *testing.T) {
		out := loginThroughChromium(t, op, []string{"openid", "profile"},
			harness.SystemBrowserOptions{User: "alice", Decision: "deny"})
		err, v := out.Err, out.Visit
		if out.Session != nil {
			t.Fatalf("a denied sign-in produced a session")
		}
		var pe *auth.ProviderError
		if !errors.As(err, &pe) || pe.Code != "access_denied" {
			t.Fatalf("error after Deny = %v, want *auth.ProviderError access_denied", err)
		}
		if !v.AtCallback || v.CallbackQuery().Get("error") != "access_denied" || v.CallbackQuery().Get("code") != "" {
			t.Errorf("after Deny the browser ended at %s, want the callback with error=access_denied and no code", v)
		}
	})
}
