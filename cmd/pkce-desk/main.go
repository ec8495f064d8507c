// Command pkce-desk is PKCE Desk's command: with no arguments it opens the
// app window, and `pkce-desk login …`, `pkce-desk demo-provider …` and
// `pkce-desk version` run headless.
//
// It is pure Go (built with CGO_ENABLED=0, statically linked), so the
// headless commands start in milliseconds and run on machines without
// GTK, WebKit or a display. The window is a second binary, the Wails app
// built from the repository root (pkce-desk-gui; pkce-desk.exe on
// Windows, where this command is the console-subsystem pkce-desk.com):
// this command finds it (cli.FindGUI) and hands it the arguments.
package main

import (
	"os"

	"pkcedesk/cli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	args := os.Args[1:]
	if cli.OpensWindow(args, nil) {
		os.Exit(cli.OpenWindow(args, os.Stderr))
	}
	os.Exit(cli.Run(args, os.Stdin, os.Stdout, os.Stderr, version))
}
