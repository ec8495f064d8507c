package demo

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"pkcedesk/internal/browserbot"
)

func TestAPIBearerErrors(t *testing.T) {
	s := startServer(t, Options{})
	alice := signIn(t, s, browserbot.New(browserbot.Options{User: "alice"}), "openid", "profile")
	bob := signIn(t, s, browserbot.New(browserbot.Options{User: "bob"}), "openid", "orders:read")
	other := startServer(t, Options{})
	foreign := signIn(t, other, browserbot.New(browserbot.Options{}))

	cases := []struct {
		name, method, path, token, body string
		status                          int
		challenge                       []string
		errCode                         string
	}{
		{"missing token", "GET", "/me", "", "", 401, []string{`Bearer realm="demo"`}, "invalid_token"},
		{"garbage token", "GET", "/me", "not.a.jwt", "", 401, []string{`error="invalid_token"`, `error_description="`}, "invalid_token"},
		{"ID token as bearer", "GET", "/me", alice.token.Extra("id_token").(string), "", 401, []string{`error="invalid_token"`}, "invalid_token"},
		{"token from another server", "GET", "/me", foreign.token.AccessToken, "", 401, []string{`error="invalid_token"`}, "invalid_token"},
		{"missing scope", "GET", "/orders", alice.token.AccessToken, "", 403, []string{`error="insufficient_scope"`, `scope="orders:read"`}, "insufficient_scope"},
		{"missing role", "POST", "/orders", bob.token.AccessToken, `{"item":"x","quantity":1}`, 403, []string{`error="insufficient_scope"`}, "insufficient_scope"},
		{"bad JSON", "POST", "/orders", alice.token.AccessToken, `{"item":`, 400, nil, "invalid_request"},
		{"unknown field", "POST", "/orders", alice.token.AccessToken, `{"item":"x","quantity":1,"price":3}`, 400, nil, "invalid_request"},
		{"zero quantity", "POST", "/orders", alice.token.AccessToken, `{"item":"x","quantity":0}`, 400, nil, "invalid_request"},
		{"wrong method", "DELETE", "/orders", alice.token.AccessToken, "", 405, nil, "method_not_allowed"},
		{"unknown path", "GET", "/nope", alice.token.AccessToken, "", 404, nil, "not_found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := apiCall(t, c.method, s.APIBase()+c.path, c.token, c.body)
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d (%v)", resp.StatusCode, c.status, body)
			}
			wa := resp.Header.Get("WWW-Authenticate")
			for _, want := range c.challenge {
				if !strings.Contains(wa, want) {
					t.Errorf("WWW-Authenticate %q lacks %q", wa, want)
				}
			}
			if c.name == "missing token" && strings.Contains(wa, "error=") {
				t.Errorf("a request without a token got an error code in the challenge (RFC 6750 §3.1): %q", wa)
			}
			if body["error"] != c.errCode || body["error_description"] == "" {
				t.Errorf("JSON body = %v, want error %q with a description", body, c.errCode)
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type = %q", resp.Header.Get("Content-Type"))
			}
		})
	}
	// Bob may read orders with orders:read.
	if resp, _ := apiCall(t, "GET", s.APIBase()+"/orders", bob.token.AccessToken, ""); resp.StatusCode != 200 {
		t.Errorf("bob GET /orders with orders:read: %d", resp.StatusCode)
	}
}

func TestAPIExpiredToken(t *testing.T) {
	s := startServer(t, Options{AccessTokenLifetime: time.Minute})
	f := signIn(t, s, browserbot.New(browserbot.Options{}))
	if resp, _ := apiCall(t, "GET", s.APIBase()+"/me", f.token.AccessToken, ""); resp.StatusCode != 200 {
		t.Fatalf("fresh token: %d", resp.StatusCode)
	}
	s.clock.Store(int64(61 * time.Second)) // the provider's clock moves past exp
	resp, body := apiCall(t, "GET", s.APIBase()+"/me", f.token.AccessToken, "")
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body["error_description"].(string), "expired") ||
		!strings.Contains(resp.Header.Get("WWW-Authenticate"), `error="invalid_token"`) {
		t.Fatalf("expired token: %d %v %q", resp.StatusCode, body, resp.Header.Get("WWW-Authenticate"))
	}
	// Refresh still works and yields a usable token.
	nt, err := refresh(t, f, f.token.RefreshToken)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if resp, _ := apiCall(t, "GET", s.APIBase()+"/me", nt.AccessToken, ""); resp.StatusCode != 200 {
		t.Fatalf("refreshed token: %d", resp.StatusCode)
	}
}
