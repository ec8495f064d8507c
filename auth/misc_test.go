package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
)

func TestCancelDuringExchangeIsErrCanceled(t *testing.T) {
	op := newFakeOP(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var inExchange atomic.Bool
	op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		inExchange.Store(true)
		cancel() // the user cancels while the code exchange is in flight
		<-release
	}
	_, err := Login(ctx, op.config(), LoginOptions{Open: newBrowser().open})
	if !inExchange.Load() {
		t.Fatal("the token endpoint was never reached; the cancel landed at another step")
	}
	mustIs(t, err, ErrCanceled)
}

func TestDiscoveryIsCachedPerIssuerUntilInvalidated(t *testing.T) {
	var hits atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeJSON(w, 200, map[string]any{"issuer": srv.URL, "authorization_endpoint": srv.URL + "/a", "token_endpoint": srv.URL + "/t"})
	}))
	defer srv.Close()
	for range 3 {
		m, err := Discover(context.Background(), srv.URL, srv.Client())
		if err != nil || m.TokenEndpoint != srv.URL+"/t" {
			t.Fatal(m, err)
		}
	}
	if hits.Load() != 1 {
		t.Fatalf("%d fetches, want 1 (cached)", hits.Load())
	}
	InvalidateDiscovery(srv.URL)
	if _, err := Discover(context.Background(), srv.URL, srv.Client()); err != nil || hits.Load() != 2 {
		t.Fatalf("after invalidation: %v, %d fetches", err, hits.Load())
	}
}

func TestDecodeClaimsForDisplay(t *testing.T) {
	op := newFakeOP(t)
	c, err := DecodeClaims(op.sign(map[string]any{"sub": "x", "aud": []string{"a", "b"}}))
	if err != nil || c["sub"] != "x" {
		t.Fatal(c, err)
	}
	if _, err := DecodeClaims("opaque-token"); err == nil {
		t.Error("opaque token decoded")
	}
	d, _ := decodeJWT(op.sign(map[string]any{"aud": []string{"a", "b"}}))
	if got := d.aud(); len(got) != 2 || got[1] != "b" {
		t.Errorf("aud %v", got)
	}
	if NewSecret("short").Mask() != "••••" || (Secret{}).Mask() != "" {
		t.Error("mask of short or empty secrets")
	}
}
