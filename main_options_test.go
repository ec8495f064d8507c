package main

import (
	"testing"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
)

// testOptions builds the window options as main does, then lets Wails fill
// in its defaults the way wails.Run does, so the test sees what Wails gets.
func testOptions(t *testing.T) (*App, *options.App) {
	t.Helper()
	app := &App{}
	opts := appOptions(app, 1180, 760)
	options.MergeDefaults(opts)
	return app, opts
}

// Security rules 28 and 44 (docs/security.md): the webview never navigates away from the app. By default a
// file or link dropped on the window makes the webview load it.
func TestAppOptionsRefuseDrops(t *testing.T) {
	_, opts := testOptions(t)
	dd := opts.DragAndDrop
	if dd == nil {
		t.Fatal("DragAndDrop is nil: the webview's own drop handling stays on and a dropped file or link replaces the app")
	}
	if !dd.DisableWebViewDrop {
		t.Error("DragAndDrop.DisableWebViewDrop is false: a file or link dropped on the window navigates the webview away from the app")
	}
	if dd.EnableFileDrop {
		t.Error("DragAndDrop.EnableFileDrop is true: the app takes no dropped files, so Wails must not collect their paths")
	}
}

func TestAppOptionsSingleInstance(t *testing.T) {
	_, opts := testOptions(t)
	lock := opts.SingleInstanceLock
	if lock == nil {
		t.Fatal("SingleInstanceLock is nil: a second launch would open a second window on the same profiles and keychain entries")
	}
	if lock.UniqueId != "dev.pkce-desk.app" {
		t.Errorf("SingleInstanceLock.UniqueId = %q, want dev.pkce-desk.app (changing it lets an old and a new version run side by side)", lock.UniqueId)
	}
	if lock.OnSecondInstanceLaunch == nil {
		t.Error("SingleInstanceLock.OnSecondInstanceLaunch is nil: a second launch would leave the running window hidden")
	}
}

func TestAppOptionsLinux(t *testing.T) {
	_, opts := testOptions(t)
	if opts.Linux == nil {
		t.Fatal("Linux options are nil")
	}
	if got := opts.Linux.WebviewGpuPolicy; got != linux.WebviewGpuPolicyNever {
		t.Errorf("Linux.WebviewGpuPolicy = %v, want WebviewGpuPolicyNever (%v): OnDemand costs memory and launch time for no gain", got, linux.WebviewGpuPolicyNever)
	}
	if len(opts.Linux.Icon) == 0 {
		t.Error("Linux.Icon is empty: the embedded build/appicon.png did not reach the window")
	}
	if opts.Linux.ProgramName != "pkce-desk" {
		t.Errorf("Linux.ProgramName = %q, want pkce-desk (the app id the desktop entry build/linux/io.github.pkcedesk.PKCEDesk.desktop names)", opts.Linux.ProgramName)
	}
}

func TestAppOptionsWindow(t *testing.T) {
	app, opts := testOptions(t)
	if opts.Width != 1180 || opts.Height != 760 {
		t.Errorf("size %d×%d, want the 1180×760 passed in", opts.Width, opts.Height)
	}
	if opts.AssetServer == nil || opts.AssetServer.Assets == nil {
		t.Error("no AssetServer.Assets: the window would not serve the embedded frontend")
	}
	if len(opts.Bind) != 1 || opts.Bind[0] != app {
		t.Errorf("Bind = %v, want exactly the App", opts.Bind)
	}
	if opts.OnStartup == nil || opts.OnBeforeClose == nil || opts.OnShutdown == nil {
		t.Error("a lifecycle hook is nil: the App must see start-up, close (to remember the size) and shutdown")
	}
}
