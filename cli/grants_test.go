package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"pkcedesk/auth"
	"pkcedesk/demo"
	"pkcedesk/internal/browserbot"
	"pkcedesk/internal/qr"
)

// waitFor waits until re matches what was written, and returns its first group.
func (s *syncBuffer) waitFor(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(s.String()); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("stderr never matched %s:\n%s", re, s.String())
	return ""
}

type loginRun struct {
	code int
	out  string
}

// loginAside runs the login command in the background.
func loginAside(ctx context.Context, stdin io.Reader, stderr io.Writer, args ...string) <-chan loginRun {
	done := make(chan loginRun, 1)
	go func() {
		var out bytes.Buffer
		code := runLogin(ctx, args, stdin, &out, stderr)
		done <- loginRun{code, out.String()}
	}()
	return done
}

func finished(t *testing.T, done <-chan loginRun, errs *syncBuffer) loginRun {
	t.Helper()
	select {
	case r := <-done:
		if r.code != 0 {
			t.Fatalf("exit %d, stderr:\n%s", r.code, errs.String())
		}
		return r
	case <-time.After(45 * time.Second):
		t.Fatalf("login did not finish; stderr:\n%s", errs.String())
	}
	return loginRun{}
}

func decodeResult(t *testing.T, out string) map[string]any {
	t.Helper()
	var r map[string]any
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, out)
	}
	return r
}

func startFastDemo(t *testing.T) *demo.Server {
	t.Helper()
	srv, err := demo.Start(context.Background(), demo.Options{DevicePollInterval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

var completeURILine = regexp.MustCompile(`Or open this address, which carries the code:\n  (\S+)\n`)

// --grant device --no-browser: the code, the verification URI and the
// address with the code are printed (and, as stdout is a terminal here, the
// QR code of that address, in half blocks: the same matrix as internal/qr),
// no browser starts, and approving at that address in another browser
// signs in; --json says grant device_code.
func TestLoginDeviceGrantNoBrowser(t *testing.T) {
	srv := startFastDemo(t)
	t.Setenv("BROWSER", "/nonexistent/should-not-start")
	was := isTerminal
	isTerminal = func(io.Writer) bool { return true }
	t.Cleanup(func() { isTerminal = was })
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	errs := &syncBuffer{}
	done := loginAside(ctx, nil, errs, "--grant", "device", "--no-browser", "--issuer", srv.Issuer(),
		"--client-id", srv.ClientID(), "--scope", "openid profile offline_access", "--json")
	complete := errs.waitFor(t, completeURILine)
	bot := browserbot.New(browserbot.Options{User: "alice"})
	_ = bot.Open(ctx, complete) // the phone: ends on the demo's "done" page
	r := finished(t, done, errs)
	res := decodeResult(t, r.out)
	if res["grant"] != "device_code" || res["access_token"] == "" || res["refresh_token"] == nil || res["id_token"] == nil {
		t.Errorf("result %v", res)
	}
	stderr := errs.String()
	u, _ := url.Parse(complete)
	code := u.Query().Get("user_code")
	if code == "" || !strings.Contains(stderr, "\n    "+code+"\n") || strings.Contains(stderr, "Could not start the browser") {
		t.Errorf("stderr lacks the code %q or tried a browser:\n%s", code, stderr)
	}
	c, err := qr.Encode(complete)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr, c.Terminal()) {
		t.Errorf("stderr lacks the QR code of %s:\n%s", complete, stderr)
	}
	if strings.Contains(stderr, res["access_token"].(string)) {
		t.Error("access token on stderr")
	}
}

// Without a terminal on stdout there is no QR code, only the words.
func TestLoginDeviceGrantNoQRWithoutATerminal(t *testing.T) {
	var b bytes.Buffer
	printDeviceCode(&b, deviceCodeForTest(), showQR(&bytes.Buffer{}))
	if strings.ContainsAny(b.String(), "█▀▄") || !strings.Contains(b.String(), "WDJB-MJHT") {
		t.Errorf("output:\n%s", b.String())
	}
}

// --grant client-credentials with the secret from $PKCE_DESK_CLIENT_SECRET:
// no browser, one JSON object with grant client_credentials and an access
// token only; without a secret the command refuses before any request.
func TestLoginClientCredentialsWithTheEnvSecret(t *testing.T) {
	srv := startFastDemo(t)
	t.Setenv("BROWSER", "/nonexistent/should-not-start")
	t.Setenv(clientSecretEnv, "")
	code, out, errs := runLoginTest(t, context.Background(), "--grant", "client-credentials", "--issuer", srv.Issuer(), "--client-id", demo.ServiceClientID)
	if code != exitUsage || out != "" || !strings.Contains(errs, clientSecretEnv) {
		t.Errorf("without a secret: exit %d stdout %q stderr %q", code, out, errs)
	}

	t.Setenv(clientSecretEnv, srv.ServiceClientSecret())
	code, out, errs = runLoginTest(t, context.Background(), "--grant", "client-credentials", "--issuer", srv.Issuer(),
		"--client-id", demo.ServiceClientID, "--auth-method", "basic", "--json")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, errs)
	}
	res := decodeResult(t, out)
	if res["grant"] != "client_credentials" || res["access_token"] == "" || res["refresh_token"] != nil || res["id_token"] != nil {
		t.Errorf("result %v", res)
	}
	if strings.Contains(errs, srv.ServiceClientSecret()) || strings.Contains(errs, "browser") {
		t.Errorf("stderr:\n%s", errs)
	}
	code, out, errs = runLoginTest(t, context.Background(), "--grant", "client-credentials", "--issuer", srv.Issuer(), "--client-id", demo.ServiceClientID)
	if code != 0 || !strings.Contains(out, "service account") || strings.Contains(out, srv.ServiceClientSecret()) {
		t.Errorf("summary: exit %d\n%s\n%s", code, out, errs)
	}
}

