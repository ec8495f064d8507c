// Package cli holds the headless commands of the pkce-desk binary:
// `login` (a whole RFC 8252 sign-in from a terminal) and `demo-provider`
// (the built-in demo provider and API, standalone). Nothing here touches
// GTK or Wails, so the commands run on machines with no display.
package cli

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"syscall"
)

// commands maps each headless command to its entry point.
var commands = map[string]func(ctx context.Context, args []string, stdout, stderr io.Writer) int{
	"login":         runLogin,
	"demo-provider": runDemoProvider,
}

// IsCommand reports whether args name a headless command (or ask for help
// or the version), so main must not start the window.
func IsCommand(args []string) bool {
	if len(args) == 0 {
		return false
	}
	switch args[0] {
	case "help", "-h", "-help", "--help", "version", "--version":
		return true
	}
	_, ok := commands[args[0]]
	return ok
}

// Run runs the headless command named by args[0] and returns the process
// exit code. SIGINT and SIGTERM cancel the command's context.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer, version string) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return 0
	case "version", "--version":
		fmt.Fprintln(stdout, "pkce-desk", version)
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "pkce-desk: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	return cmd(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprint(w, `PKCE Desk — sign in to OAuth 2.0 / OpenID Connect providers as a native app should.

Usage:
  pkce-desk                      open the app window
  pkce-desk login [flags]        sign in from a terminal (system browser, loopback, PKCE)
  pkce-desk demo-provider [flags] run the built-in demo provider and demo API
  pkce-desk version              print the version

Run "pkce-desk login --help" or "pkce-desk demo-provider --help" for their flags.
`)
}
