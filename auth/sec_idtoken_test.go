package auth

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"pkcedesk/internal/capped"
)

func (op *fakeOP) verifier() *idVerifier {
	return &idVerifier{issuer: op.issuer(), clientID: "desk-app", algs: []string{"RS256"},
		keys: keySetFor(op.issuer()+"/jwks", &http.Client{Timeout: 5 * time.Second}), now: time.Now}
}

// claims returns a valid claim set for nonce "n1" and access token "at".
func (op *fakeOP) claims() map[string]any {
	now := time.Now()
	return map[string]any{"iss": op.issuer(), "sub": "user-1", "aud": "desk-app", "exp": now.Add(time.Hour).Unix(),
		"iat": now.Unix(), "nonce": "n1", "at_hash": atHash("at")}
}

// Proves security rule 18 (docs/security.md).
func TestIDTokenRejections(t *testing.T) {
	op := newFakeOP(t)
	pubDER, _ := x509.MarshalPKIXPublicKey(rsaKey(0).Public())
	hs256 := func(payload []byte) string {
		s, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: pubDER}, nil)
		j, _ := s.Sign(payload)
		out, _ := j.CompactSerialize()
		return out
	}
	none := func(payload []byte) string {
		return base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
			base64.RawURLEncoding.EncodeToString(payload) + "."
	}
	otherKey := func(payload []byte) string {
		s, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: rsaKey(1), KeyID: "k1"}}, nil)
		j, _ := s.Sign(payload)
		out, _ := j.CompactSerialize()
		return out
	}
	now := time.Now()
	cases := []struct {
		name   string
		edit   func(c map[string]any)
		sign   func([]byte) string
		check  string
		skewed bool
	}{
		{"bad signature", nil, otherKey, "signature", false},
		{"alg none", nil, none, "signature algorithm", false},
		{"HS256 with the public key", nil, hs256, "signature algorithm", false},
		{"wrong iss", func(c map[string]any) { c["iss"] = "https://evil.example" }, nil, "issuer", false},
		{"wrong aud", func(c map[string]any) { c["aud"] = "other-app" }, nil, "audience", false},
		{"expired", func(c map[string]any) { c["exp"] = now.Add(-2 * time.Hour).Unix() }, nil, "expiry", false},
		{"expired a moment ago", func(c map[string]any) { c["exp"] = now.Add(-time.Minute).Unix() }, nil, "expiry", true},
		{"missing sub", func(c map[string]any) { delete(c, "sub") }, nil, "subject", false},
		{"missing iat", func(c map[string]any) { delete(c, "iat") }, nil, "issued at", false},
		{"iat in the future", func(c map[string]any) { c["iat"] = now.Add(time.Hour).Unix() }, nil, "issued at", true},
		{"wrong nonce", func(c map[string]any) { c["nonce"] = "n2" }, nil, "nonce", false},
		{"missing nonce", func(c map[string]any) { delete(c, "nonce") }, nil, "nonce", false},
		{"multi aud without azp", func(c map[string]any) { c["aud"] = []string{"desk-app", "api"} }, nil, "authorized party", false},
		{"azp mismatch", func(c map[string]any) { c["aud"] = []string{"desk-app", "api"}; c["azp"] = "api" }, nil, "authorized party", false},
		{"wrong at_hash", func(c map[string]any) { c["at_hash"] = atHash("other") }, nil, "access token hash", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cl := op.claims()
			if c.edit != nil {
				c.edit(cl)
			}
			op.signWith = c.sign
			raw := op.sign(cl)
			op.signWith = nil
			claims, checks, err := op.verifier().verify(context.Background(), raw, idExpect{nonce: "n1", accessToken: "at"}, newTracer(nil, nil))
			if claims != nil {
				t.Fatal("claims returned for a bad token")
			}
			ce := checkErr(t, err, c.check)
			if errors.Is(err, ErrClockSkew) != c.skewed {
				t.Errorf("clock-skew classification wrong: %v", err)
			}
			if c.skewed && !strings.Contains(err.Error(), "check your clock") {
				t.Errorf("message lacks the clock hint: %v", err)
			}
			failed := false
			for _, ch := range checks {
				if ch.Name == ce.Check && !ch.Passed && ch.Why != "" {
					failed = true
				}
			}
			if !failed {
				t.Errorf("checks %+v do not record the failure with a why", checks)
			}
		})
	}
	// The good token, and multi-aud with the right azp, pass every check.
	for _, edit := range []func(map[string]any){nil, func(c map[string]any) { c["aud"] = []string{"desk-app", "api"}; c["azp"] = "desk-app" }} {
		cl := op.claims()
		if edit != nil {
			edit(cl)
		}
		claims, checks, err := op.verifier().verify(context.Background(), op.sign(cl), idExpect{nonce: "n1", accessToken: "at"}, newTracer(nil, nil))
		if err != nil || claims.Subject != "user-1" {
			t.Fatalf("valid token rejected: %v", err)
		}
		for _, ch := range checks {
			if !ch.Passed {
				t.Errorf("check %q failed on a valid token", ch.Name)
			}
		}
	}
}

