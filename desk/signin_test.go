package desk

import (
	"errors"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pkcedesk/store"
	"pkcedesk/view"
)

func TestDemoSignInShowsTokensChecksAndTrace(t *testing.T) {
	d, rec, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	ctx := testCtx(t)

	v, err := d.SignIn(ctx, store.DemoProfileID, false)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != view.StatusSignedIn {
		t.Fatalf("status %q, error %+v", v.Status, v.Error)
	}
	if v.DisplayName != "Alice Anders" || v.Attempt != 1 {
		t.Errorf("display name %q, attempt %d", v.DisplayName, v.Attempt)
	}
	if v.IDToken.Kind != "jwt" || v.AccessToken.Kind != "jwt" || !v.RefreshToken.Present {
		t.Errorf("token kinds: id %q access %q refresh present %v", v.IDToken.Kind, v.AccessToken.Kind, v.RefreshToken.Present)
	}
	if len(v.Checks) == 0 {
		t.Fatal("no ID-token checks")
	}
	for _, c := range v.Checks {
		if !c.OK {
			t.Errorf("check %s failed: %s", c.Name, c.Detail)
		}
	}
	if v.UserInfo == "" || !strings.Contains(v.UserInfo, "alice@") {
		t.Errorf("userinfo not loaded: %q", v.UserInfo)
	}
	// Time claims carry the instant; the relative time is the UI's to
	// render live, so the meaning is the fixed explanation only.
	var sawExp bool
	for _, c := range v.IDToken.Claims {
		if c.Name == "exp" {
			sawExp = true
			at, err := time.Parse(time.RFC3339, c.Time)
			if err != nil || !strings.HasSuffix(c.Time, "Z") || !at.After(time.Now()) {
				t.Errorf("exp time %q (%v): want a future RFC 3339 UTC instant", c.Time, err)
			}
			if c.Meaning != claimMeanings["exp"] {
				t.Errorf("exp meaning %q, want only %q", c.Meaning, claimMeanings["exp"])
			}
		}
		if c.Time != "" && !timeClaims[c.Name] {
			t.Errorf("claim %s is not a time claim but has time %q", c.Name, c.Time)
		}
	}
	if !sawExp {
		t.Error("the ID token has no exp claim")
	}

	// The status went waiting → exchanging → signed in, live.
	var statuses []string
	for _, e := range rec.named(EventSession) {
		s := e.(view.Session).Status
		if len(statuses) == 0 || statuses[len(statuses)-1] != s {
			statuses = append(statuses, s)
		}
	}
	want := []string{view.StatusWaiting, view.StatusExchanging, view.StatusSignedIn}
	if strings.Join(statuses, ",") != strings.Join(want, ",") {
		t.Errorf("status sequence %v, want %v", statuses, want)
	}

	// Trace: streamed live and masked; secrets only through explicit reveal.
	if n := len(rec.named(EventTrace)); n < 8 {
		t.Errorf("only %d trace events streamed", n)
	}
	tr := d.Trace(store.DemoProfileID)
	verifier := ""
	for _, e := range tr {
		if e.Attempt != v.Attempt {
			t.Errorf("trace event %d of attempt %d, want %d", e.Seq, e.Attempt, v.Attempt)
		}
		for _, f := range e.Fields {
			if f.Name != "code_verifier" {
				continue
			}
			verifier, err = d.RevealTraceField(store.DemoProfileID, e.Seq, "code_verifier")
			if err != nil {
				t.Fatal(err)
			}
			// Compared with the real value, not with what a verifier
			// usually looks like.
			if !f.Secret || strings.Contains(f.Value, verifier) {
				t.Errorf("verifier not masked in trace: %+v", f)
			}
		}
	}
	if len(verifier) != 43 {
		t.Fatalf("revealed verifier %q", verifier)
	}
	for _, u := range rec.named(EventTrace) {
		ev := u.(view.TraceUpdate).Event
		for _, f := range ev.Fields {
			if strings.Contains(f.Value, verifier) {
				t.Errorf("streamed trace event %d shows the verifier in %s", ev.Seq, f.Name)
			}
		}
	}
	for _, format := range []string{"markdown", "json"} {
		out, err := d.ExportTrace(store.DemoProfileID, format)
		if err != nil {
			t.Fatal(err)
		}
		access, _ := d.RevealToken(store.DemoProfileID, "access")
		if strings.Contains(out, verifier) || strings.Contains(out, access) {
			t.Errorf("%s export leaks a secret", format)
		}
	}
}

