package demo

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"pkcedesk/internal/browserbot"
)

// refresh exchanges a refresh token with plain x/oauth2.
func refresh(t testing.TB, f *flow, rt string) (*oauth2.Token, error) {
	t.Helper()
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, &http.Client{Timeout: 10 * time.Second})
	return f.cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: rt, Expiry: time.Now().Add(-time.Hour)}).Token()
}

func wantInvalidGrant(t *testing.T, err error) {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" {
		t.Fatalf("err = %v, want an invalid_grant RetrieveError", err)
	}
}

func TestRefreshRotation(t *testing.T) {
	s := startServer(t, Options{})
	f := signIn(t, s, browserbot.New(browserbot.Options{}))
	first := f.token.RefreshToken

	second, err := refresh(t, f, first)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if second.RefreshToken == "" || second.RefreshToken == first {
		t.Fatal("refresh did not rotate the refresh token")
	}
	if second.AccessToken == f.token.AccessToken {
		t.Fatal("refresh returned the same access token")
	}
	if id, _ := second.Extra("id_token").(string); id == "" || jwtClaims(t, id)["sub"] != "demo-user-alice" {
		t.Errorf("refresh response ID token missing or for another subject")
	}
	if resp, _ := apiCall(t, "GET", s.APIBase()+"/me", second.AccessToken, ""); resp.StatusCode != 200 {
		t.Fatalf("new access token: GET /api/me = %d", resp.StatusCode)
	}

	// The old refresh token stops working...
	_, err = refresh(t, f, first)
	wantInvalidGrant(t, err)
	// ...and replaying it revokes the family (RFC 9700 §4.14.2): the newest
	// refresh token and its access token die too.
	_, err = refresh(t, f, second.RefreshToken)
	wantInvalidGrant(t, err)
	resp, _ := apiCall(t, "GET", s.APIBase()+"/me", second.AccessToken, "")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("after refresh-token replay, access token still works: %d", resp.StatusCode)
	}
}

func TestNoRefreshTokenWithoutOfflineAccess(t *testing.T) {
	s := startServer(t, Options{})
	f := signIn(t, s, browserbot.New(browserbot.Options{}), "openid", "profile")
	if f.token.RefreshToken != "" {
		t.Fatal("got a refresh token without offline_access")
	}
}

func TestCodeIsSingleUseAndBoundToVerifier(t *testing.T) {
	s := startServer(t, Options{})
	sink := newCallbackSink(t)
	cfg := oauthConfig(s, sink.redirectURI())
	verifier := oauth2.GenerateVerifier()
	bot := browserbot.New(browserbot.Options{})
	if err := bot.Open(t.Context(), cfg.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier))); err != nil {
		t.Fatal(err)
	}
	code := sink.wait(t).Get("code")
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, &http.Client{Timeout: 10 * time.Second})

	_, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
	wantInvalidGrant(t, err) // wrong verifier (RFC 7636 §4.6)
	_, err = cfg.Exchange(ctx, code)
	if err == nil {
		t.Fatal("exchange without code_verifier succeeded")
	}
	other := *cfg
	other.RedirectURL = "http://127.0.0.1:1/callback"
	_, err = other.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	wantInvalidGrant(t, err) // redirect_uri must be identical (RFC 6749 §4.1.3)

	if _, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier)); err != nil {
		t.Fatalf("exchange: %v", err)
	}
	_, err = cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	wantInvalidGrant(t, err) // single use
}

func revoke(t *testing.T, s *Server, token, hint string) int {
	t.Helper()
	form := url.Values{"token": {token}, "client_id": {s.ClientID()}}
	if hint != "" {
		form.Set("token_type_hint", hint)
	}
	status, _ := postForm(t, s.Issuer()+"/revoke", form, nil)
	return status
}

func TestRevokeAccessTokenThenAPI401(t *testing.T) {
	s := startServer(t, Options{})
	f := signIn(t, s, browserbot.New(browserbot.Options{}))
	if resp, _ := apiCall(t, "GET", s.APIBase()+"/me", f.token.AccessToken, ""); resp.StatusCode != 200 {
		t.Fatalf("before revoke: %d", resp.StatusCode)
	}
	if st := revoke(t, s, f.token.AccessToken, "access_token"); st != 200 {
		t.Fatalf("revoke: status %d", st)
	}
	resp, body := apiCall(t, "GET", s.APIBase()+"/me", f.token.AccessToken, "")
	if resp.StatusCode != 401 || !strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) ||
		!strings.Contains(body["error_description"].(string), "revoked") {
		t.Fatalf("after revoke: %d %q %v", resp.StatusCode, resp.Header.Get("WWW-Authenticate"), body)
	}
	// The refresh token was not revoked and still works.
	if _, err := refresh(t, f, f.token.RefreshToken); err != nil {
		t.Fatalf("refresh after access-token revoke: %v", err)
	}
	// Unknown tokens: 200 (RFC 7009 §2.2).
	if st := revoke(t, s, "not-a-token", ""); st != 200 {
		t.Fatalf("revoke unknown token: %d", st)
	}
}

