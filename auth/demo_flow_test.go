package auth_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"pkcedesk/auth"
	"pkcedesk/demo"
	"pkcedesk/internal/browserbot"
)

// startDemo runs the embedded demo provider (zitadel/oidc op) on 127.0.0.1.
func startDemo(t testing.TB, lifetime time.Duration) *demo.Server {
	t.Helper()
	srv, err := demo.Start(context.Background(), demo.Options{AccessTokenLifetime: lifetime})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func demoConfig(srv *demo.Server) auth.Config {
	return auth.Config{Issuer: srv.Issuer(), ClientID: srv.ClientID(),
		Scopes: []string{"openid", "profile", "email", "offline_access"}, Timeout: 30 * time.Second}
}

func demoLogin(t testing.TB, srv *demo.Server, user string, opts auth.LoginOptions) *auth.Session {
	t.Helper()
	bot := browserbot.New(browserbot.Options{User: user})
	opts.Open = bot.Opener()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := auth.Login(ctx, demoConfig(srv), opts)
	if err != nil {
		t.Fatalf("sign-in as %s: %v", user, err)
	}
	if err := bot.Wait(ctx); err != nil {
		t.Fatalf("browser: %v", err)
	}
	return s
}

func TestDemoFullFlow(t *testing.T) {
	srv := startDemo(t, 0)
	var mu sync.Mutex
	var persisted []string
	s := demoLogin(t, srv, "alice", auth.LoginOptions{OnToken: func(ts auth.TokenSet) {
		mu.Lock()
		persisted = append(persisted, ts.RefreshToken.Reveal())
		mu.Unlock()
	}})
	ctx := context.Background()

	// Every ID-token check ran and passed.
	names := map[string]bool{}
	for _, c := range s.Checks() {
		if !c.Passed {
			t.Errorf("check %s failed: %s", c.Name, c.Detail)
		}
		names[c.Name] = true
	}
	for _, n := range []string{"signature algorithm", "signature", "issuer", "audience", "expiry", "subject", "issued at", "nonce"} {
		if !names[n] {
			t.Errorf("check %q did not run", n)
		}
	}
	sub := s.Subject()
	if sub == "" || s.IDTokenClaims()["sub"] != sub {
		t.Fatalf("subject %q, claims %v", sub, s.IDTokenClaims())
	}

	// userinfo agrees with the ID token.
	ui, err := s.UserInfo(ctx)
	if err != nil || ui["sub"] != sub {
		t.Fatalf("userinfo %v %v", ui, err)
	}

	// refresh with rotation: the new refresh token replaces the old and is announced.
	first := s.Token()
	second, err := s.Refresh(ctx)
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if second.AccessToken.Reveal() == first.AccessToken.Reveal() || second.RefreshToken.IsZero() {
		t.Error("refresh returned no new tokens")
	}
	mu.Lock()
	last := persisted[len(persisted)-1]
	mu.Unlock()
	if last != second.RefreshToken.Reveal() {
		t.Error("OnToken did not get the newest refresh token")
	}

	// introspection says the access token is active, then not after revocation.
	in, err := s.Introspect(ctx, auth.AccessToken)
	if err != nil || in["active"] != true {
		t.Fatalf("introspect: %v %v", in, err)
	}
	if err := s.Revoke(ctx, auth.AccessToken); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	in, err = s.Introspect(ctx, auth.AccessToken)
	if err != nil || in["active"] != false {
		t.Errorf("after revoke introspect: %v %v", in, err)
	}

	// logout URL per RP-Initiated Logout.
	lu, err := s.LogoutURL("")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(lu)
	if u.Query().Get("id_token_hint") != s.Token().IDToken.Reveal() || u.Query().Get("client_id") != srv.ClientID() {
		t.Errorf("logout URL %s", u.Redacted())
	}

	// sign out: refresh token revoked, session ended.
	if err := s.SignOut(ctx); err != nil {
		t.Fatalf("sign out: %v", err)
	}
	if _, err := auth.Restore(ctx, demoConfig(srv), second.RefreshToken, auth.LoginOptions{}); !errors.Is(err, auth.ErrSessionEnded) {
		t.Errorf("revoked refresh token still restores: %v", err)
	}
}

func TestDemoRestoreKeepsSignedIn(t *testing.T) {
	srv := startDemo(t, 0)
	s := demoLogin(t, srv, "alice", auth.LoginOptions{})
	r, err := auth.Restore(context.Background(), demoConfig(srv), s.Token().RefreshToken, auth.LoginOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Token().AccessToken.IsZero() {
		t.Fatal("no access token after restore")
	}
	if r.Subject() != "" && r.Subject() != s.Subject() {
		t.Errorf("restored subject %q, want %q", r.Subject(), s.Subject())
	}
	if r.Token().RefreshToken.Reveal() != s.Token().RefreshToken.Reveal() {
		// rotated: the old one is dead, and the app is told to forget it
		if _, err := auth.Restore(context.Background(), demoConfig(srv), s.Token().RefreshToken, auth.LoginOptions{}); !errors.Is(err, auth.ErrSessionEnded) {
			t.Errorf("rotated-away refresh token still works: %v", err)
		}
	}
}

func TestDemoTwoConcurrentSignInsDoNotCross(t *testing.T) {
	srv := startDemo(t, 0)
	users := []string{"alice", "bob"}
	subs := make([]string, 2)
	names := make([]any, 2)
	var wg sync.WaitGroup
	for i, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := demoLogin(t, srv, u, auth.LoginOptions{})
			subs[i] = s.Subject()
			ui, err := s.UserInfo(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			names[i] = ui["sub"]
		}()
	}
	wg.Wait()
	if subs[0] == "" || subs[0] == subs[1] || names[0] != subs[0] || names[1] != subs[1] {
		t.Errorf("sessions crossed: subs %v userinfo %v", subs, names)
	}
}

func TestDemoDenyIsAccessDenied(t *testing.T) {
	srv := startDemo(t, 0)
	bot := browserbot.New(browserbot.Options{Deny: true})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := auth.Login(ctx, demoConfig(srv), auth.LoginOptions{Open: bot.Opener()})
	var pe *auth.ProviderError
	if !errors.As(err, &pe) || pe.Code != "access_denied" {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "declined") {
		t.Errorf("message %q", err)
	}
}
