package main

import (
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
)

// appOptions describes the one window: its size (width × height, as the
// user left it), the embedded frontend, the App bound for it, the
// single-instance lock, and drops that cannot navigate the webview.
func appOptions(app *App, width, height int) *options.App {
	return &options.App{
		Title:            "PKCE Desk",
		Width:            width,
		Height:           height,
		MinWidth:         1024,
		MinHeight:        700,
		AssetServer:      &assetserver.Options{Assets: assets},
		BackgroundColour: &options.RGBA{R: 246, G: 247, B: 249, A: 255},
		OnStartup:        app.startup,
		OnDomReady:       app.domReady,
		OnBeforeClose:    app.beforeClose,
		OnShutdown:       app.shutdown,
		Bind:             []interface{}{app},
		SingleInstanceLock: &options.SingleInstanceLock{
			UniqueId:               "dev.pkce-desk.app",
			OnSecondInstanceLaunch: app.secondInstance,
		},
		// Security rules 28 and 44 (docs/security.md): the webview never navigates away from the app. Left on,
		// the webview's own drop handling loads a file or link dropped on the
		// window in place of the app (on Linux Wails unsets the webview as a
		// GTK drop target; on Windows it turns off WebView2's external drag).
		// The app takes no dropped files, so Wails' file drop stays off too.
		DragAndDrop: &options.DragAndDrop{DisableWebViewDrop: true, EnableFileDrop: false},
		// WebviewGpuPolicyNever is what Wails picks when Linux options are nil
		// (wails issue 2977); setting Linux options makes the zero value,
		// OnDemand, apply instead. OnDemand cost ~80 MiB more in the WebKit web
		// process and doubled launch-to-paint under `make bench` (GL
		// compositing on a software renderer) for a UI of forms and text that
		// gains nothing from the GPU.
		Linux: &linux.Options{Icon: icon, ProgramName: "pkce-desk", WebviewGpuPolicy: linux.WebviewGpuPolicyNever},
	}
}
