package auth

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Discovery fetched through one profile's custom CA must not be served to
// a profile that does not trust that CA (the caches are keyed by trust).
func TestDiscoveryCacheIsKeyedByTrust(t *testing.T) {
	var srv *httptest.Server
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"issuer": srv.URL, "authorization_endpoint": srv.URL + "/a", "token_endpoint": srv.URL + "/t", "jwks_uri": srv.URL + "/jwks"})
	}))
	t.Cleanup(srv.Close)
	caPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	withCA, err := NewHTTPClient(caPEM)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Discover(context.Background(), srv.URL, withCA); err != nil {
		t.Fatalf("discovery with the CA: %v", err)
	}
	systemRoots, _ := NewHTTPClient(nil)
	_, err = Discover(context.Background(), srv.URL, systemRoots)
	var uerr x509.UnknownAuthorityError
	if !errors.As(err, &uerr) {
		t.Fatalf("a profile without the custom CA must fetch (and fail) itself, got %v", err)
	}
	if ks1, ks2 := keySetFor(srv.URL+"/jwks", withCA), keySetFor(srv.URL+"/jwks", systemRoots); ks1 == ks2 {
		t.Fatal("the JWKS cache is shared between clients that trust different CAs")
	}
	if ks1, ks2 := keySetFor(srv.URL+"/jwks", withCA), keySetFor(srv.URL+"/jwks", withCA); ks1 != ks2 {
		t.Fatal("the same trust must share one key set (the refetch throttle holds across sessions)")
	}
	InvalidateDiscovery(srv.URL)
}
