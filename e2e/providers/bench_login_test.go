package providers

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// The login benchmark (issue 12): `pkce-desk login --json` against Ory Hydra
// next to e2e/tools/minclient, a minimal careful x/oauth2 + go-oidc client
// doing the same sign-in, each timed from exec to exit with the same
// stand-in browser. It prints figures and never judges them: timing is for
// people and scripts/bench-cli.sh, not for a test verdict.
const (
	// envBench turns the benchmark on ("1"); without it the test skips.
	envBench = "PKCE_DESK_BENCH"
	// envBenchRuns is how many timed runs each client gets (default 11).
	envBenchRuns = "PKCE_DESK_BENCH_LOGIN_RUNS"
	// envMinclientBin names a built e2e/tools/minclient to use instead of
	// building one.
	envMinclientBin = "PKCE_DESK_MINCLIENT_BIN"
)

const defaultBenchRuns = 11

// TestBenchLoginHydra prints, on stderr, one line per run and then
//
//	BENCH-LOGIN median pkce-desk <ms>
//	BENCH-LOGIN median minclient <ms>
//	BENCH-LOGIN ratio <pkce-desk/minclient>
//
// Runs alternate (pkce-desk first on even runs, minclient first on odd
// ones) after one untimed warm-up run of each, so both see the same Hydra,
// page cache and machine load. Each run must sign in for real (exit 0 and an
// access and ID token in the JSON), or the test fails: a fast failure is no
// figure.
func TestBenchLoginHydra(t *testing.T) {
	if os.Getenv(envBench) != "1" {
		t.Skipf("set %s=1 to run the login benchmark (scripts/bench-cli.sh does)", envBench)
	}
	runs := defaultBenchRuns
	if v := os.Getenv(envBenchRuns); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("%s=%q: want a positive number", envBenchRuns, v)
		}
		runs = n
	}
	hydraBin := harness.HydraBin()
	requireBinary(t, "hydra", hydraBin)
	clients := []benchClient{
		{name: "pkce-desk", argv: []string{harness.PlainBinary(t), "login"}},
		{name: "minclient", argv: []string{minclientBinary(t)}},
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	h, clientID := startHydraWithClient(ctx, t, hydraBin)
	browser := newFIFOBrowser(ctx, t)
	args := []string{"--issuer", h.Issuer, "--client-id", clientID,
		"--scope", "openid offline_access profile email", "--timeout", "60s", "--json"}

	for _, c := range clients { // warm-up: page cache, Hydra's first-request costs
		c.run(ctx, t, browser, args)
	}
	took := map[string][]time.Duration{}
	for i := range runs {
		order := clients
		if i%2 == 1 {
			order = []benchClient{clients[1], clients[0]}
		}
		for _, c := range order {
			d := c.run(ctx, t, browser, args)
			took[c.name] = append(took[c.name], d)
			benchLine("run %d %s %.1fms", i+1, c.name, ms(d))
		}
	}
	desk, minc := median(took["pkce-desk"]), median(took["minclient"])
	benchLine("median pkce-desk %.1fms", ms(desk))
	benchLine("median minclient %.1fms", ms(minc))
	benchLine("ratio %.2f", float64(desk)/float64(minc))
}

func benchLine(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "BENCH-LOGIN "+format+"\n", args...)
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// benchClient is one command under test: argv, then the shared login args.
type benchClient struct {
	name string
	argv []string
}

// run signs in once and returns the time from exec to exit.
func (c benchClient) run(ctx context.Context, t *testing.T, b *fifoBrowser, args []string) time.Duration {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, cliTimeout)
	defer cancel()
	cmd := exec.Command(c.argv[0], append(slices.Clone(c.argv[1:]), args...)...)
	cmd.Env = harness.SetEnv(harness.MinimalEnv(), "BROWSER="+b.script)
	stdout := &strings.Builder{}
	cmd.Stdout = &cappedWriter{w: stdout, room: harness.MaxBody}
	start := time.Now()
	p, err := harness.StartProcess(c.name, cmd)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	select {
	case <-p.Exited():
	case <-ctx.Done():
		t.Fatalf("%s did not finish within %s; output:\n%s\nbrowser: %v", c.name, cliTimeout, p.Logs(), b.lastErr())
	}
	took := time.Since(start)
	if err := p.ExitErr(); err != nil {
		t.Fatalf("%s: %v; stderr:\n%s\nbrowser: %v", c.name, err, p.Logs(), b.lastErr())
	}
	var tok cliToken
	if err := json.Unmarshal([]byte(stdout.String()), &tok); err != nil || tok.AccessToken == "" || tok.IDToken == "" {
		t.Fatalf("%s printed no tokens (%v): %.300s", c.name, err, stdout.String())
	}
	return took
}

// fifoBrowser is a stand-in system browser with no polling delay: $BROWSER
// is a two-line shell script writing the URL into a named pipe this test
// reads, and every URL read is visited at once by a fresh FormBrowser
// (Hydra's login and consent are accepted by the harness's app). The
// harness Opener polls its spool every 50 ms, which would add up to 50 ms of
// noise to each run of both clients.
type fifoBrowser struct {
	script string
	errs   chan error
}

func newFIFOBrowser(ctx context.Context, t *testing.T) *fifoBrowser {
	t.Helper()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "urls")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	// Opened read-write, the pipe never reports EOF between writers and
	// opening it never blocks.
	f, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatalf("open the fifo: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	b := &fifoBrowser{script: filepath.Join(dir, "browser"), errs: make(chan error, 64)}
	script := "#!/bin/sh\n# Stand-in browser of the login benchmark: hands the URL to the test.\nprintf '%s\\n' \"$1\" >'" + fifo + "'\n"
	if err := os.WriteFile(b.script, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			u := sc.Text()
			go func() {
				if _, err := harness.NewFormBrowser(nil).Visit(ctx, u); err != nil {
					select {
					case b.errs <- err:
					default:
					}
				}
			}()
		}
	}()
	return b
}

// lastErr returns a browser error seen since the last call, if any.
func (b *fifoBrowser) lastErr() error {
	select {
	case err := <-b.errs:
		return err
	default:
		return nil
	}
}

// minclientBinary returns $PKCE_DESK_MINCLIENT_BIN, or builds
// e2e/tools/minclient (its own module) pure Go, as pkce-desk is built.
func minclientBinary(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv(envMinclientBin); bin != "" {
		requireBinary(t, "minclient", bin)
		return bin
	}
	root, err := harness.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "minclient")
	cmd := exec.Command("go", "build", "-trimpath", "-o", out, ".")
	cmd.Dir = filepath.Join(root, "e2e", "tools", "minclient")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build minclient: %v\n%s", err, msg)
	}
	return out
}
