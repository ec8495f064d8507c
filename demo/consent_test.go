package demo

import (
	"net/http"
	"net/http/cookiejar"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"pkcedesk/internal/browserbot"
)

func TestDenyReturnsAccessDenied(t *testing.T) {
	s := startServer(t, Options{})
	sink := newCallbackSink(t)
	cfg := oauthConfig(s, sink.redirectURI())
	bot := browserbot.New(browserbot.Options{User: "bob", Deny: true})
	if err := bot.Open(t.Context(), cfg.AuthCodeURL("st-deny", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()))); err != nil {
		t.Fatal(err)
	}
	q := sink.wait(t)
	if q.Get("error") != "access_denied" || q.Get("state") != "st-deny" || q.Get("iss") != s.Issuer() || q.Has("code") {
		t.Fatalf("deny callback = %v, want access_denied with state and iss and no code", q)
	}
}

// subjectOf signs in with bot using extra authorization parameters and
// returns the ID token's subject.
func subjectOf(t *testing.T, s *Server, bot *browserbot.Bot, params ...oauth2.AuthCodeOption) string {
	t.Helper()
	sink := newCallbackSink(t)
	cfg := oauthConfig(s, sink.redirectURI(), "openid")
	v := oauth2.GenerateVerifier()
	opts := append([]oauth2.AuthCodeOption{oauth2.S256ChallengeOption(v)}, params...)
	if err := bot.Open(t.Context(), cfg.AuthCodeURL("st", opts...)); err != nil {
		t.Fatal(err)
	}
	q := sink.wait(t)
	if q.Get("error") != "" {
		t.Fatalf("callback error %s: %s", q.Get("error"), q.Get("error_description"))
	}
	tok, err := cfg.Exchange(t.Context(), q.Get("code"), oauth2.VerifierOption(v))
	if err != nil {
		t.Fatal(err)
	}
	return jwtClaims(t, tok.Extra("id_token").(string))["sub"].(string)
}

func TestSessionReuseAndPromptLogin(t *testing.T) {
	s := startServer(t, Options{})
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second} // one browser profile
	client := browserbot.New(browserbot.Options{User: "alice", Client: hc})
	if sub := subjectOf(t, s, client); sub != "demo-user-alice" {
		t.Fatalf("first sign-in: %s", sub)
	}
	// Same browser, asks for bob, but the session is alice and no prompt:
	// the picker is skipped, alice again.
	sameJar := browserbot.New(browserbot.Options{User: "bob", Client: hc})
	if sub := subjectOf(t, s, sameJar); sub != "demo-user-alice" {
		t.Fatalf("session reuse: got %s, want alice", sub)
	}
	// prompt=login shows the picker again.
	if sub := subjectOf(t, s, sameJar, oauth2.SetAuthURLParam("prompt", "login")); sub != "demo-user-bob" {
		t.Fatalf("prompt=login: got %s, want bob", sub)
	}
	// login_hint naming someone else also shows the picker.
	back := browserbot.New(browserbot.Options{User: "alice", Client: hc})
	if sub := subjectOf(t, s, back, oauth2.SetAuthURLParam("login_hint", "alice")); sub != "demo-user-alice" {
		t.Fatalf("login_hint=alice: got %s", sub)
	}
}

func TestPromptNone(t *testing.T) {
	s := startServer(t, Options{})
	sink := newCallbackSink(t)
	cfg := oauthConfig(s, sink.redirectURI(), "openid")
	bot := browserbot.New(browserbot.Options{})
	if err := bot.Open(t.Context(), cfg.AuthCodeURL("st", oauth2.S256ChallengeOption(oauth2.GenerateVerifier()), oauth2.SetAuthURLParam("prompt", "none"))); err != nil {
		t.Fatal(err)
	}
	if q := sink.wait(t); q.Get("error") != "login_required" || q.Get("iss") != s.Issuer() {
		t.Fatalf("prompt=none without session: %v", q)
	}
}
