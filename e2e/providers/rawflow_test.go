package providers

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"pkcedesk/e2e/harness"
)

// The raw flow drives each provider with plain golang.org/x/oauth2 and the
// stand-in browser, nothing of ours: it proves the harness (provider start,
// client registration, login/consent) independently of the engine, and it is
// the reference for the negative checks the engine does not expose.

// rawHTTP is the client x/oauth2 uses in the raw flow (bounded).
var rawHTTP = &http.Client{Timeout: 10 * time.Second}

// rawConfig is an x/oauth2 config for tg with redirect on host:port. The auth
// style is fixed to in-params (public client: client_id in the body, no
// secret) so x/oauth2 never auto-detects and sends an exchange twice.
func rawConfig(m metadata, tg *target, redirect string) *oauth2.Config {
	return &oauth2.Config{
		ClientID: tg.clientID,
		Endpoint: oauth2.Endpoint{
			AuthURL:   m.Authorization,
			TokenURL:  m.Token,
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: redirect,
		Scopes:      tg.scopes,
	}
}

// rawCode runs the front channel: authorization request with PKCE S256 and
// the given redirect (host and an unused free port; the browser stops before
// requesting it), through the login form or login/consent app, to the
// redirect. It returns the code.
func rawCode(ctx context.Context, t *testing.T, tg *target, cfg *oauth2.Config, verifier string) string {
	t.Helper()
	state := randomString(t)
	redirect, err := url.Parse(cfg.RedirectURL)
	if err != nil {
		t.Fatal(err)
	}
	b := harness.NewFormBrowser(tg.fields)
	b.StopAt = func(u *url.URL) bool {
		return u.Scheme == redirect.Scheme && u.Host == redirect.Host && u.Path == redirect.Path
	}
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oauth2.SetAuthURLParam("nonce", randomString(t)))
	page, err := b.Visit(ctx, authURL)
	if err != nil {
		t.Fatalf("front channel: %v\nprovider output:\n%s", err, tg.logs())
	}
	if !page.Stopped {
		t.Fatalf("front channel ended on %s (HTTP %d: %s), not at the redirect URI", harness.RedactURL(page.URL), page.Status, page.Text())
	}
	q := page.URL.Query()
	if e := q.Get("error"); e != "" {
		t.Fatalf("authorization error %s: %s", e, q.Get("error_description"))
	}
	if q.Get("state") != state {
		t.Fatalf("callback state %q, want %q", q.Get("state"), state)
	}
	if q.Get("code") == "" {
		t.Fatalf("callback without a code: %s", harness.RedactURL(page.URL))
	}
	return q.Get("code")
}

// loopbackRedirect is http://host:port/callback on a port free right now.
func loopbackRedirect(t *testing.T, host string) string {
	t.Helper()
	port, err := harness.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return "http://" + host + ":" + strconv.Itoa(port) + "/callback"
}

// testRawFlow signs in with x/oauth2, refreshes with rotation and checks that
// the provider rejects the old refresh token and a wrong PKCE verifier.
func testRawFlow(t *testing.T, tg *target) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ctx = context.WithValue(ctx, oauth2.HTTPClient, rawHTTP)
	m := discover(ctx, t, tg.issuer)

	t.Run("code_exchange_with_pkce", func(t *testing.T) {
		cfg := rawConfig(m, tg, loopbackRedirect(t, "127.0.0.1"))
		verifier := oauth2.GenerateVerifier()
		code := rawCode(ctx, t, tg, cfg, verifier)
		tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatalf("exchange: %v", err)
		}
		if tok.AccessToken == "" || tok.RefreshToken == "" {
			t.Fatalf("token response lacks access or refresh token (access %t, refresh %t)", tok.AccessToken != "", tok.RefreshToken != "")
		}
		if id, _ := tok.Extra("id_token").(string); strings.Count(id, ".") != 2 {
			t.Fatalf("no JWT id_token in the token response")
		}

		// Refresh: rotation gives a new refresh token and the old one is dead.
		old := tok.RefreshToken
		next, err := cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: old}).Token()
		if err != nil {
			t.Fatalf("refresh: %v", err)
		}
		if next.RefreshToken == "" || next.RefreshToken == old {
			t.Fatalf("refresh did not rotate the refresh token (new one empty: %t)", next.RefreshToken == "")
		}
		_, err = cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: old}).Token()
		requireOAuthError(t, err, "invalid_grant", "reusing the rotated-out refresh token")
	})

	t.Run("wrong_verifier_rejected", func(t *testing.T) {
		cfg := rawConfig(m, tg, loopbackRedirect(t, "127.0.0.1"))
		verifier := oauth2.GenerateVerifier()
		code := rawCode(ctx, t, tg, cfg, verifier)
		_, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(oauth2.GenerateVerifier()))
		re := requireOAuthError(t, err, "invalid_grant", "exchanging with a wrong code_verifier")
		// The provider's own text must point at PKCE, so the engine (which
		// shows error_description as text) tells the user why.
		if !strings.Contains(strings.ToLower(re.ErrorDescription), "verifier") {
			t.Errorf("%s's error_description does not mention the code verifier: %q", tg.name, re.ErrorDescription)
		}
		t.Logf("%s says for a wrong verifier: %s: %s", tg.name, re.ErrorCode, re.ErrorDescription)
	})

	t.Run("ipv6_loopback_redirect", func(t *testing.T) {
		cfg := rawConfig(m, tg, loopbackRedirect(t, "::1"))
		verifier := oauth2.GenerateVerifier()
		code := rawCode(ctx, t, tg, cfg, verifier)
		if _, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier)); err != nil {
			t.Fatalf("exchange with an [::1] redirect: %v", err)
		}
	})
}

// requireOAuthError asserts err is an OAuth error response with code.
func requireOAuthError(t *testing.T, err error, code, doing string) *oauth2.RetrieveError {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("%s: want an OAuth %s error response, got %v", doing, code, err)
	}
	if re.ErrorCode != code {
		t.Fatalf("%s: error code %q (%s), want %q", doing, re.ErrorCode, re.ErrorDescription, code)
	}
	return re
}

// randomString is 16 random bytes, base64url.
func randomString(t *testing.T) string {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
