// Package ui holds browser end-to-end tests of the real PKCE Desk UI: the
// dev-tagged app serves the built frontend with its live Go bindings, and
// headless Chromium drives the page (see package harness).
package ui

import (
	"context"
	"image/png"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pkcedesk/e2e/harness"
)

// appInfo mirrors the fields of view.AppInfo this test reads.
type appInfo struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// TestShell loads the UI, waits for the app shell, calls a Go binding through
// the page and checks it reaches the real App (the version injected with
// -ldflags), and saves build/artifacts/ui-shell.png.
func TestShell(t *testing.T) {
	env := harness.Start(t, harness.Options{})
	ctx, cancel := context.WithTimeout(env.Browser.Ctx, 60*time.Second)
	defer cancel()

	if err := chromedp.Do(ctx, chromedp.Navigate(env.App.URL)); err != nil {
		t.Fatalf("load %s: %v", env.App.URL, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.title === "PKCE Desk"`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		title, _ := chromedp.Run(ctx, chromedp.Title())
		t.Fatalf("page title is %q, want \"PKCE Desk\": %v", title, err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`aside.sidebar, [data-testid="sidebar"]`))); err != nil {
		t.Fatalf("the sidebar never became visible: %v", err)
	}
	// The profile list comes from Go (App.Profiles): the built-in demo is always there.
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`[data-testid="profile-item"]`))); err != nil {
		t.Fatalf("the sidebar lists no profile (the built-in demo should always be there): %v", err)
	}

	info, err := chromedp.Run(ctx, chromedp.Evaluate[appInfo](`window.go.main.App.Info()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("call window.go.main.App.Info() through the page: %v", err)
	}
	if info.Version != env.App.Version {
		t.Errorf("Info().version = %q, want %q (the main.version the binary was built with)", info.Version, env.App.Version)
	}
	if info.Name != "PKCE Desk" {
		t.Errorf("Info().name = %q, want \"PKCE Desk\"", info.Name)
	}

	path := env.Browser.Screenshot(t, "ui-shell.png")
	assertNotBlank(t, path)
	if !env.App.Running() {
		t.Errorf("the app exited during the test")
	}
}

// assertNotBlank fails t when the PNG at path is a single flat colour.
func assertNotBlank(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	b := img.Bounds()
	first := img.At(b.Min.X, b.Min.Y)
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			if img.At(x, y) != first {
				return
			}
		}
	}
	t.Errorf("%s is one flat colour: the UI did not render", path)
}
