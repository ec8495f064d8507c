package demo

import (
	"slices"
	"strings"
	"testing"
	"time"

	"pkcedesk/internal/browserbot"
)

func TestSignInCodeExchangeAndAPI(t *testing.T) {
	s := startServer(t, Options{})
	bot := browserbot.New(browserbot.Options{User: "alice"})
	f := signIn(t, s, bot)

	if f.token.AccessToken == "" || f.token.RefreshToken == "" {
		t.Fatalf("token response lacks access or refresh token: access=%t refresh=%t",
			f.token.AccessToken != "", f.token.RefreshToken != "")
	}
	if f.token.TokenType != "Bearer" {
		t.Errorf("token_type = %q, want Bearer", f.token.TokenType)
	}
	rawID, _ := f.token.Extra("id_token").(string)
	if rawID == "" {
		t.Fatal("no id_token although openid was requested")
	}
	id := jwtClaims(t, rawID)
	want := map[string]any{
		"iss": s.Issuer(), "sub": "demo-user-alice", "aud": s.ClientID(), "nonce": f.nonce,
		"email": "alice@demo.pkce-desk.test", "name": "Alice Anders", "preferred_username": "alice",
		"at_hash": atHash(f.token.AccessToken),
	}
	for k, v := range want {
		got := id[k]
		if arr, ok := got.([]any); ok && len(arr) == 1 {
			got = arr[0]
		}
		if got != v {
			t.Errorf("id_token %s = %v, want %v", k, id[k], v)
		}
	}
	if _, ok := id["iat"].(float64); !ok {
		t.Errorf("id_token has no numeric iat: %v", id["iat"])
	}
	if roles, _ := id["roles"].([]any); !slices.Equal(roles, []any{"admin", "viewer"}) {
		t.Errorf("id_token roles = %v, want [admin viewer]", id["roles"])
	}

	at := jwtClaims(t, f.token.AccessToken)
	if at["iss"] != s.Issuer() || at["sub"] != "demo-user-alice" || at["jti"] == "" {
		t.Errorf("access token claims iss/sub/jti wrong: %v", at)
	}
	if sc, _ := at["scope"].(string); !strings.Contains(" "+sc+" ", " orders:read ") {
		t.Errorf("access token scope = %q, want it to contain orders:read", sc)
	}
	if life := at["exp"].(float64) - at["iat"].(float64); life < 110 || life > 130 {
		t.Errorf("access token lifetime = %vs, want about 120s (default 2m)", life)
	}
	if f.token.Expiry.IsZero() || time.Until(f.token.Expiry) > 2*time.Minute+5*time.Second {
		t.Errorf("expires_in gives expiry %v, want about 2 minutes from now", f.token.Expiry)
	}

	resp, me := apiCall(t, "GET", s.APIBase()+"/me", f.token.AccessToken, "")
	if resp.StatusCode != 200 || me["preferred_username"] != "alice" || me["email"] != "alice@demo.pkce-desk.test" {
		t.Fatalf("GET /api/me = %d %v", resp.StatusCode, me)
	}
	resp, orders := apiCall(t, "GET", s.APIBase()+"/orders", f.token.AccessToken, "")
	if resp.StatusCode != 200 || len(orders["orders"].([]any)) != 2 {
		t.Fatalf("GET /api/orders = %d %v", resp.StatusCode, orders)
	}
	resp, created := apiCall(t, "POST", s.APIBase()+"/orders", f.token.AccessToken, `{"item":"Green tea","quantity":3}`)
	if resp.StatusCode != 201 || created["item"] != "Green tea" || created["created_by"] != "alice" || created["id"] == "" {
		t.Fatalf("POST /api/orders = %d %v", resp.StatusCode, created)
	}
	if _, orders = apiCall(t, "GET", s.APIBase()+"/orders", f.token.AccessToken, ""); len(orders["orders"].([]any)) != 3 {
		t.Errorf("after POST the list has %d orders, want 3", len(orders["orders"].([]any)))
	}

	// UserInfo at the provider (OIDC Core §5.3).
	resp, ui := apiCall(t, "GET", s.Issuer()+"/userinfo", f.token.AccessToken, "")
	if resp.StatusCode != 200 || ui["sub"] != "demo-user-alice" || ui["email"] != "alice@demo.pkce-desk.test" {
		t.Fatalf("userinfo = %d %v", resp.StatusCode, ui)
	}
}
