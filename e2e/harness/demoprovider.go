package harness

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
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

// StartExternalProvider runs `bin demo-provider --json` on a free loopback
// port, reads the one JSON line it prints (within 30 s), and stops the
// process (SIGTERM, then SIGKILL after 5 s) when t ends, failing t unless it
// exited with status 0, as its usage promises.
func StartExternalProvider(t testing.TB, bin string) *ExternalProvider {
	t.Helper()
	cmd := exec.Command(bin, "demo-provider", "--json")
	cmd.Env = filteredEnviron("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
	proc, lines, err := StartProcessFirstLine("demo-provider", cmd)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Its usage promises a clean exit (status 0) on SIGTERM.
		if !proc.StopWithin(stopGrace) {
			t.Errorf("the demo provider (pid %d) did not exit within 5 s of SIGTERM", proc.PID())
		} else if err := proc.ExitErr(); err != nil {
			t.Errorf("the demo provider did not exit cleanly on SIGTERM: %v", err)
		}
		if t.Failed() {
			t.Logf("demo provider output:\n%s", proc.Logs())
		}
	})
	var line string
	select {
	case l, ok := <-lines:
		if !ok {
			t.Fatalf("the demo provider exited without printing its JSON line (%v):\n%s", proc.ExitErr(), proc.Logs())
		}
		line = l
	case <-time.After(30 * time.Second):
		t.Fatalf("the demo provider printed nothing within 30 s:\n%s", proc.Logs())
	}
	p := &ExternalProvider{}
	if err := json.Unmarshal([]byte(line), p); err != nil {
		t.Fatalf("the demo provider printed %q, not its JSON: %v\n%s", strings.TrimSpace(line), err, proc.Logs())
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
