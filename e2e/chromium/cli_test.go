package chromium

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// loginResult is `pkce-desk login --json`'s output.
type loginResult struct {
	AccessToken   string         `json:"access_token"`
	TokenType     string         `json:"token_type"`
	Expiry        string         `json:"expiry"`
	RefreshToken  string         `json:"refresh_token"`
	Scope         string         `json:"scope"`
	IDToken       string         `json:"id_token"`
	IDTokenClaims map[string]any `json:"id_token_claims"`
}

// startDemoProvider runs `pkce-desk demo-provider --json` (stopped with
// SIGTERM when t ends, which it must survive with status 0) and checks it
// prints what its usage promises.
func startDemoProvider(t *testing.T, bin string) *harness.ExternalProvider {
	t.Helper()
	info := harness.StartExternalProvider(t, bin)
	if info.ClientID != "pkce-desk-demo" || info.APIBase != info.Issuer+"/api" {
		t.Fatalf("demo-provider --json = %+v; want client pkce-desk-demo and <issuer>/api", *info)
	}
	return info
}

// TestCLILoginThroughChromium runs the binaries as a person would:
// `pkce-desk demo-provider --json`, then `pkce-desk login --json` with
// $BROWSER set to the stand-in, which hands the URL to Chromium. The printed
// access token must work at the demo API and the ID-token claims must be
// the signed-in user's.
func TestCLILoginThroughChromium(t *testing.T) {
	bin := harness.PlainBinary(t)
	info := startDemoProvider(t, bin)
	sb, opener := systemBrowser(t, harness.SystemBrowserOptions{User: "alice"})

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "login", "--issuer", info.Issuer, "--client-id", info.ClientID,
		"--scope", "openid profile email offline_access", "--timeout", "90s", "--json")
	cmd.Env = harness.SetEnv(os.Environ(), append(opener.Env(), "BROWSER="+filepath.Join(opener.BinDir, "xdg-open"))...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second
	runErr := make(chan error, 1)
	go func() { runErr <- cmd.Run() }()

	nextVisit(t, sb, "alice", "allow", "pkce-desk login")
	select {
	case err := <-runErr:
		if err != nil {
			t.Fatalf("pkce-desk login failed: %v\nstderr:\n%s", err, stderr.String())
		}
	case <-ctx.Done():
		t.Fatalf("pkce-desk login did not finish after the browser reached the callback\nstderr:\n%s", stderr.String())
	}

	var res loginResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		t.Fatalf("login --json printed %q: %v", stdout.String(), err)
	}
	if res.AccessToken == "" || res.IDToken == "" || res.RefreshToken == "" || !strings.EqualFold(res.TokenType, "Bearer") {
		t.Fatalf("login --json: access %t, id %t, refresh %t, type %q; want all three, Bearer",
			res.AccessToken != "", res.IDToken != "", res.RefreshToken != "", res.TokenType)
	}
	if _, err := time.Parse(time.RFC3339, res.Expiry); err != nil {
		t.Errorf("expiry %q is not RFC 3339: %v", res.Expiry, err)
	}
	c := res.IDTokenClaims
	if c["iss"] != info.Issuer || c["sub"] != "demo-user-alice" || c["name"] != "Alice Anders" || c["preferred_username"] != "alice" {
		t.Errorf("id_token_claims iss=%v sub=%v name=%v preferred_username=%v; want %s, demo-user-alice, Alice Anders, alice",
			c["iss"], c["sub"], c["name"], c["preferred_username"], info.Issuer)
	}
	if !audienceHas(c["aud"], info.ClientID) {
		t.Errorf("id_token_claims aud = %v, want it to hold %s", c["aud"], info.ClientID)
	}
	if n, _ := c["nonce"].(string); n == "" {
		t.Errorf("id_token_claims has no nonce")
	}

	r := callAPI(t, http.MethodGet, info.APIBase+"/me", res.AccessToken)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /api/me with the printed access token = %d %s, want 200", r.Status, r.Body)
	}
	if m := decodeMe(t, r); m.Subject != "demo-user-alice" || !strings.Contains(m.Scope, "offline_access") {
		t.Errorf("GET /api/me = %+v, want alice with the requested scopes", m)
	}

	// Progress and the URL go to stderr; tokens never do (SECURITY 33).
	for name, secret := range map[string]string{"access token": res.AccessToken, "ID token": res.IDToken, "refresh token": res.RefreshToken} {
		if strings.Contains(stderr.String(), secret) {
			t.Errorf("the %s appears on stderr", name)
		}
	}
	if !strings.Contains(stderr.String(), info.Issuer+"/authorize?") {
		t.Errorf("stderr does not show the authorization URL for opening by hand:\n%s", stderr.String())
	}
}

// audienceHas reports whether an aud claim (string or array) holds id.
func audienceHas(aud any, id string) bool {
	switch a := aud.(type) {
	case string:
		return a == id
	case []any:
		for _, v := range a {
			if v == id {
				return true
			}
		}
	}
	return false
}
