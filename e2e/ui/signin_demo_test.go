package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pkcedesk/e2e/ui/harness"
)

// TestSignInDemoThroughStandInBrowser signs in to the built-in demo provider
// the way a person would: Sign in in the app, the app opens the authorization
// URL in the "system browser" (the harness's stand-in xdg-open hands it to
// the test), a second Chromium tab plays that browser (pick a user, allow),
// the provider redirects to the app's loopback listener, and the app's UI
// reports "signed in". Saves build/artifacts/ui-signed-in.png.
func TestSignInDemoThroughStandInBrowser(t *testing.T) {
	env := harness.Start(t, harness.Options{})
	ctx, cancel := context.WithTimeout(env.Browser.Ctx, 90*time.Second)
	defer cancel()

	if err := chromedp.Do(ctx,
		chromedp.Navigate(env.App.URL),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="profile-item"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="profile-item"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="signin-button"]`)),
	); err != nil {
		t.Fatalf("select the demo profile and press Sign in: %v", err)
	}

	openCtx, cancelOpen := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancelOpen()
	authURL, err := env.Opener.Next(openCtx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(authURL, "http://127.0.0.1:") || !strings.Contains(authURL, "code_challenge_method=S256") {
		t.Fatalf("the app opened %q, want the demo provider's loopback authorization URL with PKCE S256", authURL)
	}

	// The "system browser": a second tab of the same headless Chromium.
	tab, closeTab := chromedp.NewContext(env.Browser.Ctx)
	defer closeTab()
	tabCtx, cancelTab := context.WithTimeout(tab, 60*time.Second)
	defer cancelTab()
	if err := chromedp.Do(tabCtx,
		chromedp.Navigate(authURL),
		chromedp.Click(chromedp.CSS(`input[name="user"][value="alice"]`)),
		chromedp.Click(chromedp.CSS(`button[value="continue"]`)),
		chromedp.WaitVisible(chromedp.CSS(`button[value="allow"]`)),
		chromedp.Click(chromedp.CSS(`button[value="allow"]`)),
	); err != nil {
		loc, _ := chromedp.Run(tab, chromedp.Location())
		t.Fatalf("sign in at the demo provider (browser at %s): %v", loc, err)
	}

	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](
		`document.querySelector('[data-testid="status-text"]')?.dataset.status === "signed_in"`,
		chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		status, _ := chromedp.Run(ctx, chromedp.Evaluate[string](
			`document.querySelector('[data-testid="status-text"]')?.textContent ?? "(no status)"`))
		t.Fatalf("the app did not report signed in (status %q): %v", strings.TrimSpace(status), err)
	}
	env.Browser.Screenshot(t, "ui-signed-in.png")
}
