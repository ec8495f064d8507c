package main

import (
	"testing"

	"pkcedesk/cli"
)

// In a build without the dev or bindings tag (as production is), the
// window opens for no arguments and nothing else.
func TestWindowFlagsOfThisBuild(t *testing.T) {
	if len(windowFlags) != 0 {
		t.Fatalf("windowFlags = %q, want none outside dev and bindings builds", windowFlags)
	}
	for _, args := range [][]string{nil, {"-psn_0_42"}} {
		if !cli.OpensWindow(args, windowFlags) {
			t.Errorf("%q does not open the window", args)
		}
	}
	for _, args := range [][]string{{"lgoin"}, {"run", "--help"}, {"-assetdir", "frontend/dist"}} {
		if cli.OpensWindow(args, windowFlags) {
			t.Errorf("%q opens the window; it must go to cli.Run", args)
		}
	}
}
