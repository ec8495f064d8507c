package desk

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pkcedesk/store"
	"pkcedesk/view"
)

// waitFor polls cond every 10 ms for up to 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		if cond() {
			return
		}
		waitABit()
	}
	t.Fatalf("still waiting after 10 s for %s", what)
}

// keptDemoSession signs in to the demo with "keep me signed in" in a first
// Desk on dir and quits it, leaving the kept refresh token in secrets.
func keptDemoSession(t *testing.T, dir string, secrets store.Secrets) {
	t.Helper()
	d, _, _ := newTestDesk(t, dir, secrets, "alice")
	p := d.Profiles()[0]
	p.KeepSignedIn = true
	if res, err := d.SaveProfile(p); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	if v, err := d.SignIn(testCtx(t), store.DemoProfileID, false); err != nil || v.Status != view.StatusSignedIn {
		t.Fatalf("sign in: %v %+v", err, v.Error)
	}
	d.Close()
}

// Open reads no secret and Start probes the keychain in the background:
// the profiles are there while the probe still has not answered, and the
// kept session shows as restoring (never "signed out") until it is back.
func TestStartupShowsProfilesBeforeTheKeychainAnswersAndRestoresAfter(t *testing.T) {
	dir := t.TempDir()
	secrets := store.NewMemorySecrets()
	keptDemoSession(t, dir, secrets)

	release := make(chan struct{})
	var probes atomic.Int32
	probe := func() (store.Secrets, []store.Notice) {
		probes.Add(1)
		<-release
		return secrets, nil
	}
	shown := make(chan struct{})
	d, err := Open(Options{Version: "test", ConfigDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), probeSecrets: probe})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { close(release); d.Close() })
	if ps := d.Profiles(); len(ps) == 0 || probes.Load() != 0 {
		t.Fatalf("before Start: %d profiles, %d keychain probes; want the profiles and no probe", len(ps), probes.Load())
	}
	if s := d.Session(store.DemoProfileID); s.Status != view.StatusRestoring {
		t.Fatalf("a kept session before its restore shows %q, want %q", s.Status, view.StatusRestoring)
	}
	var emitted atomic.Int32
	d.Start(context.Background(), Host{Emit: func(string, any) { emitted.Add(1) }, Shown: shown})
	waitFor(t, "the keychain probe to start", func() bool { return probes.Load() == 1 })
	if info := d.Info(); !info.KeychainChecking {
		t.Errorf("Info while the probe runs: KeychainChecking false")
	}
	// Bindings that need no secret answer while the probe hangs.
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = d.Profiles()
		_ = d.Settings()
		_, _ = d.WindowSize()
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Profiles/Settings/WindowSize waited for the keychain probe")
	}
	release <- struct{}{} // the probe answers
	waitFor(t, "Info to know the keychain", func() bool { return !d.Info().KeychainChecking })
	// Not shown yet: no restore (it may read the keychain, which can prompt).
	time.Sleep(50 * time.Millisecond)
	if s := d.Session(store.DemoProfileID); s.Status != view.StatusRestoring || s.Attempt != 0 {
		t.Fatalf("before the page is shown: status %q attempt %d, want restoring and no attempt", s.Status, s.Attempt)
	}
	close(shown)
	waitFor(t, "the restore", func() bool { return d.Session(store.DemoProfileID).Status == view.StatusSignedIn })
	if s := d.Session(store.DemoProfileID); !s.Restored {
		t.Fatalf("signed in but not restored: %+v", s)
	}
}

// A kept profile whose refresh token is gone (keychain wiped, memory-only
// run) goes from restoring to signed out once the keychain answers, with
// the reason as a notice when the keychain fell back to memory.
func TestStartupSettlesAKeptProfileWithNothingToRestore(t *testing.T) {
	dir := t.TempDir()
	keptDemoSession(t, dir, store.NewMemorySecrets())
	var notices atomic.Value // []string
	notices.Store([]string{})
	probe := func() (store.Secrets, []store.Notice) {
		return store.NewMemorySecrets(), []store.Notice{{Code: store.NoticeSecretsInMemory, Message: "keychain unavailable: kept in memory only"}}
	}
	d, err := Open(Options{Version: "test", ConfigDir: dir, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), probeSecrets: probe})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.Close)
	var emitMu sync.Mutex
	d.Start(context.Background(), Host{Emit: func(name string, data any) {
		if n, ok := data.(view.Notice); ok && name == EventNotice {
			emitMu.Lock()
			notices.Store(append(notices.Load().([]string), n.Message))
			emitMu.Unlock()
		}
	}})
	waitFor(t, "signed out", func() bool { return d.Session(store.DemoProfileID).Status == view.StatusSignedOut })
	info := d.Info()
	if info.KeychainPersistent || info.KeychainChecking {
		t.Errorf("Info: persistent %v checking %v, want memory only and known", info.KeychainPersistent, info.KeychainChecking)
	}
	waitFor(t, "the keychain notice", func() bool {
		for _, m := range notices.Load().([]string) {
			if strings.Contains(m, "memory only") {
				return true
			}
		}
		return false
	})
}