var authURLLine = regexp.MustCompile(`Open this address in a browser:\n  (\S+)\n`)

// --paste: a browser that cannot reach the listener (it keeps the address
// it was sent to instead), a pasted line from another attempt is refused
// with the reason, and the real one, pasted next, signs in.
func TestLoginPasteFromStdin(t *testing.T) {
	srv := startFastDemo(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	stdin, paste := io.Pipe()
	defer paste.Close()
	errs := &syncBuffer{}
	done := loginAside(ctx, stdin, errs, "--paste", "--no-browser", "--issuer", srv.Issuer(), "--client-id", srv.ClientID(), "--json", "--timeout", "1m")
	authURL := errs.waitFor(t, authURLLine)

	var mu sync.Mutex
	var back string
	client := &http.Client{Timeout: 15 * time.Second, Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		if r.URL.Path == "/callback" {
			mu.Lock()
			back = r.URL.String()
			mu.Unlock()
			return &http.Response{StatusCode: 502, Body: io.NopCloser(strings.NewReader("unreachable")), Header: http.Header{}, Request: r}, nil
		}
		return http.DefaultTransport.RoundTrip(r)
	})}
	if err := browserbot.New(browserbot.Options{User: "alice", Client: client}).Open(ctx, authURL); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	real := back
	mu.Unlock()
	u, err := url.Parse(real)
	if err != nil || u.Query().Get("code") == "" {
		t.Fatalf("redirect %q", real)
	}
	forged := strings.Replace(real, "state="+url.QueryEscape(u.Query().Get("state")), "state=another-attempt", 1)
	if _, err := io.WriteString(paste, "\n"+forged+"\n"); err != nil {
		t.Fatal(err)
	}
	errs.waitFor(t, regexp.MustCompile(`(Pasted address refused: [^\n]*state[^\n]*)`))
	if _, err := io.WriteString(paste, real+"\n"); err != nil {
		t.Fatal(err)
	}
	r := finished(t, done, errs)
	res := decodeResult(t, r.out)
	if res["grant"] != "authorization_code" || res["access_token"] == "" {
		t.Errorf("result %v", res)
	}
	if !strings.Contains(errs.String(), "Pasted address accepted.") {
		t.Errorf("stderr:\n%s", errs.String())
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestLoginGrantFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--grant", "password", "--issuer", "https://a.example", "--client-id", "x"},
		{"--grant", "device", "--client-id", "x", "--token-endpoint", "https://a.example/token"},
		{"--grant", "device", "--paste", "--issuer", "https://a.example", "--client-id", "x"},
	} {
		code, out, errs := runLoginTest(t, context.Background(), args...)
		if code != exitUsage || out != "" || !strings.HasPrefix(errs, "pkce-desk login: ") {
			t.Errorf("%v: exit %d stdout %q stderr %q", args, code, out, errs)
		}
	}
}

func deviceCodeForTest() (dc auth.DeviceCode) {
	dc.UserCode, dc.VerificationURI = "WDJB-MJHT", "https://example.com/device"
	dc.VerificationURIComplete = "https://example.com/device?user_code=WDJB-MJHT"
	return dc
}
