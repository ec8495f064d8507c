package demo

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/coreos/go-oidc/v3/oidc"

	"pkcedesk/internal/browserbot"
)

// lockedBuffer is a goroutine-safe log sink.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestDebugLogsCarryNoSecrets runs a whole flow with debug logging and
// checks that no token, code or verifier reaches the log (security rule 33),
// in memory and with a StateDir.
func TestDebugLogsCarryNoSecrets(t *testing.T) {
	t.Run("in memory", func(t *testing.T) { testDebugLogsCarryNoSecrets(t, "") })
	t.Run("state dir", func(t *testing.T) { testDebugLogsCarryNoSecrets(t, t.TempDir()) })
}

func testDebugLogsCarryNoSecrets(t *testing.T, stateDir string) {
	var logs lockedBuffer
	s := startServer(t, Options{StateDir: stateDir, Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	f := signIn(t, s, browserbot.New(browserbot.Options{}))
	nt, err := refresh(t, f, f.token.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	apiCall(t, "GET", s.APIBase()+"/me", nt.AccessToken, "")
	revoke(t, s, nt.RefreshToken, "")
	apiCall(t, "GET", s.APIBase()+"/me", nt.AccessToken, "")

	out := logs.String()
	if !strings.Contains(out, "path=/oauth/token") {
		t.Fatalf("debug log has no request lines; the test would prove nothing:\n%s", out)
	}
	secrets := map[string]string{
		"code": f.callback.Get("code"), "state": f.state, "verifier": f.verifier,
		"access token": f.token.AccessToken, "refresh token": f.token.RefreshToken,
		"id token": f.token.Extra("id_token").(string), "new access token": nt.AccessToken,
		"new refresh token": nt.RefreshToken,
	}
	for name, v := range secrets {
		if v != "" && strings.Contains(out, v) {
			t.Errorf("the %s appears in the log", name)
		}
	}
}

// TestIDTokenVerifiesWithGoOIDC checks the ID token with an independent
// verifier (coreos/go-oidc): discovery, JWKS, signature, iss, aud, exp.
func TestIDTokenVerifiesWithGoOIDC(t *testing.T) {
	s := startServer(t, Options{})
	f := signIn(t, s, browserbot.New(browserbot.Options{User: "bob"}))
	p, err := oidc.NewProvider(oidc.InsecureIssuerURLContext(t.Context(), s.Issuer()), s.Issuer())
	if err != nil {
		t.Fatalf("go-oidc discovery: %v", err)
	}
	idt, err := p.Verifier(&oidc.Config{ClientID: s.ClientID()}).Verify(t.Context(), f.token.Extra("id_token").(string))
	if err != nil {
		t.Fatalf("go-oidc Verify: %v", err)
	}
	if idt.Subject != "demo-user-bob" || idt.Nonce != f.nonce {
		t.Fatalf("sub %q nonce %q", idt.Subject, idt.Nonce)
	}
	if err := idt.VerifyAccessToken(f.token.AccessToken); err != nil {
		t.Fatalf("at_hash: %v", err)
	}
	var c struct {
		Roles []string `json:"roles"`
		Email string   `json:"email"`
	}
	if err := idt.Claims(&c); err != nil || c.Email != "bob@demo.pkce-desk.test" || len(c.Roles) != 1 || c.Roles[0] != "viewer" {
		t.Fatalf("claims %+v, err %v", c, err)
	}
	// A second server's verifier rejects this token (different key).
	other := startServer(t, Options{})
	p2, err := oidc.NewProvider(t.Context(), other.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p2.Verifier(&oidc.Config{ClientID: s.ClientID(), SkipIssuerCheck: true}).Verify(t.Context(), f.token.Extra("id_token").(string)); err == nil {
		t.Fatal("another server's keys verified this ID token")
	}
}

// TestConcurrentRefreshWithOneTokenSucceedsOnce races refreshes of one
// refresh token: rotation must let exactly one through.
func TestConcurrentRefreshWithOneTokenSucceedsOnce(t *testing.T) {
	s := startServer(t, Options{})
	f := signIn(t, s, browserbot.New(browserbot.Options{}))
	const n = 6
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok := 0
	for range n {
		wg.Go(func() {
			if _, err := refresh(t, f, f.token.RefreshToken); err == nil {
				mu.Lock()
				ok++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if ok != 1 {
		t.Fatalf("%d of %d concurrent refreshes with one token succeeded, want exactly 1", ok, n)
	}
}
