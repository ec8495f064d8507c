package desk

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pkcedesk/auth"
	"pkcedesk/demo"
	"pkcedesk/internal/browserbot"
	"pkcedesk/internal/launch"
	"pkcedesk/internal/qr"
	"pkcedesk/store"
	"pkcedesk/view"
)

// fastDemo makes the demo provider poll device codes every second and, with
// a lifetime, issue short-lived access tokens.
func fastDemo(lifetime time.Duration) func(*Options) {
	return func(o *Options) {
		o.demoOptions = func(do *demo.Options) {
			do.DevicePollInterval = time.Second
			if lifetime > 0 {
				do.AccessTokenLifetime = lifetime
			}
		}
	}
}

// signInAside runs SignIn in the background; the channel gets its result.
func signInAside(d *Desk, ctx context.Context, id string) <-chan view.Session {
	done := make(chan view.Session, 1)
	go func() {
		v, err := d.SignIn(ctx, id, false)
		if err != nil {
			v.Error = &view.Error{Message: err.Error()}
		}
		done <- v
	}()
	return done
}

// waitSession waits for a session event of id that satisfies cond.
func waitSession(t *testing.T, rec *recorder, id, what string, cond func(view.Session) bool) view.Session {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		for _, e := range rec.named(EventSession) {
			if v := e.(view.Session); v.ProfileID == id && cond(v) {
				return v
			}
		}
		waitABit()
	}
	t.Fatalf("no session event: %s", what)
	return view.Session{}
}

func result(t *testing.T, done <-chan view.Session) view.Session {
	t.Helper()
	select {
	case v := <-done:
		return v
	case <-time.After(45 * time.Second):
		t.Fatal("SignIn did not return")
	}
	return view.Session{}
}

// The built-in device profile: the session waits with the user code, the
// verification URI and its QR code (the library's matrix of
// verification_uri_complete), no browser is started, and once the code is
// approved in a browser (here the stand-in, at the QR code's URL) the
// session is signed in with the device gone.
func TestDeviceSignInShowsTheCodeThenSignsIn(t *testing.T) {
	d, rec, bot := newTestDesk(t, t.TempDir(), nil, "alice", fastDemo(0))
	opened := 0
	d.host.OpenBrowser = func(string) error { opened++; return nil }
	ctx := testCtx(t)
	done := signInAside(d, ctx, store.DemoDeviceProfileID)

	w := waitSession(t, rec, store.DemoDeviceProfileID, "device code shown", func(v view.Session) bool { return v.Device != nil })
	dv := w.Device
	if w.Status != view.StatusWaiting || w.Grant != "device_code" || w.Handoff != nil {
		t.Errorf("waiting session: status %q grant %q handoff %+v", w.Status, w.Grant, w.Handoff)
	}
	if dv.UserCode == "" || !strings.HasPrefix(dv.VerificationURI, "http://127.0.0.1:") ||
		!strings.Contains(dv.VerificationURIComplete, url.QueryEscape(dv.UserCode)) || dv.Interval != 1 {
		t.Fatalf("device %+v", dv)
	}
	if exp, err := time.Parse(time.RFC3339, dv.ExpiresAt); err != nil || !exp.After(time.Now()) {
		t.Errorf("expiresAt %q: %v", dv.ExpiresAt, err)
	}
	want, err := qr.Encode(dv.VerificationURIComplete)
	if err != nil {
		t.Fatal(err)
	}
	if dv.QR.Size != want.Size() || dv.QR.Path != want.SVGPath() || dv.QR.Path == "" {
		t.Errorf("QR size %d path %.40q…, want the matrix of verification_uri_complete", dv.QR.Size, dv.QR.Path)
	}
	if opened != 0 {
		t.Errorf("the device grant opened the browser %d times by itself", opened)
	}

	// Approve as a browser that scanned the QR code would.
	_ = bot.Open(ctx, dv.VerificationURIComplete) // ends on the demo's "done" page, not a callback
	v := result(t, done)
	if v.Status != view.StatusSignedIn || v.Device != nil || v.Grant != "device_code" || v.Subject == "" {
		t.Fatalf("after approval: status %q device %+v grant %q error %+v", v.Status, v.Device, v.Grant, v.Error)
	}
	if s := d.Session(store.DemoDeviceProfileID); s.Device != nil || !s.RefreshToken.Present {
		t.Errorf("session afterwards: device %+v refresh %v", s.Device, s.RefreshToken.Present)
	}
}

