package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestCancelDuringExchangeIsErrCanceled(t *testing.T) {
	op := newFakeOP(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	b := newBrowser()
	b.sync = true
	open := func(c context.Context, u string) error {
		time.AfterFunc(200*time.Millisecond, cancel)
		return b.open(c, u)
	}
	_, err := Login(ctx, op.config(), LoginOptions{Open: open})
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