func TestSendRefreshRevokeSignOutAgainstDemoAPI(t *testing.T) {
	d, _, _ := newTestDesk(t, t.TempDir(), nil, "bob")
	ctx := testCtx(t)
	if v, err := d.SignIn(ctx, store.DemoProfileID, false); err != nil || v.Status != view.StatusSignedIn {
		t.Fatalf("sign in: %v %+v", err, v.Error)
	}
	base := d.Profiles()[0].APIBase
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("demo API base %q", base)
	}
	send := func(path string) view.Response {
		t.Helper()
		r, err := d.Send(ctx, view.RequestSpec{ID: "r-" + path, ProfileID: store.DemoProfileID, Method: "GET", URL: base + path, AttachToken: true})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if r := send("/me"); r.Status != 200 || !strings.Contains(r.Body, "bob") {
		t.Fatalf("GET /me: %d %q %+v", r.Status, r.Body, r.Error)
	}
	if r := send("/orders"); r.Status != 403 {
		t.Errorf("GET /orders without orders:read: %d", r.Status)
	}

	before, _ := d.RevealToken(store.DemoProfileID, "refresh")
	v, err := d.Refresh(ctx, store.DemoProfileID)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := d.RevealToken(store.DemoProfileID, "refresh")
	if before == after || v.Rotations != 1 || v.Refreshes != 1 {
		t.Errorf("refresh: rotated %v, rotations %d, refreshes %d", before != after, v.Rotations, v.Refreshes)
	}

	if _, err := d.Revoke(ctx, store.DemoProfileID, "access"); err != nil {
		t.Fatal(err)
	}
	if r := send("/me"); r.Status != 401 {
		t.Errorf("GET /me after revoke: %d", r.Status)
	}

	// History keeps the requests, never the token.
	h := d.History(store.DemoProfileID)
	if len(h) != 3 {
		t.Fatalf("history has %d entries", len(h))
	}
	access, _ := d.RevealToken(store.DemoProfileID, "access")
	res, err := d.SignOut(ctx, store.DemoProfileID)
	if err != nil || !res.Revoked {
		t.Fatalf("sign out: %v %+v", err, res)
	}
	if s := d.Session(store.DemoProfileID); s.Status != view.StatusSignedOut || s.AccessToken.Present {
		t.Errorf("after sign out: %+v", s)
	}
	assertNoSecretInDir(t, d.st().Dir(), access, before, after)
}

func TestKeepSignedInRestoresWithoutBrowser(t *testing.T) {
	dir := t.TempDir()
	secrets := store.NewMemorySecrets() // stands in for the keychain across "restarts"
	d, _, _ := newTestDesk(t, dir, secrets, "alice")
	ctx := testCtx(t)
	p := d.Profiles()[0]
	p.KeepSignedIn = true
	if res, err := d.SaveProfile(p); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	if v, err := d.SignIn(ctx, store.DemoProfileID, false); err != nil || v.Status != view.StatusSignedIn {
		t.Fatalf("sign in: %v %+v", err, v.Error)
	}
	kept, err := secrets.Get(store.DemoProfileID, store.RefreshToken)
	if err != nil || kept == "" {
		t.Fatalf("refresh token not kept: %v", err)
	}
	if _, err := d.Refresh(ctx, store.DemoProfileID); err != nil {
		t.Fatal(err)
	}
	rotated, _ := secrets.Get(store.DemoProfileID, store.RefreshToken)
	if rotated == kept {
		t.Fatal("rotated refresh token did not replace the kept one")
	}
	assertNoSecretInDir(t, dir, kept, rotated)

	// A restart: the first Desk quits (stopping its demo provider), a new
	// one opens the same config dir and keychain, and its start-up restores
	// the session with the kept refresh token — no browser.
	d.Close()
	opened := 0
	d2, _, _ := newTestDesk(t, dir, secrets, "alice")
	d2.host.OpenBrowser = func(string) error { opened++; return nil }
	var s view.Session
	for i := 0; i < 1000; i++ {
		if s = d2.Session(store.DemoProfileID); s.Status == view.StatusSignedIn {
			break
		}
		waitABit()
	}
	if s.Status != view.StatusSignedIn || !s.Restored || opened != 0 {
		t.Fatalf("after restart: status %q restored %v, browser opened %d times, error %+v", s.Status, s.Restored, opened, s.Error)
	}
	var sawRestore bool
	for _, e := range d2.Trace(store.DemoProfileID) {
		sawRestore = sawRestore || strings.Contains(e.Title, "restored")
	}
	if !sawRestore {
		t.Error("timeline does not show the restore")
	}
	if r, _ := d2.RevealToken(store.DemoProfileID, "refresh"); r == rotated {
		t.Error("the restore did not rotate the refresh token")
	}
	assertNoSecretInDir(t, dir, kept, rotated)
	d = d2
	if _, err := d.SignOut(ctx, store.DemoProfileID); err != nil {
		t.Fatal(err)
	}
	if _, err := secrets.Get(store.DemoProfileID, store.RefreshToken); err == nil {
		t.Error("sign out left the kept refresh token")
	}
}

