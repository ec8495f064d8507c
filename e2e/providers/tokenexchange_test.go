package providers

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"pkcedesk/auth"
	"pkcedesk/demo"
)

// Token exchange (RFC 8693) through Session.ExchangeToken against zitadel's
// example OP (zitadel/oidc's op implements the grant; the example storage
// allows impersonation by its admin user) and the demo provider.
// node-oidc-provider has no RFC 8693 grant of its own and Hydra v2.3.0 none
// at all, so they are not here.

// exchanged is one ExchangeToken call and its trace.
type exchanged struct {
	s     *auth.Session
	err   error
	trace *traceLog
}

func exchange(ctx context.Context, s *auth.Session, r auth.ExchangeRequest) exchanged {
	tl := &traceLog{}
	ns, err := s.ExchangeToken(ctx, r, auth.LoginOptions{Trace: tl.add})
	return exchanged{ns, err, tl}
}

// checkExchanged asserts what every successful exchange must show: a new
// session of grant token exchange with the issued type the provider
// named, a new token, the exchange on its own timeline with the subject
// token never in clear text, and the original session unchanged.
func checkExchanged(t *testing.T, from *auth.Session, before auth.TokenSet, x exchanged, wantType string) auth.TokenSet {
	t.Helper()
	if x.err != nil {
		t.Fatalf("ExchangeToken: %v\ntrace:\n%s", x.err, x.trace.text())
	}
	if x.s == from {
		t.Fatal("ExchangeToken returned the original session, want a new one")
	}
	if x.s.Grant() != auth.GrantTokenExchange {
		t.Errorf("exchanged session Grant() = %q", x.s.Grant())
	}
	if wantType != "" && x.s.IssuedTokenType() != wantType {
		t.Errorf("IssuedTokenType() = %q, want %q", x.s.IssuedTokenType(), wantType)
	}
	tok := x.s.Token()
	if tok.AccessToken.IsZero() || tok.AccessToken.Reveal() == before.AccessToken.Reveal() {
		t.Fatal("the exchange gave no new token")
	}
	if tok.IssuedTokenType != x.s.IssuedTokenType() {
		t.Errorf("TokenSet.IssuedTokenType %q, session says %q", tok.IssuedTokenType, x.s.IssuedTokenType())
	}
	if missing := x.trace.missingKinds(auth.KindTokenExchangeRequest, auth.KindTokenExchanged); len(missing) > 0 {
		t.Errorf("exchange trace lacks %v; it has %v", missing, x.trace.kinds())
	}
	assertNoSecrets(t, x.trace, before) // the subject token
	assertNoSecrets(t, x.trace, tok)
	if from.Token().AccessToken.Reveal() != before.AccessToken.Reveal() {
		t.Error("ExchangeToken changed the original session's token")
	}
	return tok
}

