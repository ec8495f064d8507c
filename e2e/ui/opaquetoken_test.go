package ui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// TestOpaqueAccessTokenTimeLeft signs in to a provider whose access token is
// opaque (no iat/exp inside, only expires_in 300 in the token response) and
// checks the Tokens tab tells the time left truthfully: the countdown near
// 5:00 and the bar near full, not "almost expired". Screenshot:
// ui-opaque-tokens.png.
func TestOpaqueAccessTokenTimeLeft(t *testing.T) {
	op := newHostileOP(t, "opaque-client", map[string]any{"name": "Olga Opaque"})
	sb := harness.NewSystemBrowser(harness.SystemBrowserOptions{})
	env := harness.Start(t, harness.Options{OnOpenURL: sb.Open})
	sb.Attach(t, env.Browser)
	p := appPage{t: t, env: env}
	p.load()

	id := p.saveProfile("Opaque tokens", op.Issuer(), "opaque-client", "")
	p.selectProfile(id)
	p.click(testid("signin-button"))
	nextVisit(t, sb, 60*time.Second)
	p.waitStatus("signed_in", 30*time.Second)
	if got := p.text(testid("status-text")); !strings.Contains(got, "Olga Opaque") {
		t.Errorf("status line %q, want it to name Olga Opaque", got)
	}

	p.click(testid("tab-tokens"))
	card := `[data-testid="token-card-access"]`
	p.waitJS("the access token card", `!!document.querySelector('[data-testid="token-card-access"] [role="progressbar"]')`, step)
	if got := p.text(card + ` header`); !strings.Contains(strings.ToLower(got), "opaque") {
		t.Errorf("the access token card header reads %q, want it marked opaque", got)
	}
	countdown := p.text(testid("token-countdown"))
	if !strings.HasPrefix(countdown, "4:") && !strings.HasPrefix(countdown, "5:") {
		t.Errorf("a fresh 5-minute token shows %q left, want 4:xx", countdown)
	}
	p.screenshot("ui-opaque-tokens.png")
	pct, err := strconv.Atoi(p.eval(`document.querySelector('[data-testid="token-card-access"] [role="progressbar"]').getAttribute('aria-valuenow')`))
	if err != nil {
		t.Fatalf("the progress bar has no numeric aria-valuenow: %v", err)
	}
	if pct < 90 {
		t.Errorf("a fresh 5-minute opaque access token (%s left) fills %d%% of its time-left bar, shown as nearly spent; "+
			"want ≥ 90%%: the bar must measure against the token's real lifetime (expires_in), not a guessed hour "+
			"(where to look: desk/sessionview.go sets accessToken.issuedAt; TokensTab.svelte falls back to one hour without it)",
			countdown, pct)
	}
}
