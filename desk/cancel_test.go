package desk

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"pkcedesk/store"
	"pkcedesk/view"
)

// within runs fn in the background and fails the test when it has not
// returned after d: the bugs here are operations that never return.
func within[T any](t *testing.T, d time.Duration, what string, fn func() T) T {
	t.Helper()
	done := make(chan T, 1)
	go func() { done <- fn() }()
	select {
	case v := <-done:
		return v
	case <-time.After(d):
		t.Fatalf("%s still running after %v", what, d)
		var zero T
		return zero
	}
}

// saveWithCA saves a profile at an issuer nobody answers for, using caFile.
func saveWithCA(t *testing.T, d *Desk, caFile string) view.Profile {
	t.Helper()
	res, err := d.SaveProfile(view.Profile{Name: "Custom CA", Issuer: "https://idp.example.invalid", ClientID: "desk",
		AuthMethod: "none", Scopes: []string{"openid"}, CAFile: caFile})
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	return res.Profile
}

// stuckReads is a readFile hook whose reads block until the test ends, like
// a file on a mount that stopped answering; entered receives the path of
// each read as it starts.
type stuckReads struct {
	entered chan string
	release chan struct{}
}

func newStuckReads(t *testing.T) *stuckReads {
	s := &stuckReads{entered: make(chan string, 16), release: make(chan struct{})}
	t.Cleanup(func() { close(s.release) })
	return s
}

func (s *stuckReads) read(path string, max int64) ([]byte, error) {
	s.entered <- path
	<-s.release
	return nil, context.Canceled
}

// waitEntered waits until an operation is stuck in its read.
func (s *stuckReads) waitEntered(t *testing.T) {
	t.Helper()
	select {
	case <-s.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the operation never reached its first read")
	}
}

// Cancel reaches an operation still in its first step: the cancel is in
// place before the profile's files are read.
func TestCancelEndsAnOperationStuckInItsFirstStep(t *testing.T) {
	stuck := newStuckReads(t)
	d, _, _ := newTestDesk(t, t.TempDir(), nil, "alice", func(o *Options) { o.readFile = stuck.read })
	ctx := testCtx(t)
	p := saveWithCA(t, d, "/mnt/stalled/ca.pem")
	const limit = 10 * time.Second

	signIn := make(chan view.Session, 1)
	go func() { v, _ := d.SignIn(ctx, p.ID, false); signIn <- v }()
	stuck.waitEntered(t)
	d.CancelSignIn(p.ID)
	v := within(t, limit, "SignIn after CancelSignIn", func() view.Session { return <-signIn })
	if v.Status != view.StatusSignedOut || v.Error == nil || v.Error.Kind != "canceled" {
		t.Errorf("SignIn after cancel: status %q, error %+v", v.Status, v.Error)
	}
	// The profile is free for the next attempt.
	go func() { v, _ := d.SignIn(ctx, p.ID, false); signIn <- v }()
	stuck.waitEntered(t)
	d.CancelSignIn(p.ID)
	within(t, limit, "second SignIn after CancelSignIn", func() view.Session { return <-signIn })

	send := make(chan view.Response, 1)
	go func() {
		r, _ := d.Send(ctx, view.RequestSpec{ID: "r1", ProfileID: p.ID, Method: "GET", URL: "https://api.example.invalid/"})
		send <- r
	}()
	stuck.waitEntered(t)
	d.CancelSend("r1")
	r := within(t, limit, "Send after CancelSend", func() view.Response { return <-send })
	if r.Error == nil || r.Error.Kind != "canceled" {
		t.Errorf("Send after cancel: %+v", r.Error)
	}

	disc := make(chan error, 1)
	go func() { _, err := d.Discover(ctx, p); disc <- err }()
	stuck.waitEntered(t)
	d.CancelDiscover(p.ID)
	if err := within(t, limit, "Discover after CancelDiscover", func() error { return <-disc }); err == nil || err.Error() != "discovery canceled" {
		t.Errorf("Discover after cancel: %v", err)
	}
}

// Discovery against an issuer that accepts the connection and never
// answers ends at CancelDiscover, long before its 30-second timeout.
func TestCancelDiscoverEndsAHangingDiscovery(t *testing.T) {
	d, _, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	ctx := testCtx(t)
	hang := make(chan struct{})
	asked := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked <- struct{}{}
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(hang); srv.Close() })

	disc := make(chan error, 1)
	go func() { _, err := d.Discover(ctx, view.Profile{ID: "", Issuer: srv.URL}); disc <- err }()
	select {
	case <-asked:
	case <-time.After(10 * time.Second):
		t.Fatal("discovery never reached the issuer")
	}
	d.CancelDiscover("")
	if err := within(t, 10*time.Second, "Discover after CancelDiscover", func() error { return <-disc }); err == nil || err.Error() != "discovery canceled" {
		t.Errorf("a canceled discovery: %v", err)
	}
}

// lockedKeychain stands in for a keychain waiting on an unlock prompt: once
// locked, every Get blocks until the test ends.
type lockedKeychain struct {
	*store.MemorySecrets
	locked  atomic.Bool
	entered chan struct{}
	release chan struct{}
}

func (k *lockedKeychain) Get(id string, kind store.SecretKind) (string, error) {
	if k.locked.Load() {
		k.entered <- struct{}{}
		<-k.release
	}
	return k.MemorySecrets.Get(id, kind)
}

// A sign-in waiting for the keychain to hand out the client secret ends at
// CancelSignIn, instead of staying stuck behind the unlock prompt.
func TestCancelSignInWhileTheKeychainIsLocked(t *testing.T) {
	kc := &lockedKeychain{MemorySecrets: store.NewMemorySecrets(), entered: make(chan struct{}, 4), release: make(chan struct{})}
	t.Cleanup(func() { close(kc.release) })
	d, _, _ := newTestDesk(t, t.TempDir(), kc, "alice")
	ctx := testCtx(t)
	res, err := d.SaveProfile(view.Profile{Name: "Confidential", Issuer: "https://idp.example.invalid", ClientID: "desk",
		AuthMethod: "client_secret_basic", ClientSecret: "a-client-secret", Scopes: []string{"openid"}})
	if err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	kc.locked.Store(true)
	signIn := make(chan view.Session, 1)
	go func() { v, _ := d.SignIn(ctx, res.Profile.ID, false); signIn <- v }()
	select {
	case <-kc.entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the sign-in never asked the keychain")
	}
	d.CancelSignIn(res.Profile.ID)
	v := within(t, 10*time.Second, "SignIn after CancelSignIn", func() view.Session { return <-signIn })
	if v.Error == nil || v.Error.Kind != "canceled" || v.Status != view.StatusSignedOut {
		t.Errorf("after cancel: status %q, error %+v", v.Status, v.Error)
	}
}
