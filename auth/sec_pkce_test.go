package auth

import (
	"errors"
	"strings"
	"testing"
)

// Proves security rule 11 (docs/security.md).
func TestVerifierFreshPerAttemptS256Only(t *testing.T) {
	op := newFakeOP(t)
	var verifiers []string
	for range 2 {
		s, _, err := loginWith(t, op.config(), newBrowser().open)
		if err != nil {
			t.Fatal(err)
		}
		v := op.lastTokenForm.Get("code_verifier")
		if len(v) != 43 {
			t.Errorf("verifier length %d, want 43", len(v))
		}
		if m := op.lastAuthQuery.Get("code_challenge_method"); m != "S256" {
			t.Errorf("method %q", m)
		}
		verifiers = append(verifiers, v)
		for _, ev := range s.Trace() {
			if strings.Contains(ev.String(), v) {
				t.Errorf("verifier appears in trace event %q", ev.Message)
			}
		}
	}
	if verifiers[0] == verifiers[1] {
		t.Error("verifier reused across attempts")
	}
}

// Proves security rule 11 (docs/security.md).
func TestRevealGivesTheRealPKCEValues(t *testing.T) {
	op := newFakeOP(t)
	s, _, err := loginWith(t, op.config(), newBrowser().open)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range s.Trace() {
		if ev.Step != StepPKCE {
			continue
		}
		fv, _ := ev.Field("code_verifier")
		if !fv.Secret || fv.Value != redacted {
			t.Errorf("verifier field not redacted: %+v", fv)
		}
		rv, _ := ev.Revealed().Field("code_verifier")
		ch, _ := ev.Field("code_challenge")
		if S256Challenge(rv.Value) != ch.Value || rv.Value != op.lastTokenForm.Get("code_verifier") {
			t.Error("revealed verifier does not match the challenge or the one sent")
		}
		return
	}
	t.Fatal("no PKCE event")
}

// Proves security rule 12 (docs/security.md).
func TestRFC7636AppendixB(t *testing.T) {
	const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
	if got := S256Challenge(verifier); got != "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM" {
		t.Fatalf("challenge %q", got)
	}
}

// Proves security rule 13 (docs/security.md).
func TestNoS256RefusedBeforeBrowser(t *testing.T) {
	op := newFakeOP(t)
	op.metaEdit = func(m map[string]any) { m["code_challenge_methods_supported"] = []string{"plain"} }
	b := newBrowser()
	_, _, err := loginWith(t, op.config(), b.open)
	if !errors.Is(err, ErrPKCEUnsupported) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "plain") {
		t.Errorf("message does not say why: %v", err)
	}
	if len(b.opened) != 0 {
		t.Error("browser opened although S256 is unsupported")
	}
}

func TestAuthorizationURLCarriesParamsAndRefusesReserved(t *testing.T) {
	op := newFakeOP(t)
	cfg := op.config()
	cfg.Params = []Param{{"audience", "api://x"}, {"prompt", "consent"}, {"login_hint", "a@b"}}
	if _, _, err := loginWith(t, cfg, newBrowser().open); err != nil {
		t.Fatal(err)
	}
	q := op.lastAuthQuery
	if q.Get("audience") != "api://x" || q.Get("prompt") != "consent" || q.Get("nonce") == "" || q.Get("state") == "" {
		t.Errorf("query %v", q)
	}
	for _, k := range []string{"state", "code_challenge", "redirect_uri", "nonce", "Code_Challenge_Method", "client_id"} {
		cfg.Params = []Param{{k, "x"}}
		if err := cfg.Validate(); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("reserved %q accepted", k)
		}
	}
}

func TestRedirectURIToRegister(t *testing.T) {
	for in, want := range map[Redirect]string{
		{}:                         "http://127.0.0.1/callback",
		{Host: "::1", Path: "/cb"}: "http://[::1]/cb",
		{Port: 8765}:               "http://127.0.0.1:8765/callback",
		{Host: "localhost", AllowLocalhost: true}: "http://localhost/callback",
	} {
		got, err := RedirectURIToRegister(in)
		if err != nil || got != want {
			t.Errorf("%+v: %q %v, want %q", in, got, err, want)
		}
	}
}
