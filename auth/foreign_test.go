package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// proxyTo starts a transparent proxy to op on another loopback port (another
// origin) and counts the requests it sees.
func proxyTo(t *testing.T, op *fakeOP) (string, *atomic.Int32) {
	t.Helper()
	target, _ := url.Parse(op.issuer())
	rp := httputil.NewSingleHostReverseProxy(target)
	var hits atomic.Int32
	u := httptestServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		rp.ServeHTTP(w, r)
	})
	return u, &hits
}

func TestEndpointOverrideLeavingTheIssuerStopsBeforeTheBrowser(t *testing.T) {
	op := newFakeOP(t)
	proxy, hits := proxyTo(t, op)
	cfg := op.config()
	cfg.Endpoints.Token = proxy + "/token"
	cfg.Endpoints.JWKS = proxy + "/jwks"
	b := newBrowser()
	_, ev, err := loginWith(t, cfg, b.open)
	var fe *ForeignEndpointsError
	if !errors.As(err, &fe) {
		t.Fatalf("Login = %v, want *ForeignEndpointsError", err)
	}
	if got := fe.Origins(); !slices.Equal(got, []string{proxy}) {
		t.Errorf("origins to confirm = %v, want [%s]", got, proxy)
	}
	if len(fe.Endpoints) != 2 || fe.Endpoints[0].Name != "token endpoint" || fe.Endpoints[1].Name != "JWKS URL" {
		t.Errorf("endpoints = %+v", fe.Endpoints)
	}
	if !strings.Contains(err.Error(), proxy) || !strings.Contains(err.Error(), "verifier") {
		t.Errorf("the error must name the host and what it would receive: %v", err)
	}
	if len(b.opened) != 0 || hits.Load() != 0 || op.count(&op.authorizeHits) != 0 {
		t.Fatalf("something was sent before the user confirmed: browser %d, proxy %d, authorize %d", len(b.opened), hits.Load(), op.authorizeHits)
	}
	var check *Check
	for _, e := range ev.all() {
		if e.Check != nil && e.Check.Name == "endpoints at the issuer" {
			check = e.Check
		}
	}
	if check == nil || check.Passed || !strings.Contains(check.Detail, proxy) {
		t.Errorf("the Flow tab must show a failed check naming the host: %+v", check)
	}
}

func TestConfirmedForeignOriginSignsInAndStaysOnTheTimeline(t *testing.T) {
	op := newFakeOP(t)
	proxy, hits := proxyTo(t, op)
	cfg := op.config()
	cfg.Endpoints.Token = proxy + "/token"
	cfg.TrustedOrigins = []string{proxy + "/"} // any path of the origin confirms it
	s, ev, err := loginWith(t, cfg, newBrowser().open)
	if err != nil {
		t.Fatalf("confirmed origin: %v", err)
	}
	if s.Subject() != "user-1" || hits.Load() == 0 {
		t.Fatalf("the sign-in did not go through the confirmed endpoint (hits %d)", hits.Load())
	}
	if !ev.has("WARNING: this profile's endpoint overrides leave the issuer") {
		t.Error("a confirmed foreign endpoint must still be shown on every sign-in")
	}
}

func TestOverrideOnAnOriginDiscoveryListsIsNotForeign(t *testing.T) {
	op := newFakeOP(t)
	proxy, _ := proxyTo(t, op)
	// The issuer's own metadata names the proxy's origin (as Google's names
	// oauth2.googleapis.com); an override there is the issuer's word.
	op.metaEdit = func(m map[string]any) { m["revocation_endpoint"] = proxy + "/revoke" }
	cfg := op.config()
	cfg.Endpoints.Token = proxy + "/token"
	if _, _, err := loginWith(t, cfg, newBrowser().open); err != nil {
		t.Fatalf("override at an origin the issuer lists: %v", err)
	}
	InvalidateDiscovery(op.issuer())
}

func TestRestoreRefusesUnconfirmedForeignEndpoints(t *testing.T) {
	op := newFakeOP(t)
	proxy, hits := proxyTo(t, op)
	cfg := op.config()
	cfg.Endpoints.Token = proxy + "/token"
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := Restore(ctx, cfg, NewSecret("kept-refresh-token"), LoginOptions{})
	var fe *ForeignEndpointsError
	if !errors.As(err, &fe) || hits.Load() != 0 {
		t.Fatalf("Restore = %v with %d proxy hits, want *ForeignEndpointsError and none", err, hits.Load())
	}
}