func TestPresentationModeRefusesReveal(t *testing.T) {
	d, _, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	ctx := testCtx(t)
	if _, err := d.SignIn(ctx, store.DemoProfileID, false); err != nil {
		t.Fatal(err)
	}
	if err := d.SaveSettings(view.Settings{PresentationMode: true, Theme: "system"}); err != nil {
		t.Fatal(err)
	}
	if _, err := d.RevealToken(store.DemoProfileID, "access"); err == nil {
		t.Error("reveal allowed in presentation mode")
	}
	if _, err := d.Curl(view.RequestSpec{ProfileID: store.DemoProfileID, URL: "http://127.0.0.1/x", AttachToken: true}, true); err == nil {
		t.Error("curl with real token allowed in presentation mode")
	}
}

func TestCancelSignInClosesAndSaysCanceled(t *testing.T) {
	d, _, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	d.host.OpenBrowser = func(string) error { return nil } // a browser that never comes back
	ctx := testCtx(t)
	done := make(chan view.Session, 1)
	go func() { v, _ := d.SignIn(ctx, store.DemoProfileID, false); done <- v }()

	// Wait until the sign-in waits for the browser with its port open.
	addr := ""
	deadline := time.Now().Add(10 * time.Second)
	for addr == "" || d.Session(store.DemoProfileID).Status != view.StatusWaiting {
		if time.Now().After(deadline) {
			t.Fatalf("the sign-in never waited for the browser with a redirect URI: status %q", d.Session(store.DemoProfileID).Status)
		}
		waitABit()
		for _, e := range d.Trace(store.DemoProfileID) {
			for _, f := range e.Fields {
				if f.Name == "redirect_uri" {
					if u, err := url.Parse(f.Value); err == nil {
						addr = u.Host
					}
				}
			}
		}
	}
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatalf("the loopback port %s is not open while waiting: %v", addr, err)
	}
	c.Close()

	d.CancelSignIn(store.DemoProfileID)
	var v view.Session
	select {
	case v = <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("SignIn did not return after CancelSignIn")
	}
	if v.Status != view.StatusSignedOut || v.Error == nil || v.Error.Kind != "canceled" {
		t.Fatalf("after cancel: %+v %+v", v, v.Error)
	}
	// SignIn returns after the listener closed: nothing answers on the port.
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("the loopback port %s still accepts connections after Cancel", addr)
	}
}

