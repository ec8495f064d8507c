package harness

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser is a headless Chromium tab. Ctx is a chromedp context: pass it (or
// a context.WithTimeout of it) to chromedp.Run and chromedp.Do.
type Browser struct {
	Ctx context.Context
}

// chromiumPath finds the browser: $PKCE_DESK_CHROMIUM, else chromium or
// chromium-browser on PATH (never a downloaded copy).
func chromiumPath() (string, error) {
	if p := os.Getenv(EnvChromium); p != "" {
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no chromium on PATH: apt-get install chromium, or set %s", EnvChromium)
}

// NewBrowser starts headless Chromium with a fresh profile and the flags that
// keep it off the network on its own (no sync, no component updates, no QUIC),
// opens one tab with a 1280×800 viewport (the app's default window size), and
// closes the browser when t ends.
func NewBrowser(t testing.TB) *Browser {
	t.Helper()
	exe, err := chromiumPath()
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first run starts the browser and must not carry a timeout (it
	// would bound the browser's life), so bound it from outside instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start chromium: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("chromium did not start within 60 s")
	}
	return &Browser{Ctx: ctx}
}

// Screenshot saves a PNG of the tab's viewport to build/artifacts/name and
// returns its path.
func (b *Browser) Screenshot(t testing.TB, name string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.Ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := ArtifactPath(t, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("save screenshot: %v", err)
	}
	return path
}
