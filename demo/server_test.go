package demo

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"pkcedesk/internal/browserbot"
)

func TestDiscoveryDocument(t *testing.T) {
	s := startServer(t, Options{})
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(s.Issuer() + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var d map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	str := func(k string) string { v, _ := d[k].(string); return v }
	list := func(k string) []string {
		var out []string
		for _, v := range d[k].([]any) {
			out = append(out, v.(string))
		}
		return out
	}
	if str("issuer") != s.Issuer() || !strings.HasPrefix(s.Issuer(), "http://127.0.0.1:") {
		t.Fatalf("issuer %q, server issuer %q", str("issuer"), s.Issuer())
	}
	for k, path := range map[string]string{
		"authorization_endpoint": "/authorize", "token_endpoint": "/oauth/token", "userinfo_endpoint": "/userinfo",
		"revocation_endpoint": "/revoke", "introspection_endpoint": "/oauth/introspect",
		"end_session_endpoint": "/end_session", "jwks_uri": "/keys",
	} {
		if str(k) != s.Issuer()+path {
			t.Errorf("%s = %q, want %q", k, str(k), s.Issuer()+path)
		}
	}
	if d["authorization_response_iss_parameter_supported"] != true {
		t.Error("authorization_response_iss_parameter_supported is not true (RFC 9207 §3)")
	}
	if got := list("code_challenge_methods_supported"); !slices.Equal(got, []string{"S256"}) {
		t.Errorf("code_challenge_methods_supported = %v, want [S256]", got)
	}
	if got := list("response_types_supported"); !slices.Equal(got, []string{"code"}) {
		t.Errorf("response_types_supported = %v", got)
	}
	if got := list("grant_types_supported"); !slices.Equal(got, []string{"authorization_code", "refresh_token",
		"urn:ietf:params:oauth:grant-type:device_code", "client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange"}) {
		t.Errorf("grant_types_supported = %v", got)
	}
	scopes := list("scopes_supported")
	for _, sc := range []string{"openid", "profile", "email", "offline_access", "orders:read", "orders:write"} {
		if !slices.Contains(scopes, sc) {
			t.Errorf("scopes_supported lacks %s: %v", sc, scopes)
		}
	}
	if !slices.Contains(list("token_endpoint_auth_methods_supported"), "none") {
		t.Error("token_endpoint_auth_methods_supported lacks none")
	}
	if str("device_authorization_endpoint") != s.Issuer()+"/device_authorization" {
		t.Errorf("device_authorization_endpoint = %q (RFC 8628 §4)", str("device_authorization_endpoint"))
	}
	for _, m := range []string{"none", "client_secret_basic", "client_secret_post"} {
		if !slices.Contains(list("token_endpoint_auth_methods_supported"), m) {
			t.Errorf("token_endpoint_auth_methods_supported lacks %s", m)
		}
	}
	if !slices.Contains(list("claims_supported"), "roles") {
		t.Error("claims_supported lacks roles")
	}

	// JWKS: exactly this server's one RSA signing key.
	kresp, err := (&http.Client{Timeout: 10 * time.Second}).Get(str("jwks_uri"))
	if err != nil {
		t.Fatal(err)
	}
	defer kresp.Body.Close()
	var jwks struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.NewDecoder(kresp.Body).Decode(&jwks); err != nil {
		t.Fatal(err)
	}
	if len(jwks.Keys) != 1 || jwks.Keys[0]["kty"] != "RSA" || jwks.Keys[0]["kid"] != s.storage.key.ID() || jwks.Keys[0]["d"] != nil {
		t.Fatalf("jwks = %v", jwks.Keys)
	}
}

func TestTwoServersAreIsolated(t *testing.T) {
	a := startServer(t, Options{})
	b := startServer(t, Options{})
	if a.Issuer() == b.Issuer() || a.storage.key.ID() == b.storage.key.ID() || a.storage.key.private.Equal(b.storage.key.private) {
		t.Fatal("two servers share an issuer or a key")
	}
	// One browser (shared cookie jar) signs in to both.
	bot := browserbot.New(browserbot.Options{})
	fa := signIn(t, a, bot)
	fb := signIn(t, b, bot)
	if resp, _ := apiCall(t, "GET", b.APIBase()+"/me", fa.token.AccessToken, ""); resp.StatusCode != 401 {
		t.Errorf("A's token at B's API: %d, want 401", resp.StatusCode)
	}
	if resp, _ := apiCall(t, "GET", a.APIBase()+"/me", fb.token.AccessToken, ""); resp.StatusCode != 401 {
		t.Errorf("B's token at A's API: %d, want 401", resp.StatusCode)
	}
	_, err := refresh(t, fb, fa.token.RefreshToken)
	wantInvalidGrant(t, err)
	// An order made at A does not appear at B.
	apiCall(t, "POST", a.APIBase()+"/orders", fa.token.AccessToken, `{"item":"only at A","quantity":1}`)
	_, lb := apiCall(t, "GET", b.APIBase()+"/orders", fb.token.AccessToken, "")
	if n := len(lb["orders"].([]any)); n != 2 {
		t.Errorf("B has %d orders, want its own 2", n)
	}
	// Users() copies are independent.
	u := a.Users()
	u[0].Roles[0] = "changed"
	if a.Users()[0].Roles[0] != "admin" || b.Users()[0].Roles[0] != "admin" {
		t.Error("Users() exposes shared state")
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "localhost:0", "example.com:80", "127.0.0.1"} {
		if s, err := Start(t.Context(), Options{Addr: addr}); err == nil {
			s.Close()
			t.Errorf("Start(%q) succeeded", addr)
		} else if strings.Contains(addr, "0.0.0.0") && !errors.Is(err, ErrNotLoopback) {
			t.Errorf("Start(%q) = %v, want ErrNotLoopback", addr, err)
		}
	}
}

func TestIPv6LoopbackAndCloseFreesPort(t *testing.T) {
	s, err := Start(t.Context(), Options{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(s.Issuer())
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	s2, err := Start(t.Context(), Options{Addr: u.Host})
	if err != nil {
		t.Fatalf("port %s not free after Close: %v", u.Host, err)
	}
	s2.Close()

	if ln, err := net.Listen("tcp", "[::1]:0"); err == nil {
		ln.Close()
		s6 := startServer(t, Options{Addr: "[::1]:0"})
		if !strings.HasPrefix(s6.Issuer(), "http://[::1]:") {
			t.Errorf("issuer %q", s6.Issuer())
		}
		signIn(t, s6, browserbot.New(browserbot.Options{}))
	}
}

func TestHostHeaderIsChecked(t *testing.T) {
	s := startServer(t, Options{})
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, s.Issuer()+"/.well-known/openid-configuration", nil)
	req.Host = "rebound.example:80"
	resp, err := noRedirectClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Fatalf("foreign Host: %d, want 421", resp.StatusCode)
	}
}

func TestStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	s, err := Start(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-s.done:
	case <-time.After(10 * time.Second):
		t.Fatal("server still running after its context ended")
	}
	// Close has finished: the port no longer accepts connections.
	if c, err := net.DialTimeout("tcp", strings.TrimPrefix(s.Issuer(), "http://"), time.Second); err == nil {
		c.Close()
		t.Fatal("port still accepts connections after the context ended")
	}
}
