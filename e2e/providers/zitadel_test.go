package providers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// TestZitadel runs the provider suite against zitadel/oidc's example OP.
func TestZitadel(t *testing.T) {
	bin := harness.ZitadelOPBin()
	requireBinary(t, "zitadelop", bin)
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()

	start := time.Now()
	op, err := harness.StartZitadelOP(ctx, bin, "http://127.0.0.1/callback,http://[::1]/callback")
	if err != nil {
		t.Fatalf("start zitadelop: %v", err)
	}
	t.Cleanup(op.Stop)
	timing("zitadel", "setup", time.Since(start))

	tg := &target{
		name:                   "zitadel",
		issuer:                 op.Issuer,
		clientID:               op.ClientID,
		scopes:                 []string{"openid", "offline_access", "profile", "email"},
		fields:                 op.LoginFields(),
		introspectionForPublic: "refused",
		userinfoEmail:          "test-user@zitadel.ch",
		logs:                   op.Logs,
		loggedOut: func(p *harness.Page) error {
			if p.URL.Path != "/logged-out" || !strings.Contains(p.Text(), "signed out successfully") {
				return fmt.Errorf("logout ended at %s (%q), not the OP's signed-out page", harness.RedactURL(p.URL), p.Text())
			}
			return nil
		},
	}
	suite := time.Now()
	t.Run("raw", func(t *testing.T) { testRawFlow(t, tg) })
	t.Run("engine", func(t *testing.T) { testEngine(t, tg) })
	t.Run("engine_localhost_redirect_accepted", func(t *testing.T) { testEngineLocalhost(t, tg, true, nil) })
	t.Run("cli", func(t *testing.T) { testCLI(t, tg) })
	timing("zitadel", "suite", time.Since(suite))
}
