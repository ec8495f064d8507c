package harness

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ExternalProvider is `pkce-desk demo-provider` running as its own process,
// so it outlives the app launches of a test (the app's embedded demo
// provider stops, and changes port, with each launch).
type ExternalProvider struct {
	// Issuer, ClientID and APIBase are what the provider printed (--json).
	Issuer   string `json:"issuer"`
	ClientID string `json:"client_id"`
	APIBase  string `json:"api_base"`
}

// PlainBinary builds the headless pkce-desk binary (no build tags, no cgo:
// the `login` and `demo-provider` commands) into a temp folder and returns
// its path. The build is bounded by 10 minutes. $PKCEDESK_PLAIN_BIN, when
// set, names such a binary to use instead.
func PlainBinary(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv("PKCEDESK_PLAIN_BIN"); bin != "" {
		return bin
	}
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "pkce-desk")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", "build", "-trimpath", "-o", out, ".")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the plain pkce-desk binary: %v\n%s", err, msg)
	}
	return out
}

// StartExternalProvider runs `bin demo-provider --json` on a free loopback
// port, reads the one JSON line it prints (within 30 s), and stops the
// process (SIGTERM, then SIGKILL) when t ends.
func StartExternalProvider(t testing.TB, bin string) *ExternalProvider {
	t.Helper()
	cmd := exec.Command(bin, "demo-provider", "--json")
	cmd.Env = filteredEnviron("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
	logs := &syncBuffer{}
	cmd.Stderr = logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the demo provider: %v", err)
	}
	done := make(chan struct{})
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(io.LimitReader(out, 64<<10)).ReadString('\n')
		lines <- line
		io.Copy(io.Discard, out)
		cmd.Wait()
		close(done)
	}()
	t.Cleanup(func() {
		if !stopProcess(cmd.Process, done, 5*time.Second, true) {
			t.Errorf("the demo provider (pid %d) did not exit within 5 s of SIGTERM", cmd.Process.Pid)
		}
		if t.Failed() {
			t.Logf("demo provider output:\n%s", logs.String())
		}
	})
	var line string
	select {
	case line = <-lines:
	case <-time.After(30 * time.Second):
		t.Fatalf("the demo provider printed nothing within 30 s:\n%s", logs.String())
	}
	p := &ExternalProvider{}
	if err := json.Unmarshal([]byte(line), p); err != nil {
		t.Fatalf("the demo provider printed %q, not its JSON: %v\n%s", strings.TrimSpace(line), err, logs.String())
	}
	if !strings.HasPrefix(p.Issuer, "http://127.0.0.1:") || p.ClientID == "" || p.APIBase == "" {
		t.Fatalf("the demo provider printed %+v; want a loopback issuer, a client id and an API base", *p)
	}
	return p
}

// String names the provider for messages.
func (p *ExternalProvider) String() string {
	return fmt.Sprintf("demo provider %s (client %s)", p.Issuer, p.ClientID)
}
