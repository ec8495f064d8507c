package providers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"pkcedesk/e2e/harness"
)

// The CLI suite runs `pkce-desk login` as a person would in a terminal. Its
// $BROWSER is the harness's stand-in opener, which hands the authorization
// URL to the running test, whose stand-in browser signs in.

// cliTimeout bounds one pkce-desk run (its own --timeout is shorter).
const cliTimeout = 90 * time.Second

// visitTimeout bounds the wait for a browser visit that outlives the CLI.
const visitTimeout = 30 * time.Second

type visit struct {
	url  string
	page *harness.Page
	err  error
}

// cliRun is the outcome of one pkce-desk run.
type cliRun struct {
	stdout, stderr string
	exit           int
}

// runCLI runs pkce-desk with args and $BROWSER pointing at a stand-in
// opener (harness.Opener) whose every URL is visited by a fresh
// FormBrowser filling fields. If interruptAfterVisit is set, it sends SIGINT
// once the browser's visit has ended (as a person gives up after reading the
// provider's error page). It returns the browser's visit, or nil if the CLI
// never opened one.
func runCLI(ctx context.Context, t *testing.T, fields map[string]string, interruptAfterVisit bool, args ...string) (cliRun, *visit) {
	t.Helper()
	bin := harness.PlainBinary(t)
	requireBinary(t, "pkce-desk", bin)
	visits := make(chan visit, 4)
	var opens atomic.Int64
	opener := harness.NewOpener(t, func(u string) {
		opens.Add(1)
		go func() {
			page, err := harness.NewFormBrowser(fields).Visit(ctx, u)
			select {
			case visits <- visit{u, page, err}:
			default:
			}
		}()
	})
	ctx, cancel := context.WithTimeout(ctx, cliTimeout)
	defer cancel()
	cmd := exec.Command(bin, args...)
	cmd.Env = harness.SetEnv(harness.MinimalEnv(), append(opener.Env(), "BROWSER="+filepath.Join(opener.BinDir, "xdg-open"))...)
	stdout := &strings.Builder{}
	cmd.Stdout = &cappedWriter{w: stdout, room: harness.MaxBody}
	p, err := harness.StartProcess("pkce-desk", cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	var v *visit
	pending := visits
	for {
		select {
		case got := <-pending:
			v = &got
			pending = nil
			if interruptAfterVisit {
				_ = syscall.Kill(p.PID(), syscall.SIGINT)
			}
			continue
		case <-p.Exited():
		case <-ctx.Done():
			p.Stop()
			t.Fatalf("pkce-desk %s did not finish within %s; output:\n%s", strings.Join(args, " "), cliTimeout, p.Logs())
		}
		break
	}
	if v == nil && opens.Load() > 0 {
		// The CLI may exit a moment before the browser's visit returns.
		select {
		case got := <-visits:
			v = &got
		case <-time.After(visitTimeout):
			t.Fatalf("the browser visit did not finish")
		}
	}
	run := cliRun{stdout: stdout.String(), stderr: p.Logs()}
	var ee *exec.ExitError
	if err := p.ExitErr(); errors.As(err, &ee) {
		run.exit = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("pkce-desk: %v", err)
	}
	return run, v
}

// cappedWriter keeps the first room bytes written to it.
type cappedWriter struct {
	w    io.Writer
	room int
}

func (c *cappedWriter) Write(p []byte) (int, error) {
	if c.room > 0 {
		n := min(len(p), c.room)
		c.room -= n
		if _, err := c.w.Write(p[:n]); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// jwtPattern matches a compact JWS (header.payload.signature, base64url).
var jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`)

// cliToken is the JSON `pkce-desk login --json` prints.
type cliToken struct {
	AccessToken   string         `json:"access_token"`
	TokenType     string         `json:"token_type"`
	Expiry        string         `json:"expiry"`
	RefreshToken  string         `json:"refresh_token"`
	Scope         string         `json:"scope"`
	IDToken       string         `json:"id_token"`
	IDTokenClaims map[string]any `json:"id_token_claims"`
}

func testCLI(t *testing.T, tg *target) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	requireBinary(t, "pkce-desk", harness.PlainBinary(t))
	base := []string{"login", "--issuer", tg.issuer, "--client-id", tg.clientID,
		"--scope", strings.Join(tg.scopes, " "), "--redirect-port", "0", "--timeout", "60s"}

	t.Run("login_json", func(t *testing.T) {
		run, v := runCLI(ctx, t, tg.fields, false, append(base, "--json")...)
		if run.exit != 0 {
			t.Fatalf("pkce-desk login exited %d; stderr:\n%s\nbrowser: %v", run.exit, run.stderr, visitErr(v))
		}
		if v == nil || v.err != nil {
			t.Fatalf("the browser stand-in was not used or failed: %v", visitErr(v))
		}
		var tok cliToken
		if err := json.Unmarshal([]byte(run.stdout), &tok); err != nil {
			t.Fatalf("--json output is not one JSON object: %v\n%.300s", err, run.stdout)
		}
		if tok.AccessToken == "" || tok.RefreshToken == "" || tok.IDToken == "" || tok.TokenType != "Bearer" {
			t.Fatalf("--json lacks tokens: access %t refresh %t id %t type %q", tok.AccessToken != "", tok.RefreshToken != "", tok.IDToken != "", tok.TokenType)
		}
		if !jwtPattern.MatchString(tok.IDToken) {
			t.Error("jwtPattern does not match this provider's ID token, so the leak check in login_summary_masks_tokens is blind")
		}
		if tok.Expiry == "" {
			t.Error("--json has no expiry")
		}
		if tok.IDTokenClaims["iss"] != tg.issuer || !audienceHas(tok.IDTokenClaims["aud"], tg.clientID) {
			t.Errorf("id_token_claims iss %v aud %v", tok.IDTokenClaims["iss"], tok.IDTokenClaims["aud"])
		}
		// The redirect the CLI used is a 127.0.0.1 ephemeral port.
		if ru := redirectOf(t, v.url); !strings.HasPrefix(ru, "http://127.0.0.1:") || strings.HasPrefix(ru, "http://127.0.0.1:0/") {
			t.Errorf("CLI redirect_uri %s is not 127.0.0.1 with an ephemeral port", ru)
		}
		// Tokens go to stdout only with --json, never to stderr (logs).
		for name, v := range map[string]string{"access": tok.AccessToken, "refresh": tok.RefreshToken, "id": tok.IDToken} {
			if strings.Contains(run.stderr, v) {
				t.Errorf("the %s token appears on stderr", name)
			}
		}

		// The tokens are real: userinfo answers for the ID token's subject,
		// and the refresh token rotates at the provider.
		md := discover(ctx, t, tg.issuer)
		var info map[string]any
		if err := getBearerJSON(ctx, md.UserInfo, tok.AccessToken, &info); err != nil {
			t.Fatalf("userinfo with the CLI's access token: %v", err)
		}
		if info["sub"] != tok.IDTokenClaims["sub"] {
			t.Errorf("userinfo sub %v, ID token sub %v", info["sub"], tok.IDTokenClaims["sub"])
		}
		rctx := context.WithValue(ctx, oauth2.HTTPClient, rawHTTP)
		cfg := rawConfig(md, tg, "")
		next, err := cfg.TokenSource(rctx, &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
		if err != nil {
			t.Fatalf("refresh with the CLI's refresh token: %v", err)
		}
		if next.RefreshToken == "" || next.RefreshToken == tok.RefreshToken {
			t.Error("the provider did not rotate the CLI's refresh token")
		}
	})

	t.Run("login_summary_masks_tokens", func(t *testing.T) {
		run, v := runCLI(ctx, t, tg.fields, false, base...)
		if run.exit != 0 {
			t.Fatalf("pkce-desk login exited %d; stderr:\n%s\nbrowser: %v", run.exit, run.stderr, visitErr(v))
		}
		if !strings.Contains(run.stdout, "Signed in") {
			t.Fatalf("no sign-in summary on stdout:\n%s", run.stdout)
		}
		// Without --json no token may be printed: both providers issue a JWT
		// ID token, so any JWT on either stream is a leak.
		for name, out := range map[string]string{"stdout": run.stdout, "stderr": run.stderr} {
			if jwtPattern.MatchString(out) {
				t.Errorf("a JWT appears on %s without --json", name)
			}
		}
	})

	t.Run("login_ipv6", func(t *testing.T) {
		run, v := runCLI(ctx, t, tg.fields, false, append(base, "--redirect-host", "::1", "--json")...)
		if run.exit != 0 {
			t.Fatalf("pkce-desk login --redirect-host ::1 exited %d; stderr:\n%s\nbrowser: %v", run.exit, run.stderr, visitErr(v))
		}
		if v == nil || v.err != nil {
			t.Fatalf("the browser stand-in was not used or failed: %v", visitErr(v))
		}
		if ru := redirectOf(t, v.url); !strings.HasPrefix(ru, "http://[::1]:") {
			t.Errorf("redirect_uri %s", ru)
		}
	})
}

// testCLILocalhostRejected: Hydra refuses the localhost redirect in the
// browser; the CLI gets no callback and is interrupted by the user.
func testCLILocalhostRejected(t *testing.T, tg *target) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	requireBinary(t, "pkce-desk", harness.PlainBinary(t))
	run, v := runCLI(ctx, t, tg.fields, true, "login", "--issuer", tg.issuer, "--client-id", tg.clientID,
		"--scope", strings.Join(tg.scopes, " "), "--redirect-host", "localhost", "--timeout", "60s")
	if v == nil {
		t.Fatalf("the CLI never opened the browser (exit %d); stderr:\n%s", run.exit, run.stderr)
	}
	if run.exit == 0 {
		t.Fatalf("pkce-desk login succeeded with a redirect Hydra rejects; stdout %.200s", run.stdout)
	}
	var pe *harness.PageError
	if !errors.As(v.err, &pe) || !strings.Contains(pe.Page.Text(), "redirect_uri") {
		if strings.Contains(run.stderr, "localhost") {
			// The CLI refused localhost before opening anything: also fine,
			// as long as it said so.
			t.Logf("CLI refused the localhost redirect itself: %s", run.stderr)
			return
		}
		t.Fatalf("want Hydra's redirect_uri error page in the browser; got %v", visitErr(v))
	}
	// Hydra shows the error only in the browser (RFC 6749 §4.1.2.1), so the
	// CLI's part is to have named the redirect URI it waited on, which is
	// what the person compares with the provider's page, and to exit with
	// its documented canceled status.
	if used := redirectOf(t, v.url); !strings.Contains(run.stderr, used) {
		t.Errorf("stderr never names the redirect URI %s the provider rejected:\n%s", used, run.stderr)
	}
	if run.exit != 130 {
		t.Errorf("exit status %d after Ctrl-C, want 130 (documented for canceled)", run.exit)
	}
	t.Logf("pkce-desk exit %d, stderr: %s", run.exit, strings.TrimSpace(run.stderr))
}

func visitErr(v *visit) error {
	if v == nil {
		return errors.New("no visit")
	}
	return v.err
}

// redirectOf is the redirect_uri parameter of an authorization URL.
func redirectOf(t *testing.T, authURL string) string {
	t.Helper()
	i := strings.IndexByte(authURL, '?')
	if i < 0 {
		t.Fatalf("authorization URL without a query")
	}
	q, err := url.ParseQuery(authURL[i+1:])
	if err != nil {
		t.Fatal(err)
	}
	return q.Get("redirect_uri")
}

// getBearerJSON GETs u with a bearer token and decodes the JSON answer.
func getBearerJSON(ctx context.Context, u, token string, out any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := harness.HTTPClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := harness.ReadCapped(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %s", resp.StatusCode, harness.OneLine(string(b)))
	}
	return json.Unmarshal(b, out)
}