// The built-in service account: no browser, straight to signed in (never
// "waiting"), Refresh gets a new token, and once the token has expired the
// session stays signed in and Send renews it through the session's token
// source.
func TestClientCredentialsSignInAndRenewal(t *testing.T) {
	d, rec, _ := newTestDesk(t, t.TempDir(), nil, "alice", fastDemo(2*time.Second))
	opened := 0
	d.host.OpenBrowser = func(string) error { opened++; return nil }
	ctx := testCtx(t)
	v, err := d.SignIn(ctx, store.DemoServiceProfileID, false)
	if err != nil || v.Status != view.StatusSignedIn {
		t.Fatalf("sign in: %v, status %q, error %+v", err, v.Status, v.Error)
	}
	if v.Grant != "client_credentials" || !v.AccessToken.Present || v.RefreshToken.Present || v.IDToken.Present || !v.Capabilities.Refresh {
		t.Errorf("service session: grant %q access %v refresh %v id %v can refresh %v",
			v.Grant, v.AccessToken.Present, v.RefreshToken.Present, v.IDToken.Present, v.Capabilities.Refresh)
	}
	if opened != 0 {
		t.Errorf("client credentials opened the browser %d times", opened)
	}
	for _, e := range rec.named(EventSession) {
		if s := e.(view.Session); s.ProfileID == store.DemoServiceProfileID && s.Status == view.StatusWaiting {
			t.Errorf("a service-account sign-in went through %q", s.Status)
		}
	}

	first, _ := d.RevealToken(store.DemoServiceProfileID, "access")
	if _, err := d.Refresh(ctx, store.DemoServiceProfileID); err != nil {
		t.Fatal(err)
	}
	second, _ := d.RevealToken(store.DemoServiceProfileID, "access")
	if second == first || second == "" {
		t.Error("Refresh did not get a new token")
	}

	exp, _ := time.Parse(time.RFC3339, d.Session(store.DemoServiceProfileID).ExpiresAt)
	time.Sleep(time.Until(exp) + 1100*time.Millisecond)
	if s := d.Session(store.DemoServiceProfileID); s.Status != view.StatusSignedIn {
		t.Errorf("an expired service-account token shows %q, want signed in (it renews)", s.Status)
	}
	base := d.Profiles()[0].APIBase
	r, err := d.Send(ctx, view.RequestSpec{ID: "r-cc", ProfileID: store.DemoServiceProfileID, Method: "GET", URL: base + "/orders", AttachToken: true})
	if err != nil || r.Status != 200 {
		t.Fatalf("GET /orders with the service account: %v %d %q %+v", err, r.Status, r.Body, r.Error)
	}
	if third, _ := d.RevealToken(store.DemoServiceProfileID, "access"); third == second {
		t.Error("the expired token was not renewed before the request")
	}
}

