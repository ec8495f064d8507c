// Command pkce-desk is a desktop app that signs a person in to an OAuth 2.0 /
// OpenID Connect provider the way RFC 8252 says a native app should, and
// shows, checks, refreshes and uses the tokens.
//
// With no arguments it opens the window; `pkce-desk login …` and
// `pkce-desk demo-provider …` run headless (no GTK, no display), and any
// other argument is refused with the usage (see cli.OpensWindow).
package main

import (
	"embed"
	"fmt"
	"os"

	"github.com/wailsapp/wails/v2"

	"pkcedesk/cli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	if args := os.Args[1:]; !cli.OpensWindow(args, windowFlags) {
		os.Exit(cli.Run(args, os.Stdin, os.Stdout, os.Stderr, version))
	}
	app := NewApp(version)
	w, h := app.windowSize()
	if err := wails.Run(appOptions(app, w, h)); err != nil {
		fmt.Fprintln(os.Stderr, "pkce-desk:", err)
		os.Exit(1)
	}
}
