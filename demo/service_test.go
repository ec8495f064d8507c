package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"pkcedesk/internal/browserbot"
)

// postBasic posts a form with HTTP Basic client authentication.
func postBasic(t *testing.T, u, id, secret string, form url.Values) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(url.QueryEscape(id), url.QueryEscape(secret))
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}

// audience returns a JWT's aud claim as a list.
func audience(t *testing.T, jwt string) []string {
	t.Helper()
	switch a := jwtClaims(t, jwt)["aud"].(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, v := range a {
			out = append(out, v.(string))
		}
		return out
	}
	return nil
}

// TestClientCredentials: the service client gets an access token with the
// scopes and audience it asked for — and no refresh or ID token — through
// HTTP Basic, client_secret_post and x/oauth2's clientcredentials; the API
// takes it as the service account (reads orders, cannot create them).
func TestClientCredentials(t *testing.T) {
	s := startServer(t, Options{})
	id, secret := s.ServiceClient()
	if id != "pkce-desk-service" || len(secret) < 43 || s.ServiceClientSecret() != secret {
		t.Fatalf("ServiceClient() = %q, secret of %d characters", id, len(secret))
	}

	status, tok := postBasic(t, s.Issuer()+"/oauth/token", id, secret, url.Values{"grant_type": {"client_credentials"}})
	if status != 200 || tok["token_type"] != "Bearer" || tok["access_token"] == nil {
		t.Fatalf("client credentials = %d %v", status, tok)
	}
	if _, ok := tok["refresh_token"]; ok {
		t.Error("client credentials answer has a refresh_token (RFC 6749 §4.4.3)")
	}
	if _, ok := tok["id_token"]; ok {
		t.Error("client credentials answer has an id_token")
	}
	if tok["scope"] != "orders:read" {
		t.Errorf("default scope = %v, want orders:read", tok["scope"])
	}
	at := tok["access_token"].(string)
	c := jwtClaims(t, at)
	if c["sub"] != id || c["client_id"] != id || c["scope"] != "orders:read" || !slices.Equal(audience(t, at), []string{id}) {
		t.Errorf("access token claims %v", c)
	}
	if r, me := apiCall(t, "GET", s.APIBase()+"/me", at, ""); r.StatusCode != 200 || me["sub"] != id || me["client_id"] != id {
		t.Fatalf("/api/me = %d %v", r.StatusCode, me)
	}
	if r, _ := apiCall(t, "GET", s.APIBase()+"/orders", at, ""); r.StatusCode != 200 {
		t.Fatalf("/api/orders = %d", r.StatusCode)
	}
	if r, m := apiCall(t, "POST", s.APIBase()+"/orders", at, `{"item":"Tea","quantity":1}`); r.StatusCode != 403 || m["error"] != "insufficient_scope" {
		t.Fatalf("POST /api/orders as the service = %d %v", r.StatusCode, m)
	}

	// Introspection (RFC 7662) by the service client itself, then revocation.
	if status, in := postBasic(t, s.Issuer()+"/oauth/introspect", id, secret, url.Values{"token": {at}}); status != 200 ||
		in["active"] != true || in["client_id"] != id || in["sub"] != id || in["scope"] != "orders:read" {
		t.Fatalf("introspection by the service = %d %v", status, in)
	}
	if r, _ := apiCall(t, "GET", s.Issuer()+"/userinfo", at, ""); r.StatusCode < 400 {
		t.Errorf("userinfo with a service token = %d, want a refusal", r.StatusCode)
	}
	if status, m := postBasic(t, s.Issuer()+"/revoke", id, secret, url.Values{"token": {at}}); status != 200 {
		t.Fatalf("revocation by the service = %d %v", status, m)
	}
	if r, _ := apiCall(t, "GET", s.APIBase()+"/me", at, ""); r.StatusCode != 401 {
		t.Fatalf("/api/me after revocation = %d", r.StatusCode)
	}

	// client_secret_post, scopes and an audience (resource) asked for.
	status, tok = postForm(t, s.Issuer()+"/oauth/token", url.Values{
		"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret},
		"scope": {"orders:read orders:write"}, "resource": {s.APIBase()},
	}, nil)
	if status != 200 || tok["scope"] != "orders:read orders:write" {
		t.Fatalf("client_secret_post = %d %v", status, tok)
	}
	if aud := audience(t, tok["access_token"].(string)); !slices.Equal(aud, []string{s.APIBase()}) {
		t.Errorf("aud = %v, want the API", aud)
	}

	// An independent client: x/oauth2's clientcredentials (Basic).
	cc := &clientcredentials.Config{ClientID: id, ClientSecret: secret, TokenURL: s.Issuer() + "/oauth/token",
		Scopes: []string{"orders:read"}, AuthStyle: oauth2.AuthStyleInHeader}
	xt, err := cc.Token(t.Context())
	if err != nil || xt.AccessToken == "" || xt.RefreshToken != "" {
		t.Fatalf("clientcredentials.Token = %v, %v", xt, err)
	}
}

