package providers

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"pkcedesk/auth"

	"pkcedesk/e2e/harness"
)

// TestNodeOIDC holds node-oidc-provider (npm oidc-provider, the
// OpenID-certified Node OP; e2e/tools/nodeoidc) to the shapes the other
// providers' suites check: the loopback code flow through pkcedesk/auth,
// and the device and client-credentials grants done by x/oauth2 alone, so
// a failure of the engine's own grants (device_test.go,
// clientcredentials_test.go) is told apart from a provider or harness one.
func TestNodeOIDC(t *testing.T) {
	requireNodeOIDC(t)
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	start := time.Now()
	op := startNodeOIDC(ctx, t, harness.NodeOIDCOptions{})
	timing("nodeoidc", "setup", time.Since(start))
	md := discoverGrants(ctx, t, op.Issuer)
	suite := time.Now()

	t.Run("engine_code_flow", func(t *testing.T) {
		tg := nodeOIDCTarget(op)
		si := mustSignIn(ctx, t, tg, engineConfig(tg))
		s := si.s
		tok := s.Token()
		if tok.AccessToken.IsZero() || tok.IDToken.IsZero() || tok.RefreshToken.IsZero() {
			t.Fatalf("tokens missing: access %t id %t refresh %t (issueRefreshToken gives native clients one)",
				!tok.AccessToken.IsZero(), !tok.IDToken.IsZero(), !tok.RefreshToken.IsZero())
		}
		claims := s.IDTokenClaims()
		if claims["iss"] != op.Issuer || !audienceHas(claims["aud"], op.NativeClientID) || claims["sub"] != harness.NodeOIDCUser {
			t.Errorf("ID token iss %v aud %v sub %v", claims["iss"], claims["aud"], claims["sub"])
		}
		for _, c := range s.Checks() {
			if !c.Passed {
				t.Errorf("check %q failed: %s", c.Name, c.Detail)
			}
		}
		if missing := si.trace.missingKinds(auth.KindDiscovered, auth.KindListenerUp, auth.KindAuthorizationURL,
			auth.KindCallbackReceived, auth.KindTokenRequest, auth.KindTokenResponse, auth.KindSignedIn); len(missing) > 0 {
			t.Errorf("trace lacks %v; it has %v", missing, si.trace.kinds())
		}
		assertNoSecrets(t, si.trace, tok)
		// The authorization request carried PKCE S256 (the provider
		// requires it of every client here, so the sign-in passing says
		// so too).
		if e, ok := si.trace.first(auth.KindAuthorizationURL); ok {
			if u := field(e, "url"); u != "" && !strings.Contains(u, "code_challenge_method=S256") {
				t.Errorf("authorization URL lacks code_challenge_method=S256: %s", u)
			}
		}
		// The tokens are the provider's: userinfo answers for the subject,
		// introspection (as the confidential service client) says active.
		info, err := s.UserInfo(ctx)
		if err != nil {
			t.Fatalf("UserInfo: %v", err)
		}
		if info["sub"] != harness.NodeOIDCUser || info["email"] != harness.NodeOIDCUser+"@example.test" {
			t.Errorf("userinfo %v", info)
		}
		ir, err := introspect(ctx, md.Introspection, op.ServiceClientID, op.ServiceClientSecret, tok.AccessToken.Reveal())
		if err != nil {
			t.Fatal(err)
		}
		if ir["active"] != true || ir["client_id"] != op.NativeClientID || ir["sub"] != harness.NodeOIDCUser {
			t.Errorf("introspection of the access token: %v", ir)
		}
		// Refresh works and the old refresh token is rotated out (public
		// clients' refresh tokens rotate at node-oidc-provider).
		before := tok.RefreshToken.Reveal()
		after, err := s.Refresh(ctx)
		if err != nil {
			t.Fatalf("Refresh: %v", err)
		}
		if after.RefreshToken.IsZero() || after.RefreshToken.Reveal() == before {
			t.Error("refresh did not rotate the refresh token")
		}
		ir, err = introspect(ctx, md.Introspection, op.ServiceClientID, op.ServiceClientSecret, before)
		if err != nil {
			t.Fatal(err)
		}
		if ir["active"] != false {
			t.Errorf("the rotated-out refresh token is still active: %v", ir)
		}
	})

	t.Run("raw_device_flow", func(t *testing.T) {
		cfg := &oauth2.Config{
			ClientID: op.NativeClientID,
			Scopes:   []string{"openid", "offline_access", "email"},
			Endpoint: oauth2.Endpoint{DeviceAuthURL: md.DeviceAuthorization, TokenURL: md.Token, AuthStyle: oauth2.AuthStyleInParams},
		}
		rctx := context.WithValue(ctx, oauth2.HTTPClient, rawHTTP)
		da, err := cfg.DeviceAuth(rctx)
		if err != nil {
			t.Fatalf("device authorization: %v", err)
		}
		if da.Interval != int64(op.DeviceInterval) || da.VerificationURIComplete == "" || !strings.HasPrefix(da.VerificationURI, op.Issuer+"/") {
			t.Fatalf("device authorization response: interval %d (want %d), verification_uri %q, complete %t",
				da.Interval, op.DeviceInterval, da.VerificationURI, da.VerificationURIComplete != "")
		}
		verified := make(chan error, 1)
		go func() {
			time.Sleep(2 * time.Second) // let a few polls see authorization_pending
			_, err := op.VerifyDevice(ctx, da.VerificationURIComplete, "", true)
			verified <- err
		}()
		tok, err := cfg.DeviceAccessToken(rctx, da)
		if verr := <-verified; verr != nil {
			t.Fatalf("device verification in the stand-in browser: %v", verr)
		}
		if err != nil {
			t.Fatalf("device access token: %v\nprovider output:\n%s", err, op.Logs())
		}
		if tok.RefreshToken == "" || tok.Extra("id_token") == nil {
			t.Errorf("device grant: refresh %t id_token %t", tok.RefreshToken != "", tok.Extra("id_token") != nil)
		}
		ir, err := introspect(ctx, md.Introspection, op.ServiceClientID, op.ServiceClientSecret, tok.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		if ir["active"] != true || ir["sub"] != harness.NodeOIDCUser || ir["client_id"] != op.NativeClientID {
			t.Errorf("introspection of the device grant's access token: %v", ir)
		}
	})

	t.Run("raw_client_credentials", func(t *testing.T) {
		cc := clientcredentials.Config{
			ClientID: op.ServiceClientID, ClientSecret: op.ServiceClientSecret, TokenURL: md.Token,
			Scopes: []string{"api:read"}, EndpointParams: map[string][]string{"resource": {op.Resource}},
			AuthStyle: oauth2.AuthStyleInHeader,
		}
		tok, err := cc.Token(context.WithValue(ctx, oauth2.HTTPClient, rawHTTP))
		if err != nil {
			t.Fatalf("client credentials: %v", err)
		}
		ir, err := introspect(ctx, md.Introspection, op.ServiceClientID, op.ServiceClientSecret, tok.AccessToken)
		if err != nil {
			t.Fatal(err)
		}
		if ir["active"] != true || ir["client_id"] != op.ServiceClientID || !audienceHas(ir["aud"], op.Resource) || !scopeHas(ir["scope"], "api:read") {
			t.Errorf("introspection of the client-credentials token: %v", ir)
		}
	})
	timing("nodeoidc", "suite", time.Since(suite))
}

// requireNodeOIDC skips (or under run.sh fails) when node-oidc-provider is
// not installed.
func requireNodeOIDC(t *testing.T) {
	t.Helper()
	requireBinary(t, "node-oidc-provider (npm ci in e2e/tools/nodeoidc)", harness.NodeOIDCModules()+"/oidc-provider/package.json")
}

// startNodeOIDC starts node-oidc-provider for t and stops it at t's end.
func startNodeOIDC(ctx context.Context, t *testing.T, opts harness.NodeOIDCOptions) *harness.NodeOIDC {
	t.Helper()
	op, err := harness.StartNodeOIDC(ctx, opts)
	if err != nil {
		t.Fatalf("start node-oidc-provider: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("node-oidc-provider output:\n%s", op.Logs())
		}
		op.Stop()
	})
	return op
}

// nodeOIDCTarget is node-oidc-provider's native client as the shared
// engine helpers see it.
func nodeOIDCTarget(op *harness.NodeOIDC) *target {
	return &target{
		name:     "nodeoidc",
		issuer:   op.Issuer,
		clientID: op.NativeClientID,
		scopes:   []string{"openid", "offline_access", "profile", "email"},
		fields:   op.LoginFields(),
		logs:     op.Logs,
	}
}

// grantMetadata is the discovery document's part the grant tests use.
type grantMetadata struct {
	metadata
	DeviceAuthorization string   `json:"device_authorization_endpoint"`
	GrantTypes          []string `json:"grant_types_supported"`
}

// discoverGrants fetches issuer's metadata with the device endpoint.
func discoverGrants(ctx context.Context, t *testing.T, issuer string) grantMetadata {
	t.Helper()
	var m grantMetadata
	u := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	if err := harness.DoJSON(ctx, http.MethodGet, u, nil, &m); err != nil {
		t.Fatalf("discovery: %v", err)
	}
	if m.Issuer != issuer {
		t.Fatalf("discovery issuer %q differs from %q", m.Issuer, issuer)
	}
	return m
}
