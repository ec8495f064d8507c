package providers

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// TestHydra runs the provider suite against Ory Hydra v2.3.0.
func TestHydra(t *testing.T) {
	bin := HydraBin()
	requireBinary(t, "hydra", bin)
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()

	start := time.Now()
	h, err := StartHydra(ctx, bin)
	if err != nil {
		t.Fatalf("start hydra: %v", err)
	}
	t.Cleanup(h.Stop)
	clientID, err := h.CreatePublicClient(ctx)
	if err != nil {
		t.Fatalf("%v\nhydra output:\n%s", err, h.Logs())
	}
	timing("hydra", "setup", time.Since(start))

	tg := &target{
		name:                   "hydra",
		issuer:                 h.Issuer,
		clientID:               clientID,
		scopes:                 []string{"openid", "offline_access", "profile", "email"},
		introspectionForPublic: "absent",
		logs:                   h.Logs,
		loggedOut: func(t *testing.T, p *Page) {
			t.Helper()
			if !strings.HasPrefix(p.URL.String(), h.App.URL+"/logged-out") {
				t.Fatalf("logout ended at %s, not the post-logout page; hydra errors: %v", p.URL, h.App.Errors())
			}
			if _, _, logouts, _ := h.App.Counts(); logouts == 0 {
				t.Fatalf("hydra never asked the logout app to accept a logout")
			}
		},
	}
	suite := time.Now()
	t.Run("raw", func(t *testing.T) { testRawFlow(t, tg) })
	t.Run("raw_localhost_redirect_rejected", func(t *testing.T) { testHydraRejectsLocalhost(ctx, t, h, tg) })
	timing("hydra", "suite", time.Since(suite))
}

// testHydraRejectsLocalhost checks the harness premise for the engine's
// negative test: Hydra refuses http://localhost:PORT/callback for a client
// registered with 127.0.0.1 and [::1] (RFC 8252 §8.3) and reports it on its
// error page, never redirecting to the unregistered URI.
func testHydraRejectsLocalhost(ctx context.Context, t *testing.T, h *Hydra, tg *target) {
	m := discover(ctx, t, tg.issuer)
	cfg := rawConfig(m, tg, loopbackRedirect(t, "localhost"))
	b := NewBrowser(nil)
	b.StopAt = func(u *url.URL) bool { return u.Hostname() == "localhost" }
	before := len(h.App.Errors())
	page, err := b.Visit(ctx, cfg.AuthCodeURL(randomString(t), oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	var pe *PageError
	if !errors.As(err, &pe) {
		t.Fatalf("want Hydra's error page, got page %+v, err %v", page, err)
	}
	errs := h.App.Errors()
	if len(errs) <= before || !strings.Contains(errs[len(errs)-1], "redirect_uri") {
		t.Fatalf("hydra's error page did not name the redirect_uri problem: %v", errs)
	}
	t.Logf("hydra says: %s", errs[len(errs)-1])
}