// TestClientCredentialsRefused: a wrong secret, the public client, no
// credentials and a person's scope are refused.
func TestClientCredentialsRefused(t *testing.T) {
	s := startServer(t, Options{})
	id, secret := s.ServiceClient()
	status, m := postBasic(t, s.Issuer()+"/oauth/token", id, secret+"x", url.Values{"grant_type": {"client_credentials"}})
	if status != http.StatusUnauthorized || m["error"] != "invalid_client" {
		t.Fatalf("wrong secret = %d %v, want 401 invalid_client", status, m)
	}
	if strings.Contains(fmt.Sprint(m), secret) {
		t.Fatal("the error quotes the secret")
	}
	status, m = postForm(t, s.Issuer()+"/oauth/token", url.Values{"grant_type": {"client_credentials"}, "client_id": {s.ClientID()}}, nil)
	if status < 400 || (m["error"] != "invalid_client" && m["error"] != "unauthorized_client") {
		t.Fatalf("public client = %d %v", status, m)
	}
	status, m = postForm(t, s.Issuer()+"/oauth/token", url.Values{"grant_type": {"client_credentials"}}, nil)
	if status < 400 || m["error"] != "invalid_client" {
		t.Fatalf("no credentials = %d %v", status, m)
	}
	status, m = postBasic(t, s.Issuer()+"/oauth/token", id, secret, url.Values{"grant_type": {"client_credentials"}, "scope": {"openid orders:read"}})
	wantOAuthError(t, "scope openid", status, m, http.StatusBadRequest, "invalid_scope")
	status, m = postBasic(t, s.Issuer()+"/oauth/token", id, secret, url.Values{"grant_type": {"client_credentials"}, "scope": {"orders:read"}, "SCOPE": {"orders:write"}})
	wantOAuthError(t, "repeated scope", status, m, http.StatusBadRequest, "invalid_request")
}

