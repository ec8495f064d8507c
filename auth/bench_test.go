package auth_test

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"pkcedesk/auth"
	"pkcedesk/internal/browserbot"
)

// BenchmarkSignIn is one whole sign-in (listener, PKCE, browser round trip
// through the demo provider's login and consent, exchange, every ID-token
// check) with discovery and JWKS cached as in the app.
func BenchmarkSignIn(b *testing.B) {
	srv := startDemo(b, 0)
	cfg := demoConfig(srv)
	ctx := context.Background()
	for b.Loop() {
		bot := browserbot.New(browserbot.Options{User: "alice"})
		if _, err := auth.Login(ctx, cfg, auth.LoginOptions{Open: bot.Open}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSignInBaselineOAuth2 is the bare x/oauth2 flow against the same
// provider and browser: a loopback listener, AuthCodeURL with an S256
// challenge, the same browser, Exchange with the verifier — no checks.
func BenchmarkSignInBaselineOAuth2(b *testing.B) {
	srv := startDemo(b, 0)
	meta, err := auth.Discover(context.Background(), srv.Issuer(), nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for b.Loop() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			b.Fatal(err)
		}
		codes := make(chan string, 1)
		hs := &http.Server{ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/callback" {
				select {
				case codes <- r.URL.Query().Get("code"):
				default:
				}
			}
		})}
		go func() { _ = hs.Serve(ln) }()
		conf := &oauth2.Config{ClientID: srv.ClientID(), Scopes: []string{"openid", "profile", "email", "offline_access"},
			RedirectURL: "http://" + ln.Addr().String() + "/callback",
			Endpoint:    oauth2.Endpoint{AuthURL: meta.AuthorizationEndpoint, TokenURL: meta.TokenEndpoint, AuthStyle: oauth2.AuthStyleInParams}}
		verifier := oauth2.GenerateVerifier()
		bot := browserbot.New(browserbot.Options{User: "alice"})
		if err := bot.Open(ctx, conf.AuthCodeURL("state", oauth2.S256ChallengeOption(verifier))); err != nil {
			b.Fatal(err)
		}
		code := <-codes
		if _, err := conf.Exchange(ctx, code, oauth2.VerifierOption(verifier)); err != nil {
			b.Fatal(err)
		}
		_ = hs.Close()
	}
}
