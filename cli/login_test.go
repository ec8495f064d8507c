package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"pkcedesk/demo"
	"pkcedesk/internal/browserbot"
)

// The stand-in system browser: the login command under test runs $BROWSER,
// which re-executes this test binary with only this test selected and the
// authorization URL as the last argument.
const browserEnv = "PKCE_DESK_LOGIN_TEST_BROWSER"

func TestLoginHelperBrowser(t *testing.T) {
	mode := os.Getenv(browserEnv)
	if mode == "" {
		t.Skip("only runs as the stand-in browser of the login tests")
	}
	args := flag.Args()
	if len(args) == 0 {
		t.Fatal("no URL argument")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	bot := browserbot.New(browserbot.Options{User: "alice", Deny: mode == "deny"})
	if err := bot.Open(ctx, args[len(args)-1]); err != nil {
		t.Fatal(err)
	}
}

func useTestBrowser(t *testing.T, mode string) {
	t.Setenv("BROWSER", os.Args[0]+" -test.run=^TestLoginHelperBrowser$")
	t.Setenv(browserEnv, mode)
}

func startDemoOP(t *testing.T) *demo.Server {
	t.Helper()
	srv, err := demo.Start(context.Background(), demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func runLoginTest(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := runLogin(ctx, args, nil, &out, &errb)
	return code, out.String(), errb.String()
}

func TestLoginJSONAgainstDemo(t *testing.T) {
	srv := startDemoOP(t)
	useTestBrowser(t, "allow")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code, out, errs := runLoginTest(t, ctx, "--issuer", srv.Issuer(), "--client-id", srv.ClientID(),
		"--scope", "openid profile email offline_access", "--json", "--timeout", "1m")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, errs)
	}
	var r map[string]any
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&r); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, out)
	}
	if dec.More() {
		t.Error("more than one JSON value on stdout")
	}
	for _, k := range []string{"access_token", "token_type", "expiry", "refresh_token", "scope", "id_token"} {
		if s, _ := r[k].(string); s == "" {
			t.Errorf("%s missing: %v", k, r)
		}
	}
	if _, err := time.Parse(time.RFC3339, r["expiry"].(string)); err != nil {
		t.Errorf("expiry not RFC 3339: %v", err)
	}
	claims, _ := r["id_token_claims"].(map[string]any)
	if claims["sub"] == nil || claims["iss"] != srv.Issuer() {
		t.Errorf("claims %v", claims)
	}
	if !strings.Contains(errs, "If your browser did not open, visit:") || !strings.Contains(errs, srv.Issuer()) {
		t.Errorf("stderr lacks the URL line:\n%s", errs)
	}
	if strings.Contains(errs, r["access_token"].(string)) {
		t.Error("access token on stderr")
	}
}

func TestLoginSummaryMasksTokens(t *testing.T) {
	srv := startDemoOP(t)
	useTestBrowser(t, "allow")
	code, out, errs := runLoginTest(t, context.Background(), "--issuer", srv.Issuer(), "--client-id", srv.ClientID(), "--timeout", "1m")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errs)
	}
	t.Logf("stdout:\n%s\nstderr:\n%s", out, errs)
	if !strings.Contains(out, "Signed in as") || !strings.Contains(out, "Access token:") {
		t.Fatalf("summary:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "token:") && (!strings.Contains(line, "…") || len(line) > 120) {
			t.Errorf("token line not masked: %q", line)
		}
	}
	if strings.Contains(out, "eyJ") && strings.Count(out, ".") > 20 {
		t.Error("something that looks like a JWT is on stdout")
	}
}

func TestLoginDeniedFailsWithOneLine(t *testing.T) {
	srv := startDemoOP(t)
	useTestBrowser(t, "deny")
	code, out, errs := runLoginTest(t, context.Background(), "--issuer", srv.Issuer(), "--client-id", srv.ClientID(), "--timeout", "1m", "--quiet")
	if code != exitFailed || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	last := lastLine(errs)
	if !strings.HasPrefix(last, "pkce-desk login: ") || !strings.Contains(last, "access_denied") {
		t.Errorf("error line %q", last)
	}
	if n := strings.Count(errs, "pkce-desk login:"); n != 1 {
		t.Errorf("%d error lines", n)
	}
}

func TestLoginTimeoutAndBrokenBrowser(t *testing.T) {
	srv := startDemoOP(t)
	t.Setenv("BROWSER", "/nonexistent/browser --new-window")
	code, out, errs := runLoginTest(t, context.Background(), "--issuer", srv.Issuer(), "--client-id", srv.ClientID(), "--timeout", "300ms")
	if code != exitFailed || out != "" {
		t.Fatalf("exit %d stdout %q", code, out)
	}
	if !strings.Contains(errs, "Could not start the browser") || !strings.Contains(lastLine(errs), "timed out") {
		t.Errorf("stderr:\n%s", errs)
	}
}

