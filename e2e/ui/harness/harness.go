// Package harness runs the real PKCE Desk UI for browser tests: the dev-tagged
// app under a private Xvfb display and D-Bus session bus, serving its UI and
// live Go bindings on a loopback port, with headless Chromium driving the page.
//
// Every process it starts is tied to the test through t.Cleanup and is stopped
// by PID (or its own process group) when the test ends, pass or fail. Nothing
// binds anything but 127.0.0.1, and the app gets fresh HOME and XDG folders, so
// a test never touches the user's configuration or keychain.
//
// The app's "system browser" is a stand-in (see Opener): URLs the app opens,
// such as the authorization request of a sign-in, go to a handler the test
// controls instead of a real browser.
//
// Environment:
//
//	PKCEDESK_DEV_BIN   use this dev-tagged binary instead of building one
//	PKCEDESK_VERSION   the version that binary was built with (main.version)
//	PKCEDESK_CHROMIUM  the Chromium executable (default: chromium on PATH)
package harness

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Env is a running UI under test: the app and a browser tab pointed at nothing
// yet. Navigate the tab to App.URL to load the UI.
type Env struct {
	// App is the dev-tagged app process and its dev server.
	App *App
	// Browser is a headless Chromium tab (a chromedp context).
	Browser *Browser
	// Opener receives every URL the app asks the system browser to open.
	Opener *Opener
	// Display is the private X display the app's window lives on.
	Display *Xvfb
}

// Options adjust Start. The zero value is a complete setup.
type Options struct {
	// OnOpenURL handles URLs the app opens in the "system browser". When nil
	// they are queued and read with Opener.Next.
	OnOpenURL func(url string)
	// ExtraEnv is added to the app's environment (NAME=value).
	ExtraEnv []string
}

// Start brings up everything a UI test needs — display, stand-in browser
// opener, the dev app, headless Chromium — and stops it all when t ends.
// It fails t (t.Fatal) if any part does not come up within its bound.
func Start(t testing.TB, opts Options) *Env {
	t.Helper()
	bin, version := DevBinary(t)
	display := StartXvfb(t)
	opener := NewOpener(t, opts.OnOpenURL)
	app := StartApp(t, AppOptions{
		Binary:  bin,
		Version: version,
		Display: display.Name,
		Opener:  opener,
		Env:     opts.ExtraEnv,
	})
	return &Env{App: app, Browser: NewBrowser(t), Opener: opener, Display: display}
}

var (
	rootOnce sync.Once
	rootDir  string
	rootErr  error
)

// RepoRoot returns the repository root: the nearest parent directory of the
// working directory whose go.mod declares module pkcedesk.
func RepoRoot() (string, error) {
	rootOnce.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			rootErr = err
			return
		}
		for {
			data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
			if err == nil && strings.HasPrefix(strings.TrimSpace(string(data)), "module pkcedesk\n") {
				rootDir = dir
				return
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				rootErr = fmt.Errorf("no parent directory holds the pkcedesk go.mod: run the tests inside the repository")
				return
			}
			dir = parent
		}
	})
	return rootDir, rootErr
}

// ArtifactPath returns build/artifacts/name under the repository root,
// creating the folder. Screenshots and logs that outlive the test go there.
func ArtifactPath(t testing.TB, name string) string {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "build", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("create artifacts folder: %v", err)
	}
	return filepath.Join(dir, name)
}
