package desk

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	if v.DisplayName != "Alice Anders" || !strings.Contains(v.StatusText, "Alice") {
		t.Errorf("display name %q, status text %q", v.DisplayName, v.StatusText)
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
	var sawExp bool
	for _, c := range v.IDToken.Claims {
		if c.Name == "exp" {
			sawExp = c.Time != "" && c.Meaning != ""
		}
	}
	if !sawExp {
		t.Error("exp claim has no time/meaning")
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
		for _, f := range e.Fields {
			if f.Name == "code_verifier" {
				if !f.Secret || strings.Contains(f.Value, "-") && len(f.Value) == 43 {
					t.Errorf("verifier not masked in trace: %+v", f)
				}
				verifier, err = d.RevealTraceField(store.DemoProfileID, e.Seq, "code_verifier")
				if err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	if len(verifier) != 43 {
		t.Fatalf("revealed verifier %q", verifier)
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
	assertNoSecretInDir(t, d.store.Dir(), access, before, after)
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
	for i := 0; i < 200 && d.Session(store.DemoProfileID).Status != view.StatusWaiting; i++ {
		waitABit()
	}
	d.CancelSignIn(store.DemoProfileID)
	v := <-done
	if v.Status != view.StatusSignedOut || v.Error == nil || v.Error.Kind != "canceled" {
		t.Fatalf("after cancel: %+v %+v", v, v.Error)
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