// Proves security rule 18 (docs/security.md).
func TestBadIDTokenFailsTheWholeSignIn(t *testing.T) {
	op := newFakeOP(t)
	op.claimsEdit = func(c map[string]any) { c["nonce"] = "replayed" }
	s, ev, err := loginWith(t, op.config(), newBrowser().open)
	checkErr(t, err, "nonce")
	if s != nil {
		t.Error("session returned")
	}
	if !ev.has("✗ nonce") {
		t.Error("failed check not in the trace")
	}
}

// Proves security rule 19 (docs/security.md).
func TestKeyRotationRefetchesOnceThrottled(t *testing.T) {
	op := newFakeOP(t)
	if _, _, err := loginWith(t, op.config(), newBrowser().open); err != nil {
		t.Fatal(err)
	}
	op.rotateKey()
	if _, _, err := loginWith(t, op.config(), newBrowser().open); err != nil {
		t.Fatalf("after key rotation: %v", err)
	}
	if n := op.count(&op.jwksGets); n != 2 {
		t.Fatalf("JWKS fetched %d times, want 2 (initial + one refetch)", n)
	}
	// Tokens with a kid the provider never publishes: no refetch storm.
	op.signWith = func(p []byte) string {
		s, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: rsaKey(1), KeyID: "ghost"}}, nil)
		j, _ := s.Sign(p)
		out, _ := j.CompactSerialize()
		return out
	}
	for range 3 {
		_, _, err := loginWith(t, op.config(), newBrowser().open)
		checkErr(t, err, "signature")
	}
	if n := op.count(&op.jwksGets); n != 2 {
		t.Errorf("unknown kids caused %d JWKS fetches, want none within the throttle", n-2)
	}
}

// Proves security rule 19 (docs/security.md).
func TestThrottleAllowsOneRefetchPerInterval(t *testing.T) {
	op := newFakeOP(t)
	clock := time.Now()
	ks := &keySet{url: op.issuer() + "/jwks", client: &http.Client{Timeout: 5 * time.Second}, now: func() time.Time { return clock }, every: time.Minute}
	op.signWith = func(p []byte) string {
		s, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: rsaKey(0), KeyID: "ghost"}}, nil)
		j, _ := s.Sign(p)
		out, _ := j.CompactSerialize()
		return out
	}
	raw := op.sign(op.claims())
	for range 5 {
		if _, err := ks.VerifySignature(context.Background(), raw); !errors.Is(err, errUnknownKey) {
			t.Fatalf("err = %v", err)
		}
	}
	if ks.fetches != 2 {
		t.Fatalf("%d fetches within one interval, want 2 (first use + one refetch)", ks.fetches)
	}
	clock = clock.Add(61 * time.Second)
	_, _ = ks.VerifySignature(context.Background(), raw)
	_, _ = ks.VerifySignature(context.Background(), raw)
	if ks.fetches != 3 {
		t.Fatalf("%d fetches after the interval, want 3", ks.fetches)
	}
}