// cancelOn is stderr that cancels (as Ctrl-C does through Run) the moment
// the given progress text is written, so the cancel lands at that step.
type cancelOn struct {
	bytes.Buffer
	text   string
	cancel context.CancelFunc
}

func (c *cancelOn) Write(p []byte) (int, error) {
	n, err := c.Buffer.Write(p)
	if strings.Contains(c.String(), c.text) {
		c.cancel()
	}
	return n, err
}

func TestLoginCanceledWhileWaitingForTheBrowser(t *testing.T) {
	srv := startDemoOP(t)
	t.Setenv("BROWSER", "true")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errs := &cancelOn{text: "If your browser did not open", cancel: cancel}
	var out bytes.Buffer
	code := runLogin(ctx, []string{"--issuer", srv.Issuer(), "--client-id", srv.ClientID()}, nil, &out, errs)
	if code != exitCanceled || out.String() != "" || !strings.Contains(lastLine(errs.String()), "canceled") {
		t.Fatalf("exit %d stdout %q stderr %q", code, out.String(), errs.String())
	}
}

// Ctrl-C while discovery is in flight exits 130 saying canceled, not 1
// with "check the issuer URL and your network".
func TestLoginCanceledDuringDiscovery(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	reached := make(chan struct{}, 1)
	issuer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached <- struct{}{}
		cancel()
		<-r.Context().Done()
	}))
	defer issuer.Close()
	t.Setenv("BROWSER", "true")
	code, out, errs := runLoginTest(t, ctx, "--issuer", issuer.URL, "--client-id", "c")
	if len(reached) == 0 {
		t.Fatal("discovery was never reached; the test proves nothing")
	}
	if code != exitCanceled || out != "" || !strings.Contains(lastLine(errs), "canceled") || strings.Contains(errs, "network") {
		t.Fatalf("exit %d stdout %q stderr %q", code, out, errs)
	}
}

// A --ca-file that is a FIFO fails at once with a clear message instead of
// blocking the command forever.
func TestLoginCAFileFIFOFailsFast(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "ca.pem")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	done := make(chan struct{})
	var code int
	var errs string
	go func() {
		defer close(done)
		code, _, errs = runLoginTest(t, context.Background(), "--issuer", "https://op.example", "--client-id", "c", "--ca-file", fifo)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("login blocked on a FIFO --ca-file")
	}
	if code != exitUsage || !strings.Contains(errs, "--ca-file") || !strings.Contains(errs, "named pipe") {
		t.Fatalf("exit %d stderr %q", code, errs)
	}
}

// secretCanary is a client secret no message could contain by chance.
const secretCanary = "cs-canary-7f3a9c21d4"

func TestLoginBadFlags(t *testing.T) {
	cases := map[string][]string{
		"no client id":           {"--issuer", "https://op.example"},
		"no issuer or endpoints": {"--client-id", "x"},
		"unknown flag":           {"--nope"},
		"bad auth method":        {"--issuer", "https://op.example", "--client-id", "x", "--auth-method", "magic"},
		"reserved param":         {"--issuer", "https://op.example", "--client-id", "x", "--param", "state=1"},
		"bad param":              {"--issuer", "https://op.example", "--client-id", "x", "--param", "novalue"},
		"http non-loopback":      {"--issuer", "http://op.example", "--client-id", "x"},
		"stray argument":         {"--client-id", "x", "extra"},
		"secret with none":       {"--issuer", "https://op.example", "--client-id", "x", "--client-secret", secretCanary, "--auth-method", "none"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, out, errs := runLoginTest(t, context.Background(), args...)
			if code != exitUsage || out != "" || errs == "" {
				t.Errorf("exit %d stdout %q stderr %q", code, out, errs)
			}
			if strings.Contains(errs, secretCanary) {
				t.Error("client secret echoed")
			}
		})
	}
}

func TestLoginHelp(t *testing.T) {
	code, out, errs := runLoginTest(t, context.Background(), "--help")
	if code != 0 || out != "" {
		t.Fatalf("exit %d stdout %q", code, out)
	}
	for _, want := range []string{"--issuer", "--client-id", "--client-secret", "--auth-method", "--scope", "--param",
		"--redirect-host", "--redirect-port", "--redirect-path", "--timeout", "--ca-file", "--json",
		"--authorization-endpoint", "--token-endpoint", "$BROWSER", "Exit status"} {
		if !strings.Contains(errs, strings.TrimPrefix(want, "-")) {
			t.Errorf("help lacks %s", want)
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}
