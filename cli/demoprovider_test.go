package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a goroutine-safe bytes.Buffer for stderr.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startDemoProvider runs the command in the background and returns what it
// printed first, a cancel func, and a channel with the exit code.
func startDemoProvider(t *testing.T, args ...string) (firstLine string, stop func(), exit <-chan int, stderr *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	stderr = &syncBuffer{}
	code := make(chan int, 1)
	go func() {
		code <- runDemoProvider(ctx, args, pw, stderr)
		pw.Close()
	}()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		var all []string
		for sc.Scan() {
			all = append(all, sc.Text())
			if len(all) == 1 {
				lines <- sc.Text()
			}
		}
		close(lines)
	}()
	select {
	case l, ok := <-lines:
		if !ok {
			cancel()
			t.Fatalf("no output; exit %d, stderr %q", <-code, stderr.String())
		}
		firstLine = l
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatal("demo-provider printed nothing")
	}
	t.Cleanup(cancel)
	return firstLine, cancel, code, stderr
}

func TestDemoProviderJSONServesAndStopsCleanly(t *testing.T) {
	line, stop, exit, stderr := startDemoProvider(t, "--json", "--access-token-lifetime", "90s")
	var info demoProviderInfo
	if err := json.Unmarshal([]byte(line), &info); err != nil {
		t.Fatalf("--json output %q: %v", line, err)
	}
	if !strings.HasPrefix(info.Issuer, "http://127.0.0.1:") || info.ClientID != "pkce-desk-demo" || info.APIBase != info.Issuer+"/api" {
		t.Fatalf("info = %+v", info)
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(info.Issuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]any
	json.NewDecoder(resp.Body).Decode(&d)
	resp.Body.Close()
	if d["issuer"] != info.Issuer {
		t.Fatalf("discovery issuer %v, want %s", d["issuer"], info.Issuer)
	}

	stop()
	select {
	case c := <-exit:
		if c != 0 {
			t.Fatalf("exit %d after cancel, stderr %q", c, stderr.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("demo-provider did not stop after its context ended")
	}
	if c, err := net.DialTimeout("tcp", strings.TrimPrefix(info.Issuer, "http://"), time.Second); err == nil {
		c.Close()
		t.Fatal("port still open after exit")
	}
}

func TestDemoProviderTextBanner(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	out := &syncBuffer{}
	exit := make(chan int, 1)
	go func() { exit <- runDemoProvider(ctx, nil, out, io.Discard) }()
	// The banner is one write; poll for it (bounded: 200 × 50 ms).
	for i := 0; i < 200 && !strings.Contains(out.String(), "pkce-desk login"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if c := <-exit; c != 0 {
		t.Fatalf("exit %d", c)
	}
	banner := out.String()
	for _, want := range []string{"Issuer     http://127.0.0.1:", "Client ID  pkce-desk-demo", "/api", "alice (admin, viewer)", "bob (viewer)",
		"pkce-desk login --issuer http://127.0.0.1:", "--client-id pkce-desk-demo", `--scope "openid profile email offline_access orders:read"`} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
}

func TestDemoProviderRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.10:8080"} {
		var stderr bytes.Buffer
		if c := runDemoProvider(t.Context(), []string{"--addr", addr}, io.Discard, &stderr); c != 2 {
			t.Errorf("--addr %s: exit %d, want 2", addr, c)
		}
		if !strings.Contains(stderr.String(), "loopback") {
			t.Errorf("--addr %s: stderr %q does not say why", addr, stderr.String())
		}
	}
}

func TestDemoProviderBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--nope"}, {"extra"}, {"--access-token-lifetime", "0s"}, {"--access-token-lifetime", "soon"}} {
		if c := runDemoProvider(t.Context(), args, io.Discard, io.Discard); c != 2 {
			t.Errorf("%v: exit %d, want 2", args, c)
		}
	}
	var help bytes.Buffer
	if c := runDemoProvider(t.Context(), []string{"--help"}, io.Discard, &help); c != 0 || !strings.Contains(help.String(), "-addr") {
		t.Errorf("--help: exit %d, output %q", c, help.String())
	}
}

// With --state-dir a restarted demo provider keeps its issuer (port) and key
// files, so a workshop's kept sign-ins still refresh.
func TestDemoProviderStateDirKeepsIssuerAcrossRestarts(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	run := func() demoProviderInfo {
		line, stop, exit, stderr := startDemoProvider(t, "--json", "--state-dir", dir)
		var info demoProviderInfo
		if err := json.Unmarshal([]byte(line), &info); err != nil {
			t.Fatalf("--json output %q: %v", line, err)
		}
		stop()
		if c := <-exit; c != 0 {
			t.Fatalf("exit %d, stderr %q", c, stderr.String())
		}
		return info
	}
	first, second := run(), run()
	if first.Issuer != second.Issuer {
		t.Errorf("issuer changed across restarts: %s → %s", first.Issuer, second.Issuer)
	}
	for _, name := range []string{"demo-key.json", "demo-state.json"} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("state file: %v", err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v", name, info.Mode().Perm())
		}
	}
}
