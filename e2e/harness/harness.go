// Package harness is the one test harness of the e2e module: everything the
// browser tests of the real UI (e2e/ui), the demo provider through Chromium
// (e2e/chromium) and the real-provider tests (e2e/providers) start, drive and
// stop.
//
//   - The app: the dev-tagged PKCE Desk under a private Xvfb display and D-Bus
//     session bus, serving its UI and live Go bindings on a loopback port
//     (StartApp, Start), and the plain headless binary (PlainBinary) with its
//     `demo-provider` (StartExternalProvider).
//   - Browsers: headless Chromium (NewBrowser) for the app page, and two
//     stand-ins for the person at the system browser — SystemBrowser clicks
//     through the demo provider's pages in a real Chromium tab, FormBrowser
//     (an HTTP client over pkcedesk/internal/browserbot) fills and submits any
//     provider's HTML forms.
//   - The "system browser" the app or CLI opens: Opener, a stand-in xdg-open
//     (also usable as $BROWSER) that hands each URL to the test.
//   - A real keychain: KeyringSession (D-Bus session bus and gnome-keyring).
//   - Real providers: Ory Hydra with its login/consent app (StartHydra) and
//     zitadel/oidc's example OP (StartZitadelOP).
//
// Every process it starts is a Process in its own process group, tied to the
// test through t.Cleanup or an explicit Stop and stopped by PID, pass or fail;
// Main (call it from TestMain) also stops them on SIGINT/SIGTERM and records
// their PIDs where e2e/providers/run.sh can reach them. Nothing binds anything
// but 127.0.0.1, and launched apps get fresh HOME and XDG folders, so a test
// never touches the user's configuration or keychain.
//
// Environment (see env.go; all optional, scripts/test.sh sets them):
//
//	PKCE_DESK_DEV_BIN            use this dev-tagged binary instead of building one
//	PKCE_DESK_VERSION            the main.version the binaries were built with
//	PKCE_DESK_PLAIN_BIN          use this plain (no tags, no cgo) binary instead of building one
//	PKCE_DESK_CHROMIUM           the Chromium executable (default: chromium on PATH)
//	PKCE_DESK_HYDRA_BIN          the Hydra binary (default: the cached build of HydraVersion)
//	PKCE_DESK_ZITADELOP_BIN      the built e2e/tools/zitadelop
//	PKCE_DESK_CACHE              the machine cache (default ~/.cache/pkce-desk)
//	PKCE_DESK_REQUIRE_PROVIDERS  "1": a missing provider binary fails instead of skipping
//	PKCE_DESK_PIDDIR             record every started process's PID here as an empty file
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