func assertNoSecretInDir(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if s != "" && strings.Contains(string(b), s) {
				t.Errorf("%s contains a secret", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// capturingBrowser wraps the test browser and keeps each URL it is asked to
// open.
type capturingBrowser struct {
	mu   sync.Mutex
	urls []*url.URL
	next func(string) error
}

func (c *capturingBrowser) open(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.urls = append(c.urls, u)
	c.mu.Unlock()
	return c.next(raw)
}

func (c *capturingBrowser) last(t *testing.T) *url.URL {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.urls) == 0 {
		t.Fatal("the browser was never opened")
	}
	return c.urls[len(c.urls)-1]
}

// "Sign in as another user" asks for prompt=login in place of the profile's
// own prompt, never beside it (a repeated parameter is refused by the demo
// provider and by OIDC providers in general); the profile's other
// parameters stay, and a normal sign-in keeps its prompt.
func TestSignInAsAnotherUserReplacesThePrompt(t *testing.T) {
	d, _, bot := newTestDesk(t, t.TempDir(), nil, "alice")
	ctx := testCtx(t)
	browser := &capturingBrowser{next: func(u string) error { return bot.Opener()(ctx, u) }}
	d.host.OpenBrowser = browser.open
	p := d.Profiles()[0]
	p.Params = []view.KV{{Key: "prompt", Value: "consent", Enabled: true}, {Key: "ui_locales", Value: "de", Enabled: true}}
	if res, err := d.SaveProfile(p); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}

	v, err := d.SignIn(ctx, store.DemoProfileID, true)
	if err != nil || v.Status != view.StatusSignedIn {
		t.Fatalf("sign in as another user: %v, status %q, error %+v", err, v.Status, v.Error)
	}
	q := browser.last(t).Query()
	if got := q["prompt"]; !slices.Equal(got, []string{"login"}) {
		t.Errorf("prompt = %q, want only login", got)
	}
	if got := q["ui_locales"]; !slices.Equal(got, []string{"de"}) {
		t.Errorf("ui_locales = %q, want the profile's de", got)
	}

	if v, err := d.SignIn(ctx, store.DemoProfileID, false); err != nil || v.Status != view.StatusSignedIn {
		t.Fatalf("sign in: %v, status %q, error %+v", err, v.Status, v.Error)
	}
	if got := browser.last(t).Query()["prompt"]; !slices.Equal(got, []string{"consent"}) {
		t.Errorf("a normal sign-in sent prompt = %q, want the profile's consent", got)
	}
}

// keepSignedIn saves the demo profile with "keep me signed in".
func keepSignedIn(t *testing.T, d *Desk) {
	t.Helper()
	p := d.Profiles()[0]
	p.KeepSignedIn = true
	if res, err := d.SaveProfile(p); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
}

// A kept refresh token the provider no longer accepts (invalid_grant at the
// launch restore) is deleted from the keychain, so the next launch does not
// try it again; a restore that fails for another reason keeps it.
func TestDeadKeptTokenIsDeletedAtRestore(t *testing.T) {
	dir := t.TempDir()
	secrets := store.NewMemorySecrets()
	const dead = "rt-the-provider-never-issued-this"
	if err := secrets.Set(store.DemoProfileID, store.RefreshToken, dead); err != nil {
		t.Fatal(err)
	}
	// The profile keeps its sign-in and names a CA bundle the next run
	// cannot read. Nothing was kept yet, so this run restores nothing.
	d, _, _ := newTestDesk(t, dir, store.NewMemorySecrets(), "alice")
	p := d.Profiles()[0]
	p.KeepSignedIn, p.CAFile = true, filepath.Join(dir, "ca.pem")
	if res, err := d.SaveProfile(p); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	d.Close()

	// A restore that fails before it reaches the provider keeps the token.
	unreadable := func(o *Options) {
		o.readFile = func(string, int64) ([]byte, error) { return nil, errors.New("the disk went away") }
	}
	d1, rec1, _ := newTestDesk(t, dir, secrets, "alice", unreadable)
	waitForNotice(t, rec1, "could not restore your session")
	if got, err := secrets.Get(store.DemoProfileID, store.RefreshToken); err != nil || got != dead {
		t.Fatalf("a restore that never reached the provider dropped the kept token: %q, %v", got, err)
	}
	p = d1.Profiles()[0]
	p.CAFile = ""
	if res, err := d1.SaveProfile(p); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	d1.Close()

	// The provider itself says the token is dead: it is deleted.
	d2, rec2, _ := newTestDesk(t, dir, secrets, "alice")
	waitForNotice(t, rec2, "could not restore your session")
	if _, err := secrets.Get(store.DemoProfileID, store.RefreshToken); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the dead kept token is still in the keychain (err %v)", err)
	}
	s := d2.Session(store.DemoProfileID)
	if s.Status != view.StatusSignedOut || s.Error == nil || s.Error.Kind != "session_ended" || s.Error.Code != "invalid_grant" {
		t.Errorf("after a dead restore: status %q, error %+v", s.Status, s.Error)
	}
}

// waitForNotice waits for a notice containing want and fails when none
// comes.
func waitForNotice(t *testing.T, rec *recorder, want string) view.Notice {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		for _, n := range rec.named(EventNotice) {
			if n := n.(view.Notice); strings.Contains(n.Message, want) {
				return n
			}
		}
		waitABit()
	}
	t.Fatalf("no notice saying %q; notices: %+v", want, rec.named(EventNotice))
	return view.Notice{}
}

// refusingKeychain is a keychain that refuses to store refresh tokens (a
// locked or full keychain).
type refusingKeychain struct{ *store.MemorySecrets }

var errKeychainRefused = errors.New("the keychain refused the write (locked)")

func (k refusingKeychain) Set(profileID string, kind store.SecretKind, value string) error {
	if kind == store.RefreshToken {
		return errKeychainRefused
	}
	return k.MemorySecrets.Set(profileID, kind, value)
}

// When the keychain will not keep the refresh token, the user is told in a
// warning notice (the session itself goes on); nothing is kept elsewhere.
func TestKeychainRefusingTheRefreshTokenIsANotice(t *testing.T) {
	dir := t.TempDir()
	d, rec, _ := newTestDesk(t, dir, refusingKeychain{store.NewMemorySecrets()}, "alice")
	keepSignedIn(t, d)
	v, err := d.SignIn(testCtx(t), store.DemoProfileID, false)
	if err != nil || v.Status != view.StatusSignedIn {
		t.Fatalf("sign in: %v, status %q, error %+v", err, v.Status, v.Error)
	}
	n := waitForNotice(t, rec, "could not be kept in the keychain")
	if n.Level != "warn" || !strings.Contains(n.Message, errKeychainRefused.Error()) {
		t.Errorf("notice %+v, want a warning that says why", n)
	}
	rt, _ := d.RevealToken(store.DemoProfileID, "refresh")
	if rt == "" {
		t.Fatal("the session has no refresh token")
	}
	if strings.Contains(n.Message, rt) {
		t.Error("the notice shows the refresh token")
	}
	assertNoSecretInDir(t, dir, rt)
}
