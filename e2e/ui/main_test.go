package ui

import (
	"os"
	"testing"

	"pkcedesk/e2e/harness"
)

// TestMain stops what the harness started (also on SIGINT/SIGTERM) and
// removes what it built.
func TestMain(m *testing.M) { os.Exit(harness.Main(m)) }
