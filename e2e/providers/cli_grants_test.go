package providers

import (
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// `pkce-desk login --grant device|client-credentials` as a person (or a
// script) runs it, against the same providers and clients as the engine
// tests in device_test.go and clientcredentials_test.go.

// watchedWriter keeps what is written (up to MaxBody) and calls onMatch
// once with the first match of re in it.
type watchedWriter struct {
	re      *regexp.Regexp
	onMatch func(string)
	mu      sync.Mutex
	buf     strings.Builder
	matched bool
}

func (w *watchedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	if w.buf.Len() < harness.MaxBody {
		w.buf.Write(p)
	}
	var hit string
	if !w.matched && w.re != nil {
		if m := w.re.FindString(w.buf.String()); m != "" {
			w.matched, hit = true, m
		}
	}
	w.mu.Unlock()
	if hit != "" {
		w.onMatch(hit)
	}
	return len(p), nil
}

func (w *watchedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// cliGrantRun runs pkce-desk with args and extra environment; $BROWSER is
// a stand-in opener whose every URL goes to onOpen (nil: any open fails
// the test). onStderr is called once with the first match of stderrRe on
// stderr (as a person reads the code off the terminal).
func cliGrantRun(ctx context.Context, t *testing.T, env []string, onOpen func(string), stderrRe *regexp.Regexp, onStderr func(string), args ...string) cliRun {
	t.Helper()
	bin := harness.PlainBinary(t)
	requireBinary(t, "pkce-desk", bin)
	var opens atomic.Int64
	opener := harness.NewOpener(t, func(u string) {
		opens.Add(1)
		if onOpen == nil {
			t.Errorf("pkce-desk opened a browser at %s", harness.OneLine(u))
			return
		}
		onOpen(u)
	})
	ctx, cancel := context.WithTimeout(ctx, cliTimeout)
	defer cancel()
	cmd := exec.Command(bin, args...)
	cmd.Env = harness.SetEnv(harness.MinimalEnv(), append(append(opener.Env(), "BROWSER="+filepath.Join(opener.BinDir, "xdg-open")), env...)...)
	stdout := &strings.Builder{}
	cmd.Stdout = &cappedWriter{w: stdout, room: harness.MaxBody}
	stderr := &watchedWriter{re: stderrRe, onMatch: onStderr}
	cmd.Stderr = stderr
	p, err := harness.StartProcess("pkce-desk", cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	select {
	case <-p.Exited():
	case <-ctx.Done():
		p.Stop()
		t.Fatalf("pkce-desk %s did not finish within %s; stderr:\n%s", strings.Join(args, " "), cliTimeout, stderr.String())
	}
	run := cliRun{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	if err := p.ExitErr(); errors.As(err, &ee) {
		run.exit = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("pkce-desk: %v", err)
	}
	return run
}

// cliGrantToken is `--json` output with the grant.
type cliGrantToken struct {
	cliToken
	Grant string `json:"grant"`
}

// decodeCLIToken parses --json output, failing t unless it is one object.
func decodeCLIToken(t *testing.T, run cliRun) cliGrantToken {
	t.Helper()
	var tok cliGrantToken
	if err := json.Unmarshal([]byte(run.stdout), &tok); err != nil {
		t.Fatalf("--json output is not one JSON object: %v\n%.300s\nstderr:\n%s", err, run.stdout, run.stderr)
	}
	return tok
}

// deviceCLIArgs is the device sign-in of dt on the command line; a
// confidential client's secret goes in $PKCE_DESK_CLIENT_SECRET.
func deviceCLIArgs(dt *deviceTarget) (args, env []string) {
	args = []string{"login", "--grant", "device", "--issuer", dt.issuer, "--client-id", dt.clientID,
		"--scope", strings.Join(dt.scopes, " "), "--timeout", "60s", "--json"}
	if dt.secret != "" {
		args = append(args, "--auth-method", "basic")
		env = []string{"PKCE_DESK_CLIENT_SECRET=" + dt.secret}
	}
	return args, env
}

// testCLIDevice: --grant device with and without the browser.
func testCLIDevice(t *testing.T, dt *deviceTarget) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	issuerPrefix := strings.TrimSuffix(dt.issuer, "/")
	codeURL := regexp.MustCompile(regexp.QuoteMeta(issuerPrefix) + `/\S*user_code=\S+`)

	check := func(t *testing.T, run cliRun, verr error) {
		t.Helper()
		if verr != nil {
			t.Fatalf("verification in the stand-in browser: %v", verr)
		}
		if run.exit != 0 {
			t.Fatalf("pkce-desk login --grant device exited %d; stderr:\n%s", run.exit, run.stderr)
		}
		tok := decodeCLIToken(t, run)
		if tok.Grant != "device_code" || tok.AccessToken == "" || tok.TokenType == "" {
			t.Fatalf("--json: grant %q access token %t type %q", tok.Grant, tok.AccessToken != "", tok.TokenType)
		}
		if sub := dt.tokenValid(ctx, t, tok.AccessToken); sub != dt.subject {
			t.Errorf("the provider says the CLI's token is %q's, want %q", sub, dt.subject)
		}
		for name, v := range map[string]string{"access": tok.AccessToken, "refresh": tok.RefreshToken, "id": tok.IDToken} {
			if v != "" && strings.Contains(run.stderr, v) {
				t.Errorf("the %s token appears on stderr", name)
			}
		}
	}

	t.Run("cli_no_browser", func(t *testing.T) {
		var wg sync.WaitGroup
		var verr error
		args, env := deviceCLIArgs(dt)
		run := cliGrantRun(ctx, t, env, nil, codeURL, func(u string) {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, verr = dt.verify(ctx, u, "", true)
			}()
		}, append(args, "--no-browser")...)
		wg.Wait()
		if !codeURL.MatchString(run.stderr) {
			t.Fatalf("stderr shows no verification address with the code:\n%s", run.stderr)
		}
		check(t, run, verr)
	})

	t.Run("cli_browser", func(t *testing.T) {
		var wg sync.WaitGroup
		var verr error
		var opened atomic.Value
		args, env := deviceCLIArgs(dt)
		run := cliGrantRun(ctx, t, env, func(u string) {
			opened.Store(u)
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, verr = dt.verify(ctx, u, "", true)
			}()
		}, nil, nil, args...)
		wg.Wait()
		u, _ := opened.Load().(string)
		if !codeURL.MatchString(u) {
			t.Fatalf("$BROWSER was given %q, want the verification address with the code", u)
		}
		check(t, run, verr)
	})

	t.Run("cli_denied", func(t *testing.T) {
		args, env := deviceCLIArgs(dt)
		var wg sync.WaitGroup
		run := cliGrantRun(ctx, t, env, nil, codeURL, func(u string) {
			wg.Add(1)
			go func() { defer wg.Done(); _, _ = dt.verify(ctx, u, "", false) }()
		}, append(args, "--no-browser")...)
		wg.Wait()
		if run.exit != 1 || run.stdout != "" {
			t.Fatalf("denied: exit %d, stdout %q; want 1 and nothing", run.exit, run.stdout)
		}
		if !strings.Contains(run.stderr, "access_denied") && !strings.Contains(strings.ToLower(run.stderr), "denied") {
			t.Errorf("stderr does not say the sign-in was denied:\n%s", run.stderr)
		}
	})
}

// testCLIClientCredentials: --grant client-credentials with the secret in
// $PKCE_DESK_CLIENT_SECRET, and with a wrong one.
func testCLIClientCredentials(t *testing.T, ct *ccTarget) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := []string{"login", "--grant", "client-credentials", "--issuer", ct.issuer, "--client-id", ct.clientID,
		"--auth-method", "basic", "--json"}
	if len(ct.scopes) > 0 {
		args = append(args, "--scope", strings.Join(ct.scopes, " "))
	}
	for _, p := range ct.params {
		args = append(args, "--param", p.Key+"="+p.Value)
	}

	t.Run("cli", func(t *testing.T) {
		run := cliGrantRun(ctx, t, []string{"PKCE_DESK_CLIENT_SECRET=" + ct.secret}, nil, nil, nil, args...)
		if run.exit != 0 {
			t.Fatalf("pkce-desk login --grant client-credentials exited %d; stderr:\n%s", run.exit, run.stderr)
		}
		tok := decodeCLIToken(t, run)
		if tok.Grant != "client_credentials" || tok.AccessToken == "" || tok.RefreshToken != "" || tok.IDToken != "" {
			t.Fatalf("--json: grant %q access %t refresh %t id %t", tok.Grant, tok.AccessToken != "", tok.RefreshToken != "", tok.IDToken != "")
		}
		t.Logf("%s: %s", ct.name, ct.tokenValid(ctx, t, tok.AccessToken))
		if strings.Contains(run.stdout+run.stderr, ct.secret) {
			t.Error("the client secret appears in the output")
		}
		if strings.Contains(run.stderr, tok.AccessToken) {
			t.Error("the access token appears on stderr")
		}
	})

	t.Run("cli_wrong_secret", func(t *testing.T) {
		const wrong = "wrong-secret-canary-9d2e"
		run := cliGrantRun(ctx, t, []string{"PKCE_DESK_CLIENT_SECRET=" + wrong}, nil, nil, nil, args...)
		if run.exit != 1 || run.stdout != "" {
			t.Fatalf("wrong secret: exit %d, stdout %q; want 1 and nothing", run.exit, run.stdout)
		}
		if !strings.Contains(run.stderr, "invalid_client") {
			t.Errorf("stderr does not name the provider's invalid_client:\n%s", run.stderr)
		}
		if strings.Contains(run.stderr, wrong) {
			t.Error("stderr shows the client secret")
		}
	})
}
