package chromium

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"pkcedesk/e2e/ui/harness"
)

// apiClient calls the demo API; bounded like every client in the project.
var apiClient = &http.Client{Timeout: 10 * time.Second}

// maxBody caps the API bodies the tests read.
const maxBody = 1 << 20

// apiResult is one answer of the demo API.
type apiResult struct {
	Status int
	Header http.Header
	Body   []byte
}

// callAPI sends method url with the bearer token and returns the answer.
func callAPI(t *testing.T, method, url, accessToken string) apiResult {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := apiClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		t.Fatalf("%s %s: read the body: %v", method, url, err)
	}
	return apiResult{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// me is the part of GET /api/me the tests read.
type me struct {
	Subject  string `json:"sub"`
	Username string `json:"preferred_username"`
	Scope    string `json:"scope"`
}

func decodeMe(t *testing.T, r apiResult) me {
	t.Helper()
	var m me
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("GET /api/me: decode %q: %v", r.Body, err)
	}
	return m
}

// systemBrowser starts headless Chromium, the stand-in xdg-open/$BROWSER
// (harness.Opener) and the person clicking through the demo pages, wired
// together: every URL the stand-in receives is visited in Chromium.
func systemBrowser(t *testing.T, opts harness.SystemBrowserOptions) (*harness.SystemBrowser, *harness.Opener) {
	t.Helper()
	sb := harness.NewSystemBrowser(opts)
	opener := harness.NewOpener(t, sb.Open)
	sb.Attach(t, harness.NewBrowser(t))
	return sb, opener
}

// nextVisit waits for the system browser's next visit and fails the test
// unless it went through login and consent to the loopback callback.
func nextVisit(t *testing.T, sb *harness.SystemBrowser, user, decision string) harness.Visit {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	v, err := sb.Next(ctx)
	if err != nil {
		t.Fatalf("no URL reached the system browser: %v", err)
	}
	if v.Err != nil || !v.AtCallback {
		t.Fatalf("Chromium did not get through to the loopback callback: %v\nvisit: %s", v.Err, v)
	}
	want := []string{"login: " + user, "consent: " + decision}
	if strings.Join(v.Steps, ",") != strings.Join(want, ",") {
		t.Errorf("Chromium went through %q, want %q", v.Steps, want)
	}
	if decision == "allow" && !strings.Contains(v.Text, "return to PKCE Desk") {
		t.Errorf("the loopback result page says %q", v.Text)
	}
	return v
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// desktopBinary returns a plain pkce-desk binary (no build tags,
// CGO_ENABLED=0: the headless commands need no GUI): $PKCEDESK_BIN, else
// one built once per test binary into a temp folder.
func desktopBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("PKCEDESK_BIN"); p != "" {
		return p
	}
	binOnce.Do(func() {
		root, err := harness.RepoRoot()
		if err != nil {
			binErr = err
			return
		}
		dir, err := os.MkdirTemp("", "pkce-desk-chromium-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "pkce-desk")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", binPath, ".")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build the pkce-desk binary: %w\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// TestMain removes the binary desktopBinary built.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// envWith returns os.Environ with each NAME=value of add replacing any
// earlier NAME.
func envWith(add ...string) []string {
	env := os.Environ()
	for _, kv := range add {
		name, _, _ := strings.Cut(kv, "=")
		out := env[:0:0]
		for _, old := range env {
			if n, _, _ := strings.Cut(old, "="); n != name {
				out = append(out, old)
			}
		}
		env = append(out, kv)
	}
	return env
}
