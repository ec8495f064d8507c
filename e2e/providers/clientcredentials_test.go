package providers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"pkcedesk/auth"
	"pkcedesk/demo"

	"pkcedesk/e2e/harness"
)

// The client credentials grant (RFC 6749 §4.4) through pkcedesk/auth — a
// service account: no user, no browser, no listener — against Ory Hydra,
// node-oidc-provider, zitadel's example OP and the demo provider. Each
// token is proved live at the provider that issued it.

// ccTarget is one provider's confidential service client.
type ccTarget struct {
	name     string
	issuer   string
	clientID string
	secret   string
	scopes   []string
	params   []auth.Param // audience / resource
	// tokenValid proves the access token is live at the provider and
	// returns what the provider says of it (for the log).
	tokenValid func(ctx context.Context, t *testing.T, accessToken string) string
	logs       func() string
}

func (ct *ccTarget) config() auth.Config {
	return auth.Config{
		Issuer: ct.issuer, ClientID: ct.clientID, ClientSecret: auth.NewSecret(ct.secret),
		AuthMethod: auth.AuthClientSecretBasic, Scopes: ct.scopes, Params: ct.params,
		Grant: auth.GrantClientCredentials, Timeout: 30 * time.Second,
	}
}

// ccLogin runs the grant; a browser open fails the test.
func ccLogin(ctx context.Context, t *testing.T, cfg auth.Config) (*auth.Session, *traceLog, error) {
	t.Helper()
	tl := &traceLog{}
	s, err := auth.Login(ctx, cfg, auth.LoginOptions{
		Trace: tl.add,
		Open: func(_ context.Context, u string) error {
			t.Errorf("the client credentials grant opened a browser at %s", u)
			return nil
		},
	})
	return s, tl, err
}

// testClientCredentials is the client-credentials suite for one provider.
func testClientCredentials(t *testing.T, ct *ccTarget) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	s, tl, err := ccLogin(ctx, t, ct.config())
	if err != nil {
		t.Fatalf("client credentials: %v\ntrace:\n%s\nprovider output:\n%s", err, tl.text(), ct.logs())
	}

	t.Run("gets_token", func(t *testing.T) {
		if s.Grant() != auth.GrantClientCredentials {
			t.Errorf("Session.Grant() = %q, want %q", s.Grant(), auth.GrantClientCredentials)
		}
		tok := s.Token()
		if tok.AccessToken.IsZero() || !strings.EqualFold(tok.TokenType, "Bearer") {
			t.Fatalf("access token %t, type %q", !tok.AccessToken.IsZero(), tok.TokenType)
		}
		if tok.Expiry.IsZero() || time.Until(tok.Expiry) <= 0 {
			t.Errorf("expiry %s: the provider sent expires_in, the session should know when to renew", tok.Expiry)
		}
		if missing := tl.missingKinds(auth.KindClientCredentialsRequest, auth.KindTokenResponse, auth.KindSignedIn); len(missing) > 0 {
			t.Errorf("trace lacks %v; it has %v", missing, tl.kinds())
		}
		for _, k := range []auth.EventKind{auth.KindListenerUp, auth.KindAuthorizationURL, auth.KindBrowserOpened, auth.KindDeviceCode} {
			if tl.count(k) > 0 {
				t.Errorf("a client-credentials grant traced %s", k)
			}
		}
		assertNoSecrets(t, tl, tok)
		if strings.Contains(tl.text(), ct.secret) {
			t.Error("the trace shows the client secret")
		}
		t.Logf("%s: %s", ct.name, ct.tokenValid(ctx, t, tok.AccessToken.Reveal()))
	})

	t.Run("refresh_gets_a_new_token", func(t *testing.T) {
		before := s.Token().AccessToken.Reveal()
		after, err := s.Refresh(ctx)
		if err != nil {
			t.Fatalf("Refresh of a client-credentials session: %v", err)
		}
		if after.AccessToken.IsZero() || after.AccessToken.Reveal() == before {
			t.Fatal("Refresh did not get a new access token")
		}
		if s.Token().AccessToken.Reveal() != after.AccessToken.Reveal() {
			t.Error("the session does not hold the new token")
		}
		ct.tokenValid(ctx, t, after.AccessToken.Reveal())
	})

	t.Run("token_source_serves_requests", func(t *testing.T) {
		ts := s.TokenSource()
		tok, err := ts.Token()
		if err != nil || tok.AccessToken == "" {
			t.Fatalf("TokenSource: %v", err)
		}
		ct.tokenValid(ctx, t, tok.AccessToken)
	})

	t.Run("wrong_secret_refused", func(t *testing.T) {
		cfg := ct.config()
		const wrong = "wrong-secret-canary-5f1c"
		cfg.ClientSecret = auth.NewSecret(wrong)
		s, tl, err := ccLogin(ctx, t, cfg)
		if err == nil {
			t.Fatalf("a wrong client secret got a token (session %v)", s != nil)
		}
		var pe *auth.ProviderError
		var he *auth.HTTPError
		switch {
		case errors.As(err, &pe):
			if pe.Code != "invalid_client" && pe.Code != "unauthorized_client" {
				t.Errorf("wrong secret: provider error %q (%s), want invalid_client", pe.Code, pe.Description)
			}
		case errors.As(err, &he):
			if he.Status != http.StatusUnauthorized && he.Status != http.StatusBadRequest {
				t.Errorf("wrong secret: HTTP %d", he.Status)
			}
		default:
			t.Errorf("wrong secret: %T %v, want a *ProviderError (invalid_client)", err, err)
		}
		if strings.Contains(err.Error(), wrong) || strings.Contains(tl.text(), wrong) {
			t.Error("the error or the trace shows the client secret")
		}
		t.Logf("%s refuses a wrong secret: %v", ct.name, err)
	})

	t.Run("no_secret_is_a_config_error", func(t *testing.T) {
		cfg := ct.config()
		cfg.ClientSecret, cfg.AuthMethod = auth.Secret{}, ""
		_, tl, err := ccLogin(ctx, t, cfg)
		if !errors.Is(err, auth.ErrInvalidConfig) {
			t.Fatalf("client credentials without a secret: %v, want ErrInvalidConfig", err)
		}
		if tl.count(auth.KindClientCredentialsRequest) > 0 {
			t.Error("a token request was sent without client authentication")
		}
	})
	testCLIClientCredentials(t, ct)
}

