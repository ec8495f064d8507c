package providers

import (
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"
)

// envBrowserForward, when set in the environment of this test binary, makes
// it act as the $BROWSER command for `pkce-desk login`: it POSTs its last
// argument (the authorization URL) to the given URL of the running test,
// whose stand-in browser then drives the sign-in, and exits at once as a
// system browser launcher does.
const envBrowserForward = "PKCE_E2E_BROWSER_FORWARD"

func TestMain(m *testing.M) {
	if fwd := os.Getenv(envBrowserForward); fwd != "" {
		os.Exit(forwardToTest(fwd, os.Args[1:]))
	}
	// Servers run in their own process groups, so an interrupt of `go test`
	// does not reach them: stop them by PID here before exiting.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		s := <-sig
		fmt.Fprintf(os.Stderr, "providers: got %s, stopping provider processes\n", s)
		StopAll()
		os.Exit(2)
	}()
	code := m.Run()
	StopAll()
	os.Exit(code)
}

// forwardToTest is the $BROWSER mode: hand the URL to the test and return.
func forwardToTest(endpoint string, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "browser stand-in: no URL argument")
		return 2
	}
	u := args[len(args)-1]
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Post(endpoint, "text/plain", strings.NewReader(u))
	if err != nil {
		fmt.Fprintln(os.Stderr, "browser stand-in:", err)
		return 1
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		fmt.Fprintln(os.Stderr, "browser stand-in: test endpoint answered", resp.Status)
		return 1
	}
	return 0
}