// jwtClaims decodes a compact JWS payload without verifying it (the tests
// check what the provider put in it; the provider's own endpoint proves it).
func jwtClaims(t *testing.T, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("the issued token is not a compact JWS (%d parts)", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

// TestTokenExchangeZitadel: a device sign-in with the example's
// confidential device client (zitadel's op reads token-exchange client
// authentication from HTTP Basic only), then exchanges of its access
// token; the public client "native" is refused.
func TestTokenExchangeZitadel(t *testing.T) {
	ctx, op := startZitadelForGrants(t)
	md := discoverGrants(ctx, t, op.Issuer)
	dt := &deviceTarget{
		name: "zitadel", issuer: op.Issuer, clientID: op.DeviceClientID, secret: op.DeviceClientSecret,
		scopes: []string{"openid", "profile", "email"}, interval: 5 * time.Second, verify: op.VerifyDevice, logs: op.Logs,
	}
	ds := deviceLogin(ctx, dt, dt.config(), false, true, 0, 0)
	if ds.err != nil || ds.verr != nil {
		t.Fatalf("device sign-in for the subject token: %v; verification %v", ds.err, ds.verr)
	}
	s := ds.s
	before := s.Token()
	const audience = "urn:pkce-desk:e2e-api"
	userinfoSub := func(t *testing.T, at string) string {
		t.Helper()
		var info map[string]any
		if err := getBearerJSON(ctx, md.UserInfo, at, &info); err != nil {
			t.Fatalf("userinfo with the exchanged token: %v", err)
		}
		sub, _ := info["sub"].(string)
		return sub
	}

	t.Run("access_token_for_audience", func(t *testing.T) {
		x := exchange(ctx, s, auth.ExchangeRequest{Audience: []string{audience}, Scopes: []string{"openid", "profile"}, RequestedTokenType: auth.TokenTypeAccessToken})
		tok := checkExchanged(t, s, before, x, auth.TokenTypeAccessToken)
		if sub := userinfoSub(t, tok.AccessToken.Reveal()); sub != "id1" {
			t.Errorf("userinfo says the exchanged token is %q's, want id1 (the subject token's user)", sub)
		}
		if got := tok.Scope; got != "" && !scopeHas(got, "profile") {
			t.Errorf("exchanged scope %q", got)
		}
	})

	t.Run("id_token_requested", func(t *testing.T) {
		x := exchange(ctx, s, auth.ExchangeRequest{Audience: []string{audience}, Scopes: []string{"openid", "profile"}, RequestedTokenType: auth.TokenTypeIDToken})
		// zitadel answers token_type "N_A" (RFC 8693 §2.2.1: the issued
		// token is no access token); the engine must take it.
		tok := checkExchanged(t, s, before, x, auth.TokenTypeIDToken)
		c := jwtClaims(t, tok.AccessToken.Reveal())
		if c["sub"] != "id1" || !audienceHas(c["aud"], audience) || c["iss"] != op.Issuer {
			t.Errorf("the issued ID token: sub %v aud %v iss %v", c["sub"], c["aud"], c["iss"])
		}
	})

	t.Run("provider_default_type", func(t *testing.T) {
		// No requested_token_type: the example storage picks refresh_token
		// and says so in issued_token_type; the session reports that.
		x := exchange(ctx, s, auth.ExchangeRequest{Audience: []string{audience}, Scopes: []string{"openid", "profile"}})
		checkExchanged(t, s, before, x, "urn:ietf:params:oauth:token-type:refresh_token")
	})

	t.Run("subject_id_token", func(t *testing.T) {
		x := exchange(ctx, s, auth.ExchangeRequest{SubjectToken: "id_token", Audience: []string{audience}, Scopes: []string{"openid"}, RequestedTokenType: auth.TokenTypeAccessToken})
		tok := checkExchanged(t, s, before, x, auth.TokenTypeAccessToken)
		if sub := userinfoSub(t, tok.AccessToken.Reveal()); sub != "id1" {
			t.Errorf("the token exchanged from the ID token is %q's, want id1", sub)
		}
		if v := before.IDToken.Reveal(); len(v) > 8 && strings.Contains(x.trace.text(), v) {
			t.Error("the trace shows the ID token used as subject token")
		}
	})

	t.Run("unsupported_type_refused", func(t *testing.T) {
		x := exchange(ctx, s, auth.ExchangeRequest{Audience: []string{audience}, RequestedTokenType: auth.TokenTypeJWT})
		var pe *auth.ProviderError
		if !errors.As(x.err, &pe) || pe.Code != "invalid_request" {
			t.Fatalf("requested_token_type jwt (zitadel does not issue it): %v, want invalid_request", x.err)
		}
	})

	t.Run("public_client_refused", func(t *testing.T) {
		tg := &target{name: "zitadel", issuer: op.Issuer, clientID: op.ClientID, scopes: []string{"openid", "profile"}, fields: op.LoginFields(), logs: op.Logs}
		si := mustSignIn(ctx, t, tg, engineConfig(tg))
		x := exchange(ctx, si.s, auth.ExchangeRequest{Audience: []string{audience}, RequestedTokenType: auth.TokenTypeAccessToken})
		var pe *auth.ProviderError
		if !errors.As(x.err, &pe) || pe.Code != "invalid_client" {
			t.Fatalf("token exchange by the public client: %v, want invalid_client (zitadel wants HTTP Basic here)", x.err)
		}
		if x.trace.count(auth.KindTokenExchanged) > 0 {
			t.Error("a refused exchange traced token_exchanged")
		}
	})
}

// TestTokenExchangeDemo: the demo's public client signs in (code flow),
// then exchanges its access token for the demo API's audience; the demo
// API honours the new token for the same user, and refuses one exchanged
// for another audience.
func TestTokenExchangeDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	srv := startDemo(ctx, t, demo.Options{})
	tg := &target{name: "demo", issuer: srv.Issuer(), clientID: srv.ClientID(),
		scopes: []string{"openid", "profile", "email", "orders:read"},
		logs:   func() string { return "(the demo provider runs in the test process)" }}
	si := mustSignIn(ctx, t, tg, engineConfig(tg))
	s := si.s
	before := s.Token()
	alice := demoSubject(srv, "alice")

	t.Run("access_token_for_the_api", func(t *testing.T) {
		x := exchange(ctx, s, auth.ExchangeRequest{Audience: []string{srv.APIBase()}, Scopes: []string{"orders:read"}})
		tok := checkExchanged(t, s, before, x, auth.TokenTypeAccessToken)
		me, err := demoMe(ctx, srv, tok.AccessToken.Reveal())
		if err != nil {
			t.Fatalf("the demo API refuses the exchanged token: %v", err)
		}
		if me.Subject != alice || !scopeHas(me.Scope, "orders:read") {
			t.Errorf("the demo API says sub %q scope %q, want %q with orders:read", me.Subject, me.Scope, alice)
		}
	})

	t.Run("other_audience_not_honoured_by_the_api", func(t *testing.T) {
		x := exchange(ctx, s, auth.ExchangeRequest{Audience: []string{"urn:pkce-desk:somewhere-else"}})
		tok := checkExchanged(t, s, before, x, "")
		if _, err := demoMe(ctx, srv, tok.AccessToken.Reveal()); err == nil {
			t.Error("the demo API honours a token exchanged for another audience")
		}
	})

	t.Run("subject_id_token", func(t *testing.T) {
		x := exchange(ctx, s, auth.ExchangeRequest{SubjectToken: "id_token", Audience: []string{srv.APIBase()}, Scopes: []string{"openid"}})
		tok := checkExchanged(t, s, before, x, "")
		if sub := demoAPISubject(ctx, t, srv, tok.AccessToken.Reveal()); sub != alice {
			t.Errorf("the token exchanged from the ID token is %q's, want %q", sub, alice)
		}
	})

	t.Run("wider_scope_refused", func(t *testing.T) {
		x := exchange(ctx, s, auth.ExchangeRequest{Audience: []string{srv.APIBase()}, Scopes: []string{"orders:write"}})
		var pe *auth.ProviderError
		if !errors.As(x.err, &pe) || pe.Code != "invalid_scope" {
			t.Fatalf("exchange for a scope the subject token lacks: %v, want invalid_scope", x.err)
		}
	})
}