// TestClientCredentialsHydra: Ory Hydra v2.3.0 with a confidential client
// registered through the admin API (client_secret_basic, audience
// whitelisted); the admin introspection endpoint proves the token.
func TestClientCredentialsHydra(t *testing.T) {
	bin := harness.HydraBin()
	requireBinary(t, "hydra", bin)
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	h, err := harness.StartHydra(ctx, bin)
	if err != nil {
		t.Fatalf("start hydra: %v", err)
	}
	t.Cleanup(h.Stop)
	const id, audience = "pkce-desk-e2e-service", "urn:pkce-desk:api"
	secret := randomString(t)
	reg := map[string]any{
		"client_id": id, "client_secret": secret, "token_endpoint_auth_method": "client_secret_basic",
		"grant_types": []string{"client_credentials"}, "response_types": []string{"token"},
		"scope": "api:read api:write", "audience": []string{audience},
	}
	if err := harness.DoJSON(ctx, http.MethodPost, h.AdminURL+"/admin/clients", reg, nil); err != nil {
		t.Fatalf("register the Hydra service client: %v", err)
	}
	testClientCredentials(t, &ccTarget{
		name: "hydra", issuer: h.Issuer, clientID: id, secret: secret,
		scopes: []string{"api:read"}, params: []auth.Param{{Key: "audience", Value: audience}},
		tokenValid: func(ctx context.Context, t *testing.T, at string) string {
			t.Helper()
			ir, err := introspect(ctx, h.AdminURL+"/admin/oauth2/introspect", "", "", at)
			if err != nil {
				t.Fatal(err)
			}
			if ir["active"] != true || ir["client_id"] != id || !audienceHas(ir["aud"], audience) || !scopeHas(ir["scope"], "api:read") {
				t.Fatalf("Hydra's introspection of the token: %v", ir)
			}
			return fmt.Sprintf("introspection: active, client_id %v, aud %v, scope %v", ir["client_id"], ir["aud"], ir["scope"])
		},
		logs: h.Logs,
	})
}