// Proves security rule 19 (docs/security.md).
func TestJWKSBodyIsCapped(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"keys":[` + strings.Repeat(" ", 2<<20) + `]}`))
	}))
	defer srv.Close()
	_, _, err := fetchJWKS(context.Background(), srv.Client(), srv.URL)
	if !errors.Is(err, capped.ErrTooLarge) {
		t.Fatalf("err = %v", err)
	}
}

// Proves security rule 20 (docs/security.md).
func TestDiscoveryIssuerMustMatch(t *testing.T) {
	op := newFakeOP(t)
	op.metaEdit = func(m map[string]any) { m["issuer"] = "https://evil.example" }
	b := newBrowser()
	_, _, err := loginWith(t, op.config(), b.open)
	checkErr(t, err, "discovery issuer")
	if len(b.opened) != 0 {
		t.Error("browser opened")
	}
	// A trailing-slash difference is a mismatch too (exact comparison).
	op2 := newFakeOP(t)
	cfg := op2.config()
	cfg.Issuer += "/"
	_, _, err = loginWith(t, cfg, newBrowser().open)
	checkErr(t, err, "discovery issuer")
}

// Proves security rule 20 (docs/security.md).
func TestDiscoveryBodyCappedAndNotCachedOnFailure(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		_, _ = w.Write([]byte(strings.Repeat("x", 1<<20)))
	}))
	defer srv.Close()
	for range 2 {
		if _, err := Discover(context.Background(), srv.URL, srv.Client()); !errors.Is(err, capped.ErrTooLarge) {
			t.Fatalf("err = %v", err)
		}
	}
	if hits != 2 {
		t.Errorf("failure was cached: %d hits", hits)
	}
}

// Proves security rule 20 (docs/security.md).
func TestEntraTenantTemplateNarrowRule(t *testing.T) {
	tmpl := "https://login.microsoftonline.com/{tenantid}/v2.0"
	if !entraTemplateAllowed("https://login.microsoftonline.com/common/v2.0", tmpl) ||
		!entraTemplateAllowed("https://login.microsoftonline.com/organizations/v2.0", tmpl) {
		t.Error("multi-tenant aliases refused")
	}
	for _, c := range [][2]string{
		{"https://login.microsoftonline.com/contoso.com/v2.0", tmpl},
		{"https://evil.example/common/v2.0", tmpl},
		{"https://login.microsoftonline.com/common/v2.0", "https://evil.example/{tenantid}/v2.0"},
	} {
		if entraTemplateAllowed(c[0], c[1]) {
			t.Errorf("%v accepted", c)
		}
	}
	op := newFakeOP(t)
	v := op.verifier()
	v.issuer, v.template = "https://login.microsoftonline.com/common/v2.0", tmpl
	tid := "9188040d-6c67-4c5b-b112-36a304b66dad"
	run := func(iss, tid string) error {
		cl := op.claims()
		cl["iss"], cl["tid"] = iss, tid
		_, _, err := v.verify(context.Background(), op.sign(cl), idExpect{nonce: "n1", accessToken: "at"}, newTracer(nil, nil))
		return err
	}
	good := fmt.Sprintf("https://login.microsoftonline.com/%s/v2.0", tid)
	if err := run(good, tid); err != nil {
		t.Fatalf("valid tenant token: %v", err)
	}
	checkErr(t, run(good, "not-a-guid"), "issuer")
	checkErr(t, run("https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0", tid), "issuer")
	v.tenants = []string{"11111111-1111-1111-1111-111111111111"}
	checkErr(t, run(good, tid), "issuer")
	v.tenants = nil

	// A key published for one tenant must not sign for another.
	op2 := newFakeOP(t)
	op2.jwksIssuer = "https://login.microsoftonline.com/22222222-2222-2222-2222-222222222222/v2.0"
	v2 := op2.verifier()
	v2.issuer, v2.template = v.issuer, tmpl
	cl := op2.claims()
	cl["iss"], cl["tid"] = good, tid
	_, _, err := v2.verify(context.Background(), op2.sign(cl), idExpect{nonce: "n1", accessToken: "at"}, newTracer(nil, nil))
	checkErr(t, err, "issuer")
	op3 := newFakeOP(t)
	op3.jwksIssuer = tmpl // the common keys sign for any tenant
	v3 := op3.verifier()
	v3.issuer, v3.template = v.issuer, tmpl
	cl = op3.claims()
	cl["iss"], cl["tid"] = good, tid
	if _, _, err := v3.verify(context.Background(), op3.sign(cl), idExpect{nonce: "n1", accessToken: "at"}, newTracer(nil, nil)); err != nil {
		t.Errorf("{tenantid} key refused: %v", err)
	}
}

// Proves security rule 20 (docs/security.md).
func TestGoogleSchemelessIssuerOnlyForGoogle(t *testing.T) {
	op := newFakeOP(t)
	v := op.verifier()
	try := func(configured, iss string) error {
		v.issuer = configured
		cl := op.claims()
		cl["iss"] = iss
		_, _, err := v.verify(context.Background(), op.sign(cl), idExpect{nonce: "n1", accessToken: "at"}, newTracer(nil, nil))
		return err
	}
	if err := try("https://accounts.google.com", "accounts.google.com"); err != nil {
		t.Errorf("Google's scheme-less iss refused: %v", err)
	}
	checkErr(t, try("https://accounts.google.com", "accounts.google.com.evil"), "issuer")
	checkErr(t, try(op.issuer(), strings.TrimPrefix(op.issuer(), "http://")), "issuer")
}
