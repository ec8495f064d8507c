package providers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"pkcedesk/e2e/harness"
)

// TestHydra runs the provider suite against Ory Hydra v2.3.0.
func TestHydra(t *testing.T) {
	bin := harness.HydraBin()
	requireBinary(t, "hydra", bin)
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()

	start := time.Now()
	h, clientID := startHydraWithClient(ctx, t, bin)
	timing("hydra", "setup", time.Since(start))

	tg := &target{
		name:                   "hydra",
		issuer:                 h.Issuer,
		clientID:               clientID,
		scopes:                 []string{"openid", "offline_access", "profile", "email"},
		introspectionForPublic: "absent",
		userinfoEmail:          "e2e-user@example.test",
		// Hydra's introspection is on the admin API (not in discovery; in
		// dev it needs no client authentication).
		introspectionOverride: h.AdminURL + "/admin/oauth2/introspect",
		reuseRevokesChain:     true,
		logs:                  h.Logs,
		loggedOut: func(p *harness.Page) error {
			// With remember=false Hydra keeps no login session, so after
			// checking id_token_hint it skips the logout UI and goes straight
			// to the post-logout URL; a hint it refuses lands on /error.
			if !strings.HasPrefix(p.URL.String(), h.App.URL+"/logged-out") {
				return fmt.Errorf("logout ended at %s, not the post-logout page; hydra errors: %v", harness.RedactURL(p.URL), h.App.Errors())
			}
			return nil
		},
	}
	suite := time.Now()
	t.Run("raw", func(t *testing.T) { testRawFlow(t, tg) })
	t.Run("raw_localhost_redirect_rejected", func(t *testing.T) { testHydraRejectsLocalhost(ctx, t, h, tg) })
	t.Run("engine", func(t *testing.T) { testEngine(t, tg) })
	t.Run("engine_localhost_redirect_rejected", func(t *testing.T) { testEngineLocalhost(t, tg, false, h.App.Errors) })
	t.Run("cli", func(t *testing.T) { testCLI(t, tg) })
	t.Run("cli_localhost_redirect_rejected", func(t *testing.T) { testCLILocalhostRejected(t, tg) })
	timing("hydra", "suite", time.Since(suite))
}

// testHydraRejectsLocalhost checks the harness premise for the engine's
// negative test: Hydra refuses http://localhost:PORT/callback for a client
// registered with 127.0.0.1 and [::1] (RFC 8252 §8.3) and reports it on its
// error page, never redirecting to the unregistered URI.
func testHydraRejectsLocalhost(ctx context.Context, t *testing.T, h *harness.Hydra, tg *target) {
	m := discover(ctx, t, tg.issuer)
	cfg := rawConfig(m, tg, loopbackRedirect(t, "localhost"))
	b := harness.NewFormBrowser(nil)
	b.StopAt = func(u *url.URL) bool { return u.Hostname() == "localhost" }
	before := len(h.App.Errors())
	page, err := b.Visit(ctx, cfg.AuthCodeURL(randomString(t), oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	var pe *harness.PageError
	if !errors.As(err, &pe) {
		t.Fatalf("want Hydra's error page, got page %+v, err %v", page, err)
	}
	errs := h.App.Errors()
	if len(errs) <= before || !strings.Contains(errs[len(errs)-1], "redirect_uri") {
		t.Fatalf("hydra's error page did not name the redirect_uri problem: %v", errs)
	}
	t.Logf("hydra says: %s", errs[len(errs)-1])
}

// startHydraWithClient starts Hydra from bin, stopped when t ends, and
// registers a public client with loopback redirects; it fails t otherwise.
func startHydraWithClient(ctx context.Context, t *testing.T, bin string) (*harness.Hydra, string) {
	t.Helper()
	h, err := harness.StartHydra(ctx, bin)
	if err != nil {
		t.Fatalf("start hydra: %v", err)
	}
	t.Cleanup(h.Stop)
	clientID, err := h.CreatePublicClient(ctx)
	if err != nil {
		t.Fatalf("%v\nhydra output:\n%s", err, h.Logs())
	}
	return h, clientID
}
