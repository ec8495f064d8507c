package providers

import (
	"os"
	"testing"

	"pkcedesk/e2e/harness"
)

// TestMain stops every provider process still running, by PID, after the
// tests and on SIGINT/SIGTERM (they run in their own process groups, so an
// interrupt of `go test` does not reach them), and removes what the harness
// built.
func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