// interceptingBot is a stand-in browser that cannot reach the app's
// loopback listener: it signs in at the provider, then keeps the address it
// was sent back to (as the user would copy it from the address bar).
func interceptingBot(user string) (*browserbot.Bot, func() string) {
	var mu sync.Mutex
	var got string
	client := &http.Client{Timeout: 15 * time.Second, Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/callback" {
			mu.Lock()
			got = r.URL.String()
			mu.Unlock()
			return &http.Response{StatusCode: 502, Body: io.NopCloser(strings.NewReader("unreachable")), Header: http.Header{}, Request: r}, nil
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	bot := browserbot.New(browserbot.Options{User: user, Client: client})
	return bot, func() string { mu.Lock(); defer mu.Unlock(); return got }
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Paste the redirect: a pasted address from another attempt (wrong state)
// is refused with the reason and the sign-in keeps waiting; the real one is
// accepted and the sign-in finishes. The handoff carries the URL and says a
// paste is accepted meanwhile.
func TestPasteRedirectRefusedThenAccepted(t *testing.T) {
	d, rec, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	bot, redirect := interceptingBot("alice")
	ctx := testCtx(t)
	opened := make(chan string, 1)
	d.host.OpenBrowser = func(u string) error { opened <- u; return nil }

	if err := d.PasteRedirect(ctx, store.DemoProfileID, "code=x&state=y"); err == nil {
		t.Error("a paste with no sign-in waiting was accepted")
	}
	done := signInAside(d, ctx, store.DemoProfileID)
	authURL := <-opened
	w := waitSession(t, rec, store.DemoProfileID, "handoff with the URL", func(v view.Session) bool {
		return v.Handoff != nil && v.Handoff.URL != ""
	})
	if w.Handoff.URL != authURL || !w.Handoff.Paste || w.Handoff.PasteOnly || w.Handoff.BrowserError != "" || w.Status != view.StatusWaiting {
		t.Errorf("handoff %+v status %q", w.Handoff, w.Status)
	}
	if err := bot.Open(ctx, authURL); err != nil {
		t.Fatal(err)
	}
	back := redirect()
	if back == "" {
		t.Fatal("the stand-in browser never got the redirect")
	}
	u, _ := url.Parse(back)
	forged := *u
	q := forged.Query()
	q.Set("state", "from-another-attempt")
	forged.RawQuery = q.Encode()
	err := d.PasteRedirect(ctx, store.DemoProfileID, forged.String())
	if err == nil || !strings.Contains(err.Error(), "state") {
		t.Fatalf("forged paste: %v, want a refusal naming the state", err)
	}
	if s := d.Session(store.DemoProfileID); s.Status != view.StatusWaiting || s.Handoff == nil || !s.Handoff.Paste {
		t.Fatalf("after a refused paste: status %q handoff %+v", s.Status, s.Handoff)
	}
	if err := d.PasteRedirect(ctx, store.DemoProfileID, "?"+u.RawQuery); err != nil {
		t.Fatalf("the real redirect's query was refused: %v", err)
	}
	v := result(t, done)
	if v.Status != view.StatusSignedIn || v.Handoff != nil || v.DisplayName != "Alice Anders" {
		t.Fatalf("after the paste: status %q handoff %+v error %+v", v.Status, v.Handoff, v.Error)
	}
	if err := d.PasteRedirect(ctx, store.DemoProfileID, "?"+u.RawQuery); err == nil {
		t.Error("a second paste after the sign-in was accepted")
	}
}

// A system browser that cannot be started (here a launcher that exits 1 as
// Chromium does as root without --no-sandbox) is reported on the waiting
// screen — the handoff's URL, the browser's error and the paste box — while
// the sign-in goes on waiting; Open again reports the same.
func TestBrowserFailureShowsTheHandoff(t *testing.T) {
	d, rec, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	script := filepath.Join(t.TempDir(), "chromium")
	if err := os.WriteFile(script, []byte("#!/bin/sh\necho 'Running as root without --no-sandbox is not supported.' >&2\nexit 1\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	d.host.OpenBrowser = func(u string) error { return launch.Launcher{Browser: script}.Open(context.Background(), u) }
	ctx := testCtx(t)
	done := signInAside(d, ctx, store.DemoProfileID)
	w := waitSession(t, rec, store.DemoProfileID, "browser error shown", func(v view.Session) bool {
		return v.Handoff != nil && v.Handoff.BrowserError != ""
	})
	h := w.Handoff
	if !strings.Contains(h.BrowserError, "exited with status 1") || !strings.Contains(h.BrowserError, "--no-sandbox") ||
		!strings.HasPrefix(h.URL, "http://127.0.0.1:") || !h.Paste || w.Status != view.StatusWaiting {
		t.Errorf("handoff %+v status %q", h, w.Status)
	}
	err := d.OpenAuthorizationAgain(store.DemoProfileID)
	if err == nil || !strings.Contains(err.Error(), "exited with status 1") {
		t.Errorf("Open again: %v", err)
	}
	if s := d.Session(store.DemoProfileID); s.Status != view.StatusWaiting || s.Handoff == nil || s.Handoff.BrowserError == "" {
		t.Errorf("still waiting with the error shown: status %q handoff %+v", s.Status, s.Handoff)
	}
	d.CancelSignIn(store.DemoProfileID)
	if v := result(t, done); v.Status != view.StatusSignedOut || v.Handoff != nil {
		t.Errorf("after cancel: status %q handoff %+v", v.Status, v.Handoff)
	}
}

// Token exchange: the exchanged token is a session of its own under a new
// id, listed after its profile as "… → exchanged", with its own trace, and
// usable in the request console (Send) like any session; signing it out
// drops it, and it is no profile to select, save or sign in.
func TestExchangeTokenMakesASecondSessionUsableBySend(t *testing.T) {
	d, _, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	ctx := testCtx(t)
	if v, err := d.SignIn(ctx, store.DemoProfileID, false); err != nil || v.Status != view.StatusSignedIn {
		t.Fatalf("sign in: %v %+v", err, v.Error)
	}
	base := d.Profiles()[0].APIBase
	xp, err := d.ExchangeToken(ctx, store.DemoProfileID, view.ExchangeRequest{SubjectToken: "access", Audience: base})
	if err != nil {
		t.Fatal(err)
	}
	if xp.ID == store.DemoProfileID || xp.Name != "Demo provider → exchanged" || xp.Status != view.StatusSignedIn || xp.BuiltIn {
		t.Fatalf("exchanged profile %+v", xp)
	}
	ps := d.Profiles()
	if len(ps) < 2 || ps[0].ID != store.DemoProfileID || ps[1].ID != xp.ID {
		t.Errorf("sidebar order: %v", ids(ps))
	}
	s := d.Session(xp.ID)
	if s.Status != view.StatusSignedIn || s.Grant != "token_exchange" || s.ExchangedFrom != store.DemoProfileID ||
		!strings.HasPrefix(s.IssuedTokenType, "urn:ietf:params:oauth:token-type:") || !s.AccessToken.Present {
		t.Errorf("exchanged session: %+v", s)
	}
	if len(d.Trace(xp.ID)) == 0 {
		t.Error("the exchange has no trace of its own")
	}
	orig, _ := d.RevealToken(store.DemoProfileID, "access")
	exch, _ := d.RevealToken(xp.ID, "access")
	if exch == "" || exch == orig {
		t.Error("the exchanged session holds the original token")
	}
	r, err := d.Send(ctx, view.RequestSpec{ID: "r-x", ProfileID: xp.ID, Method: "GET", URL: base + "/me", AttachToken: true})
	if err != nil || r.Status != 200 || !strings.Contains(r.Body, "alice") {
		t.Fatalf("GET /me with the exchanged token: %v %d %q %+v", err, r.Status, r.Body, r.Error)
	}
	if c, err := d.Curl(view.RequestSpec{ProfileID: xp.ID, Method: "GET", URL: base + "/me", AttachToken: true}, true); err != nil || !strings.Contains(c, exch) {
		t.Errorf("curl with the exchanged token: %v", err)
	}
	if err := d.SelectProfile(xp.ID); err != nil {
		t.Errorf("select: %v", err)
	}
	if _, err := d.SaveProfile(xp); err == nil {
		t.Error("an exchanged session was saved as a profile")
	}
	if _, err := d.SignIn(ctx, xp.ID, false); err == nil {
		t.Error("an exchanged session signed in")
	}
	// A provider refusal (a scope the subject token never had: an exchange
	// never widens it) is returned and leaves no session behind.
	if _, err := d.ExchangeToken(ctx, store.DemoProfileID, view.ExchangeRequest{Audience: base, Scope: "orders:write"}); err == nil {
		t.Error("an exchange widening the scope succeeded")
	}
	if n := len(d.Profiles()); n != len(ps) {
		t.Errorf("a failed exchange changed the sidebar: %d → %d", len(ps), n)
	}
	if _, err := d.SignOut(ctx, xp.ID); err != nil {
		t.Fatal(err)
	}
	for _, p := range d.Profiles() {
		if p.ID == xp.ID {
			t.Error("the exchanged session is still listed after sign-out")
		}
	}
	if _, err := d.Send(ctx, view.RequestSpec{ID: "r-y", ProfileID: xp.ID, Method: "GET", URL: base + "/me", AttachToken: true}); !errors.Is(err, store.ErrProfileNotFound) {
		t.Errorf("send after sign-out: %v, want profile not found", err)
	}
}

// A sign-in that times out with nothing back at the listener ends in the
// error state but keeps the pending sign-in: the handoff still takes a
// paste (until PasteUntil), and pasting the redirect signs in.
func TestPasteAfterTheTimeoutFinishesTheSignIn(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 10 s minimum sign-in timeout")
	}
	d, _, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	bot, redirect := interceptingBot("alice")
	ctx := testCtx(t)
	p, err := d.DuplicateProfile(store.DemoProfileID)
	if err != nil {
		t.Fatal(err)
	}
	p.TimeoutSeconds = store.MinTimeoutSeconds
	if res, err := d.SaveProfile(p); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	d.host.OpenBrowser = func(u string) error { go func() { _ = bot.Open(ctx, u) }(); return nil }
	v, err := d.SignIn(ctx, p.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != view.StatusError || v.Error == nil || v.Error.Kind != "timeout" || v.Handoff == nil || !v.Handoff.Paste {
		t.Fatalf("after the timeout: status %q error %+v handoff %+v", v.Status, v.Error, v.Handoff)
	}
	until, err := time.Parse(time.RFC3339, v.Handoff.PasteUntil)
	if err != nil || !until.After(time.Now()) {
		t.Errorf("pasteUntil %q: %v", v.Handoff.PasteUntil, err)
	}
	if err := d.PasteRedirect(ctx, p.ID, "code=nope&state=nope"); err == nil || !strings.Contains(err.Error(), "state") {
		t.Errorf("a forged paste after the timeout: %v", err)
	}
	if err := d.PasteRedirect(ctx, p.ID, redirect()); err != nil {
		t.Fatalf("paste after the timeout: %v", err)
	}
	if s := d.Session(p.ID); s.Status != view.StatusSignedIn || s.Handoff != nil || s.Error != nil {
		t.Errorf("after the paste: status %q handoff %+v error %+v", s.Status, s.Handoff, s.Error)
	}
}

func ids(ps []view.Profile) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.ID)
	}
	return out
}

// The device grant's ends are told apart: an expired code, a denial.
func TestErrorViewTellsDeviceEndsApart(t *testing.T) {
	if v := errorView(auth.ErrDeviceCodeExpired); v.Kind != "expired" || v.Code != "expired_token" {
		t.Errorf("expired: %+v", v)
	}
	if v := errorView(&auth.ProviderError{Code: "access_denied"}); v.Kind != "denied" || v.Code != "access_denied" {
		t.Errorf("denied: %+v", v)
	}
	if v := errorView(&auth.ProviderError{Code: "invalid_grant"}); v.Kind != "provider" {
		t.Errorf("other provider error: %+v", v)
	}
}