// TestServiceSecretPerStateDirNeverStored: the secret is the same after a
// restart on one state directory, differs between directories, and appears
// in no file there and in no debug log line.
func TestServiceSecretPerStateDirNeverStored(t *testing.T) {
	dir := t.TempDir()
	var logs lockedBuffer
	s1, err := Start(t.Context(), Options{StateDir: dir, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	_, secret := s1.ServiceClient()
	status, tok := postBasic(t, s1.Issuer()+"/oauth/token", ServiceClientID, secret, url.Values{"grant_type": {"client_credentials"}})
	if status != 200 {
		t.Fatalf("client credentials = %d %v", status, tok)
	}
	s1.Close()
	s2 := startServer(t, Options{StateDir: dir})
	if _, again := s2.ServiceClient(); again != secret {
		t.Error("the secret changed across a restart on the same state directory")
	}
	if _, other := startServer(t, Options{StateDir: t.TempDir()}).ServiceClient(); other == secret {
		t.Error("two state directories share a secret")
	}
	if _, mem := startServer(t, Options{}).ServiceClient(); mem == secret {
		t.Error("an in-memory server has the state directory's secret")
	}
	if err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the service client secret", filepath.Base(p))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "path=/oauth/token") {
		t.Fatal("no request lines in the debug log; the check would prove nothing")
	}
	for name, v := range map[string]string{"secret": secret, "access token": tok["access_token"].(string)} {
		if strings.Contains(logs.String(), v) {
			t.Errorf("the %s appears in the log", name)
		}
	}
}

// exchange posts a token exchange request for the public client (client_id
// in the form) or, with a secret, the service client (HTTP Basic).
func exchange(t *testing.T, s *Server, clientID, secret string, form url.Values) (int, map[string]any) {
	t.Helper()
	form.Set("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange")
	if secret != "" {
		return postBasic(t, s.Issuer()+"/oauth/token", clientID, secret, form)
	}
	form.Set("client_id", clientID)
	return postForm(t, s.Issuer()+"/oauth/token", form, nil)
}

const (
	tokenTypeAccess = "urn:ietf:params:oauth:token-type:access_token"
	tokenTypeID     = "urn:ietf:params:oauth:token-type:id_token"
)

// TestTokenExchange: the public client exchanges its access token for one
// with a narrower scope and the API's audience, which the API takes; for
// another audience, which the API refuses; with no audience, for itself.
// An ID token gives identity scopes, or an ID token. The service client may
// exchange a person's token and its own.
func TestTokenExchange(t *testing.T) {
	s := startServer(t, Options{})
	f := signIn(t, s, browserbot.New(browserbot.Options{User: "alice"}), "openid", "profile", "email", "orders:read", "orders:write")
	at := f.token.AccessToken

	status, m := exchange(t, s, s.ClientID(), "", url.Values{
		"subject_token": {at}, "subject_token_type": {tokenTypeAccess},
		"audience": {s.APIBase()}, "scope": {"orders:read"},
	})
	if status != 200 || m["issued_token_type"] != tokenTypeAccess || m["token_type"] != "Bearer" || m["scope"] != "orders:read" {
		t.Fatalf("exchange = %d %v", status, m)
	}
	if _, ok := m["refresh_token"]; ok {
		t.Error("the exchange answer has a refresh_token")
	}
	nt := m["access_token"].(string)
	c := jwtClaims(t, nt)
	if c["sub"] != "demo-user-alice" || c["scope"] != "orders:read" || !slices.Equal(audience(t, nt), []string{s.APIBase()}) {
		t.Fatalf("exchanged token claims %v", c)
	}
	if r, _ := apiCall(t, "GET", s.APIBase()+"/orders", nt, ""); r.StatusCode != 200 {
		t.Fatalf("/api/orders with the exchanged token = %d", r.StatusCode)
	}

	// Two audiences (RFC 8693 allows repeating audience), neither the API's.
	status, m = exchange(t, s, s.ClientID(), "", url.Values{
		"subject_token": {at}, "subject_token_type": {tokenTypeAccess},
		"audience": {"https://billing.example", "urn:example:reports"},
	})
	if status != 200 || m["scope"] != strings.Join(f.cfg.Scopes, " ") {
		t.Fatalf("exchange for other audiences = %d %v", status, m)
	}
	if aud := audience(t, m["access_token"].(string)); !slices.Equal(aud, []string{"https://billing.example", "urn:example:reports"}) {
		t.Errorf("aud = %v", aud)
	}
	if r, e := apiCall(t, "GET", s.APIBase()+"/me", m["access_token"].(string), ""); r.StatusCode != 401 || e["error"] != "invalid_token" ||
		!strings.Contains(r.Header.Get("WWW-Authenticate"), "another audience") {
		t.Fatalf("the API took a token for another audience: %d %v", r.StatusCode, e)
	}

	status, m = exchange(t, s, s.ClientID(), "", url.Values{"subject_token": {at}, "subject_token_type": {tokenTypeAccess}})
	if status != 200 || !slices.Equal(audience(t, m["access_token"].(string)), []string{s.ClientID()}) {
		t.Fatalf("exchange with no audience = %d %v", status, m)
	}

	// The ID token as subject: identity scopes only.
	idt := f.token.Extra("id_token").(string)
	status, m = exchange(t, s, s.ClientID(), "", url.Values{"subject_token": {idt}, "subject_token_type": {tokenTypeID}})
	if status != 200 || m["scope"] != "openid profile email" {
		t.Fatalf("exchange of the ID token = %d %v", status, m)
	}
	status, m = exchange(t, s, s.ClientID(), "", url.Values{"subject_token": {idt}, "subject_token_type": {tokenTypeID},
		"requested_token_type": {tokenTypeID}, "audience": {"urn:example:reports"}, "scope": {"openid email"}})
	if status != 200 || m["issued_token_type"] != tokenTypeID || m["token_type"] != "N_A" {
		t.Fatalf("ID token for an ID token = %d %v", status, m)
	}
	if c := jwtClaims(t, m["access_token"].(string)); c["email"] != "alice@demo.pkce-desk.test" || c["name"] != nil {
		t.Errorf("exchanged ID token claims %v (scope openid email)", c)
	}

	// The service client: a person's token, and its own.
	id, secret := s.ServiceClient()
	status, m = exchange(t, s, id, secret, url.Values{"subject_token": {at}, "subject_token_type": {tokenTypeAccess}, "scope": {"orders:read"}})
	if status != 200 || jwtClaims(t, m["access_token"].(string))["sub"] != "demo-user-alice" {
		t.Fatalf("service exchanging alice's token = %d %v", status, m)
	}
	_, cc := postBasic(t, s.Issuer()+"/oauth/token", id, secret, url.Values{"grant_type": {"client_credentials"}})
	status, m = exchange(t, s, id, secret, url.Values{"subject_token": {cc["access_token"].(string)}, "subject_token_type": {tokenTypeAccess}, "resource": {s.APIBase()}})
	if status != 200 || m["scope"] != "orders:read" {
		t.Fatalf("service exchanging its own token = %d %v", status, m)
	}
	if r, me := apiCall(t, "GET", s.APIBase()+"/me", m["access_token"].(string), ""); r.StatusCode != 200 || me["sub"] != id {
		t.Fatalf("/api/me with the service's exchanged token = %d %v", r.StatusCode, me)
	}
}

// TestTokenExchangeRefused: scope is never widened (invalid_scope naming
// what the subject token has), and other bad requests get clear errors.
func TestTokenExchangeRefused(t *testing.T) {
	s := startServer(t, Options{})
	f := signIn(t, s, browserbot.New(browserbot.Options{User: "bob"}), "openid", "orders:read")
	at, idt := f.token.AccessToken, f.token.Extra("id_token").(string)
	id, secret := s.ServiceClient()

	status, m := exchange(t, s, s.ClientID(), "", url.Values{"subject_token": {at}, "subject_token_type": {tokenTypeAccess}, "scope": {"orders:read orders:write"}})
	wantOAuthError(t, "widened scope", status, m, http.StatusBadRequest, "invalid_scope")
	if d, _ := m["error_description"].(string); !strings.Contains(d, "orders:write") || !strings.Contains(d, "ask for at most: openid orders:read") {
		t.Errorf("error_description = %q", d)
	}
	status, m = exchange(t, s, s.ClientID(), "", url.Values{"subject_token": {idt}, "subject_token_type": {tokenTypeID}, "scope": {"orders:read"}})
	wantOAuthError(t, "API scope from an ID token", status, m, http.StatusBadRequest, "invalid_scope")

	for name, tc := range map[string]struct {
		form       url.Values
		status     int
		code, desc string
	}{
		"refresh token wanted": {url.Values{"subject_token": {at}, "subject_token_type": {tokenTypeAccess},
			"requested_token_type": {"urn:ietf:params:oauth:token-type:refresh_token"}}, 400, "invalid_request", "not refresh tokens"},
		"refresh token as subject": {url.Values{"subject_token": {"some-refresh-token"}, "subject_token_type": {"urn:ietf:params:oauth:token-type:refresh_token"}},
			400, "invalid_request", "subject_token_type must be"},
		"actor token": {url.Values{"subject_token": {at}, "subject_token_type": {tokenTypeAccess}, "actor_token": {at},
			"actor_token_type": {tokenTypeAccess}}, 400, "invalid_request", "actor_token"},
		"garbage subject": {url.Values{"subject_token": {"not-a-token"}, "subject_token_type": {tokenTypeAccess}}, 400, "invalid_request", "subject_token"},
		"repeated scope": {url.Values{"subject_token": {at}, "subject_token_type": {tokenTypeAccess}, "scope": {"openid"}, "Scope": {"orders:read"}},
			400, "invalid_request", "parameter scope is repeated"},
	} {
		status, m := exchange(t, s, s.ClientID(), "", tc.form)
		if d, _ := m["error_description"].(string); status != tc.status || m["error"] != tc.code || !strings.Contains(d, tc.desc) {
			t.Errorf("%s = %d %v, want %d %s (%q)", name, status, m, tc.status, tc.code, tc.desc)
		}
	}

	// The public client may not exchange the service account's token.
	_, cc := postBasic(t, s.Issuer()+"/oauth/token", id, secret, url.Values{"grant_type": {"client_credentials"}})
	status, m = exchange(t, s, s.ClientID(), "", url.Values{"subject_token": {cc["access_token"].(string)}, "subject_token_type": {tokenTypeAccess}})
	wantOAuthError(t, "public client with the service's token", status, m, http.StatusBadRequest, "invalid_grant")
	// Wrong secret.
	status, m = exchange(t, s, id, secret+"x", url.Values{"subject_token": {at}, "subject_token_type": {tokenTypeAccess}})
	if status < 400 || m["error"] != "invalid_client" {
		t.Fatalf("service with a wrong secret = %d %v", status, m)
	}
	// A revoked subject token.
	if st := revoke(t, s, at, "access_token"); st != 200 {
		t.Fatalf("revoke = %d", st)
	}
	status, m = exchange(t, s, s.ClientID(), "", url.Values{"subject_token": {at}, "subject_token_type": {tokenTypeAccess}})
	wantOAuthError(t, "revoked subject token", status, m, http.StatusBadRequest, "invalid_request")
}
