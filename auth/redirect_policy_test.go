package auth

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"pkcedesk/internal/redirects"
)

// A token endpoint that answers 302 or 307 never gets the request sent on:
// net/http would follow a 302 as a GET to the same host name on another
// port with the Basic client credentials still attached.
func TestTokenPostIsNeverRedirected(t *testing.T) {
	for _, status := range []int{http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect} {
		var elsewhere atomic.Int32
		var leaked atomic.Value
		other := httptestServer(t, func(w http.ResponseWriter, r *http.Request) {
			elsewhere.Add(1)
			leaked.Store(r.Header.Get("Authorization"))
		})
		op := newFakeOP(t)
		op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other+"/token?x=1", status)
		}
		cfg := op.config()
		cfg.ClientSecret, cfg.AuthMethod = NewSecret("client-secret-canary"), AuthClientSecretBasic
		_, _, err := loginWith(t, cfg, newBrowser().open)
		var he *HTTPError
		if !errors.As(err, &he) || he.Status != status || he.RedirectTo != other {
			t.Fatalf("%d: Login = %v, want an *HTTPError %d naming %s", status, err, status, other)
		}
		if elsewhere.Load() != 0 || op.count(&op.tokenPosts) != 1 {
			t.Fatalf("%d: the token request went on to the redirect target (%d, Authorization %v) or was repeated (%d posts)",
				status, elsewhere.Load(), leaked.Load(), op.tokenPosts)
		}
	}
}

// hostMapped returns a client that dials every host name to the given
// local server addresses, keeping the names in URLs and TLS: so a test can
// use a non-loopback name (the rules differ for loopback).
func hostMapped(t *testing.T, tlsSrv *httptest.Server, addrs map[string]string) *http.Client {
	t.Helper()
	tr := tlsSrv.Client().Transport.(*http.Transport).Clone()
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		to, ok := addrs[addr]
		if !ok {
			return nil, errors.New("test: no mapping for " + addr)
		}
		return (&net.Dialer{}).DialContext(ctx, network, to)
	}
	tr.TLSClientConfig = tr.TLSClientConfig.Clone()
	tr.TLSClientConfig.ServerName = "example.com" // httptest's certificate names it
	return &http.Client{Transport: tr}
}

// https → http on the same host (or a subdomain) would put the bearer
// token and discovery in clear text: refused, and nothing reaches http.
func TestEngineRedirectsNeverDowngradeToPlainHTTP(t *testing.T) {
	var plainHits atomic.Int32
	var plainAuth atomic.Value
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainHits.Add(1)
		plainAuth.Store(r.Header.Get("Authorization"))
	}))
	t.Cleanup(plain.Close)
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://example.com"+r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(secure.Close)
	hc := engineClient(hostMapped(t, secure, map[string]string{
		"example.com:443": secure.Listener.Addr().String(),
		"example.com:80":  plain.Listener.Addr().String(),
	}))

	// userinfo-style GET with a bearer token
	req, _ := http.NewRequest(http.MethodGet, "https://example.com/userinfo", nil)
	req.Header.Set("Authorization", "Bearer access-token-canary")
	_, err := hc.Do(req)
	if !errors.Is(err, redirects.ErrDowngrade) {
		t.Fatalf("https→http redirect: %v, want ErrDowngrade", err)
	}
	// discovery
	InvalidateDiscovery("https://example.com")
	_, err = Discover(context.Background(), "https://example.com", hostMapped(t, secure, map[string]string{
		"example.com:443": secure.Listener.Addr().String(),
		"example.com:80":  plain.Listener.Addr().String(),
	}))
	if !errors.Is(err, redirects.ErrDowngrade) {
		t.Fatalf("discovery https→http redirect: %v, want ErrDowngrade", err)
	}
	if plainHits.Load() != 0 {
		t.Fatalf("%d requests reached plain http (Authorization %v)", plainHits.Load(), plainAuth.Load())
	}
}

// Another port of the same host is another origin: the bearer token is
// dropped there (net/http alone keeps it, since the host name is the same).
func TestUserInfoRedirectToAnotherPortDropsTheToken(t *testing.T) {
	var got atomic.Value
	var reached atomic.Bool
	otherPort := httptestServer(t, func(w http.ResponseWriter, r *http.Request) {
		reached.Store(true)
		got.Store(r.Header.Get("Authorization"))
		writeJSON(w, 200, map[string]any{"sub": "user-1"})
	})
	op := newFakeOP(t)
	op.srv.Config.Handler.(*http.ServeMux).HandleFunc("GET /userinfo-moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, otherPort+"/userinfo", http.StatusFound) // same 127.0.0.1, other port
	})
	s := signIn(t, op, LoginOptions{})
	s.c.meta.UserInfoEndpoint = op.issuer() + "/userinfo-moved"
	_, _ = s.UserInfo(context.Background())
	if !reached.Load() {
		t.Fatal("the redirect was not followed; the test proves nothing")
	}
	if a, _ := got.Load().(string); a != "" {
		t.Fatalf("bearer token forwarded to another port: %q…", a[:min(len(a), 12)])
	}
}

// The engine's client keeps TLS verification whatever redirect policy wraps it.
func TestEngineClientKeepsVerification(t *testing.T) {
	hc, err := NewHTTPClient(nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := hc.Transport.(*http.Transport)
	if tr.TLSClientConfig == nil || tr.TLSClientConfig.InsecureSkipVerify || tr.TLSClientConfig.MinVersion < tls.VersionTLS12 {
		t.Fatalf("TLS config %+v", tr.TLSClientConfig)
	}
	if hc.CheckRedirect == nil || hc.Timeout != DefaultHTTPTimeout {
		t.Fatal("the engine client has no redirect policy or no timeout")
	}
	if !strings.Contains(trustKey(hc), "Transport") {
		t.Errorf("trustKey = %q", trustKey(hc))
	}
}
