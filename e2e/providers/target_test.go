package providers

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// target is one running provider as the shared subtests see it.
type target struct {
	name     string
	issuer   string
	clientID string
	scopes   []string
	// fields fill the provider's login form (nil when login needs no form).
	fields map[string]string
	// introspectionForPublic says what a public client gets from
	// introspection: "absent" (no introspection_endpoint in discovery) or
	// "refused" (the endpoint exists but needs client authentication).
	introspectionForPublic string
	// introspectionOverride is an introspection endpoint the profile can
	// set by hand that lets this client introspect ("" when there is none).
	introspectionOverride string
	// userinfoEmail is the email userinfo must return ("" skips the check).
	userinfoEmail string
	// reuseRevokesChain: presenting a rotated-out refresh token also
	// revokes the current one (refresh-token reuse detection).
	reuseRevokesChain bool
	// loggedOut checks the page the browser ends on after the RP-initiated
	// logout URL and says why it does not prove the provider accepted it.
	loggedOut func(p *harness.Page) error
	// logs returns the provider's output for failure messages.
	logs func() string
}

// suiteTimeout bounds everything one provider's suite does.
const suiteTimeout = 4 * time.Minute

// timing prints a line run.sh collects into its summary.
func timing(provider, phase string, d time.Duration) {
	fmt.Fprintf(os.Stderr, "PROVIDER-TIMING %s %s %.2fs\n", provider, phase, d.Seconds())
}

// requireBinary skips (or, under run.sh, fails) when a built tool is missing.
func requireBinary(t *testing.T, what, path string) {
	t.Helper()
	if path == "" {
		if harness.ProvidersRequired() {
			t.Fatalf("%s: no path given", what)
		}
		t.Skipf("%s: no path given; run e2e/providers/run.sh", what)
	}
	if _, err := os.Stat(path); err != nil {
		if harness.ProvidersRequired() {
			t.Fatalf("%s %s: %v", what, path, err)
		}
		t.Skipf("%s %s missing (%v); run e2e/providers/run.sh", what, path, err)
	}
}

// metadata is the part of the discovery document the raw tests use.
type metadata struct {
	Issuer        string `json:"issuer"`
	Authorization string `json:"authorization_endpoint"`
	Token         string `json:"token_endpoint"`
	UserInfo      string `json:"userinfo_endpoint"`
	Revocation    string `json:"revocation_endpoint"`
	Introspection string `json:"introspection_endpoint"`
	EndSession    string `json:"end_session_endpoint"`
	JWKS          string `json:"jwks_uri"`
}

// discover fetches issuer's OpenID Provider metadata (OIDC Discovery §4).
func discover(ctx context.Context, t *testing.T, issuer string) metadata {
	t.Helper()
	var m metadata
	u := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	if err := harness.DoJSON(ctx, http.MethodGet, u, nil, &m); err != nil {
		t.Fatalf("discovery: %v", err)
	}
	if m.Issuer != issuer {
		t.Fatalf("discovery issuer %q differs from %q", m.Issuer, issuer)
	}
	return m
}