func TestRevokeRefreshTokenKillsFamily(t *testing.T) {
	s := startServer(t, Options{})
	f := signIn(t, s, browserbot.New(browserbot.Options{}))
	if st := revoke(t, s, f.token.RefreshToken, "refresh_token"); st != 200 {
		t.Fatalf("revoke: status %d", st)
	}
	_, err := refresh(t, f, f.token.RefreshToken)
	wantInvalidGrant(t, err)
	if resp, _ := apiCall(t, "GET", s.APIBase()+"/me", f.token.AccessToken, ""); resp.StatusCode != 401 {
		t.Fatalf("access token of a revoked grant: %d, want 401", resp.StatusCode)
	}
}

func TestIntrospectionByPublicClient(t *testing.T) {
	s := startServer(t, Options{})
	f := signIn(t, s, browserbot.New(browserbot.Options{}))
	introspect := func(basic bool) map[string]any {
		form := url.Values{"token": {f.token.AccessToken}}
		var user *string
		if basic {
			id := s.ClientID()
			user = &id
		} else {
			form.Set("client_id", s.ClientID())
		}
		status, m := postForm(t, s.Issuer()+"/oauth/introspect", form, user)
		if status != 200 {
			t.Fatalf("introspect: status %d %v", status, m)
		}
		return m
	}
	for _, basic := range []bool{false, true} {
		m := introspect(basic)
		if m["active"] != true || m["sub"] != "demo-user-alice" || !strings.Contains(m["scope"].(string), "orders:read") || m["client_id"] != s.ClientID() {
			t.Fatalf("introspect (basic=%t) = %v", basic, m)
		}
	}
	revoke(t, s, f.token.AccessToken, "access_token")
	if m := introspect(false); m["active"] != false {
		t.Fatalf("introspect after revoke = %v, want active false", m)
	}
	status, _ := postForm(t, s.Issuer()+"/oauth/introspect", url.Values{"token": {f.token.AccessToken}, "client_id": {"intruder"}}, nil)
	if status != http.StatusUnauthorized {
		t.Fatalf("introspection by an unknown client: %d, want 401", status)
	}
}

func TestEndSession(t *testing.T) {
	s := startServer(t, Options{})
	bot := browserbot.New(browserbot.Options{})
	f := signIn(t, s, bot)
	idToken := f.token.Extra("id_token").(string)

	q := url.Values{
		"id_token_hint":            {idToken},
		"post_logout_redirect_uri": {"http://127.0.0.1:53111/signed-out"},
		"state":                    {"bye"},
	}
	resp := get(t, s.Issuer()+"/end_session?"+q.Encode())
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc == nil || loc.Host != "127.0.0.1:53111" || loc.Query().Get("state") != "bye" {
		t.Fatalf("end_session: %d Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if r, _ := apiCall(t, "GET", s.APIBase()+"/me", f.token.AccessToken, ""); r.StatusCode != 401 {
		t.Errorf("access token after logout: %d, want 401", r.StatusCode)
	}
	_, err := refresh(t, f, f.token.RefreshToken)
	wantInvalidGrant(t, err)

	// Without a redirect: the provider's own signed-out page.
	resp = get(t, s.Issuer()+"/end_session")
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != s.Issuer()+"/signed-out" {
		t.Fatalf("end_session without redirect: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	page := getPage(t, s.Issuer()+"/signed-out")
	if !strings.Contains(page, "You are signed out") {
		t.Fatalf("signed-out page: %q", page)
	}

	// localhost and foreign hosts are refused.
	for _, bad := range []string{"http://localhost:53111/signed-out", "http://evil.example/x"} {
		q.Set("post_logout_redirect_uri", bad)
		resp = get(t, s.Issuer()+"/end_session?"+q.Encode())
		if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
			t.Errorf("post_logout_redirect_uri %s: %d %q, want 400", bad, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}
