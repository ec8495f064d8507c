package chromium

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
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
// unless it went through login and consent to the loopback callback,
// whose page names app as the program to return to.
func nextVisit(t *testing.T, sb *harness.SystemBrowser, user, decision, app string) harness.Visit {
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
	// The callback page names the program to go back to: the window
	// ("PKCE Desk") or the command ("pkce-desk login").
	if decision == "allow" && !strings.Contains(v.Text, "return to "+app) {
		t.Errorf("the loopback result page says %q", v.Text)
	}
	return v
}

// TestMain stops what the harness started and removes what it built.
func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