// TestClientCredentialsNodeOIDC: node-oidc-provider's clientCredentials
// feature with an RFC 8707 resource indicator; its introspection proves
// the token and its audience.
func TestClientCredentialsNodeOIDC(t *testing.T) {
	requireNodeOIDC(t)
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	op := startNodeOIDC(ctx, t, harness.NodeOIDCOptions{})
	md := discoverGrants(ctx, t, op.Issuer)
	testClientCredentials(t, &ccTarget{
		name: "nodeoidc", issuer: op.Issuer, clientID: op.ServiceClientID, secret: op.ServiceClientSecret,
		scopes: []string{"api:read"}, params: []auth.Param{{Key: "resource", Value: op.Resource}},
		tokenValid: func(ctx context.Context, t *testing.T, at string) string {
			t.Helper()
			ir, err := introspect(ctx, md.Introspection, op.ServiceClientID, op.ServiceClientSecret, at)
			if err != nil {
				t.Fatal(err)
			}
			if ir["active"] != true || ir["client_id"] != op.ServiceClientID || !audienceHas(ir["aud"], op.Resource) || !scopeHas(ir["scope"], "api:read") {
				t.Fatalf("introspection of the token: %v", ir)
			}
			return fmt.Sprintf("introspection: active, client_id %v, aud %v, scope %v", ir["client_id"], ir["aud"], ir["scope"])
		},
		logs: op.Logs,
	})
}

// TestClientCredentialsZitadel: zitadel/oidc's op with the example
// storage's service user sid1. The example offers no introspection a
// service user may call and no userinfo for it, so the proof is what its
// userinfo endpoint tells apart: 403 for a token it issued whose subject is
// no person, 401 "access token invalid" for one it did not issue.
func TestClientCredentialsZitadel(t *testing.T) {
	ctx, op := startZitadelForGrants(t)
	md := discoverGrants(ctx, t, op.Issuer)
	status := func(ctx context.Context, t *testing.T, at string) int {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, md.UserInfo, nil)
		req.Header.Set("Authorization", "Bearer "+at)
		resp, err := harness.HTTPClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	testClientCredentials(t, &ccTarget{
		name: "zitadel", issuer: op.Issuer, clientID: op.ServiceClientID, secret: op.ServiceClientSecret,
		scopes: []string{"profile"},
		tokenValid: func(ctx context.Context, t *testing.T, at string) string {
			t.Helper()
			if got := status(ctx, t, at); got != http.StatusForbidden {
				t.Fatalf("userinfo with the client-credentials token: HTTP %d, want 403 (token accepted, no person behind it)", got)
			}
			// One character changed (to one it is not: a token with an
			// "x" there was once sent unchanged as its own "tampered" copy).
			mid, repl := len(at)/2, "x"
			if at[mid] == 'x' {
				repl = "y"
			}
			if got := status(ctx, t, at[:mid]+repl+at[mid+1:]); got != http.StatusUnauthorized {
				t.Fatalf("userinfo with a tampered token: HTTP %d, want 401: the 403 above proves nothing", got)
			}
			return "userinfo: 403 for the token (no person behind sid1), 401 for a tampered copy"
		},
		logs: op.Logs,
	})
}

// TestClientCredentialsDemo: the demo provider's service client; the demo
// API's /me accepts the token for that client.
func TestClientCredentialsDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	srv := startDemo(ctx, t, demo.Options{})
	id, secret := srv.ServiceClient()
	testClientCredentials(t, &ccTarget{
		name: "demo", issuer: srv.Issuer(), clientID: id, secret: secret,
		tokenValid: func(ctx context.Context, t *testing.T, at string) string {
			t.Helper()
			me, err := demoMe(ctx, srv, at)
			if err != nil {
				t.Fatalf("the demo API refuses the client-credentials token: %v", err)
			}
			if me.ClientID != id {
				t.Fatalf("the demo API says the token is client %q's, want %q", me.ClientID, id)
			}
			return fmt.Sprintf("demo API /me: client %s, sub %s, scope %q", me.ClientID, me.Subject, me.Scope)
		},
		logs: func() string { return "(the demo provider runs in the test process)" },
	})
}
