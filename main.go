// Command pkce-desk is a desktop app that signs a person in to an OAuth 2.0 /
// OpenID Connect provider the way RFC 8252 says a native app should, and
// shows, checks, refreshes and uses the tokens.
//
// `pkce-desk login …` and `pkce-desk demo-provider …` run headless (no GTK,
// no display); anything else opens the window.
package main

import (
	"embed"
	"fmt"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"

	"pkcedesk/cli"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

//go:embed all:frontend/dist
var assets embed.FS

//go:embed build/appicon.png
var icon []byte

func main() {
	if cli.IsCommand(os.Args[1:]) {
		os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, version))
	}
	if err := runWindow(); err != nil {
		fmt.Fprintln(os.Stderr, "pkce-desk:", err)
		os.Exit(1)
	}
}

// runWindow starts the GUI: one window, the App bound for the frontend.
func runWindow() error {
	app := NewApp(version)
	w, h := app.windowSize()
	return wails.Run(&options.App{
		Title:            "PKCE Desk",
		Width:            w,
		Height:           h,
		MinWidth:         1024,
		MinHeight:        700,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		OnStartup:        app.startup,
		OnBeforeClose:    app.beforeClose,
		OnShutdown:       app.shutdown,
		Bind:             []interface{}{app},
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               "dev.pkce-desk.app",
			OnSecondInstanceLaunch: app.secondInstance,
		},
		// WebviewGpuPolicyNever is what Wails picks when Linux options are nil
		// (wails issue 2977); setting Linux options makes the zero value,
		// OnDemand, apply instead. OnDemand cost ~80 MiB more in the WebKit web
		// process and doubled launch-to-paint under `make bench` (GL
		// compositing on a software renderer) for a UI of forms and text that
		// gains nothing from the GPU.
		Linux: &linux.Options{Icon: icon, ProgramName: "pkce-desk", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	})
}
