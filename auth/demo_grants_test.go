package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"pkcedesk/auth"
	"pkcedesk/demo"
	"pkcedesk/internal/browserbot"
)

// The device grant against the demo provider (zitadel/oidc op): the
// stand-in browser opens verification_uri_complete, signs in and allows;
// the app's polling (1 s interval here) gets tokens whose ID token passes
// every check.
func TestDemoDeviceGrant(t *testing.T) {
	srv, err := demo.Start(context.Background(), demo.Options{DevicePollInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	cfg := demoConfig(srv)
	cfg.Grant = auth.GrantDevice
	cfg.Scopes = []string{"openid", "profile"}
	bot := browserbot.New(browserbot.Options{User: "alice"})
	botDone := make(chan error, 1)
	var code auth.DeviceCode
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := auth.Login(ctx, cfg, auth.LoginOptions{OnDeviceCode: func(dc auth.DeviceCode) {
		code = dc
		go func() { botDone <- bot.Open(ctx, dc.VerificationURIComplete) }()
	}})
	if err != nil {
		t.Fatalf("device sign-in: %v (browser: %v)", err, <-botDone)
	}
	if code.UserCode == "" || code.Interval != time.Second || s.Grant() != auth.GrantDevice || s.Subject() == "" {
		t.Errorf("code %+v, grant %q, subject %q", code, s.Grant(), s.Subject())
	}
	for _, c := range s.Checks() {
		if !c.Passed {
			t.Errorf("check %s failed: %s", c.Name, c.Detail)
		}
	}
}

// Client credentials against the demo's service client, then a token
// exchange of a user's access token for another audience.
func TestDemoClientCredentialsAndTokenExchange(t *testing.T) {
	srv := startDemo(t, 0)
	id, secret := srv.ServiceClient()
	cfg := auth.Config{Issuer: srv.Issuer(), ClientID: id, ClientSecret: auth.NewSecret(secret),
		AuthMethod: auth.AuthClientSecretBasic, Grant: auth.GrantClientCredentials, Timeout: 10 * time.Second}
	ctx := context.Background()
	cc, err := auth.Login(ctx, cfg, auth.LoginOptions{})
	if err != nil {
		t.Fatalf("client credentials: %v", err)
	}
	if _, err := cc.Refresh(ctx); err != nil || cc.Token().AccessToken.IsZero() || !cc.Token().RefreshToken.IsZero() {
		t.Fatalf("renew: %v", err)
	}

	user := demoLogin(t, srv, "alice", auth.LoginOptions{})
	ex, err := user.ExchangeToken(ctx, auth.ExchangeRequest{Audience: []string{srv.APIBase()}}, auth.LoginOptions{})
	var pe *auth.ProviderError
	switch {
	case errors.As(err, &pe):
		t.Fatalf("the demo refused the exchange: %v", err)
	case err != nil:
		t.Fatal(err)
	}
	if ex.Grant() != auth.GrantTokenExchange || ex.IssuedTokenType() == "" || ex.Token().AccessToken.IsZero() {
		t.Errorf("exchanged: grant %q type %q", ex.Grant(), ex.IssuedTokenType())
	}
}
