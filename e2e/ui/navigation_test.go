package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"pkcedesk/e2e/ui/harness"
)

// TestLinksNeverNavigateTheWebview is SECURITY 28: a click on a link in the
// UI leaves the app page where it is and hands http(s) URLs to the system
// browser (the stand-in xdg-open); other schemes and relative links go
// nowhere.
func TestLinksNeverNavigateTheWebview(t *testing.T) {
	env := harness.Start(t, harness.Options{}) // opened URLs queue for Opener.Next
	p := appPage{t: t, env: env}
	p.load()
	start := p.eval(`location.href`)

	links := []struct{ id, href string }{
		{"link-https", "https://docs.example.test/pkce?x=1"},
		{"link-relative", "/somewhere-else"},
		{"link-js", "javascript:window.__navJS=1"},
		{"link-file", "file:///etc/passwd"},
	}
	for _, l := range links {
		p.evalInto(fmt.Sprintf(`(() => {
			const a = document.createElement('a');
			a.href = %q; a.textContent = %q; a.dataset.testid = %q;
			a.style.cssText = 'position:fixed;top:8px;left:300px;z-index:9999;background:#fff;padding:4px';
			document.body.appendChild(a);
			return true;
		})()`, l.href, l.id, l.id), new(bool))
		p.click(testid(l.id))
		time.Sleep(300 * time.Millisecond) // a navigation would have started by now
		if got := p.eval(`location.href`); got != start {
			t.Fatalf("clicking %s navigated the app page to %q", l.href, got)
		}
		p.eval(fmt.Sprintf(`document.querySelector(%q).remove(), ''`, testid(l.id)))
	}
	if got := p.eval(`String(window.__navJS ?? '')`); got != "" {
		t.Errorf("a javascript: link ran (window.__navJS = %s)", got)
	}

	// Only the https link reached the system browser, exactly as written.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, err := env.Opener.Next(ctx)
	if err != nil {
		t.Fatalf("the https link never reached the system browser: %v", err)
	}
	if got != links[0].href {
		t.Errorf("the system browser was asked to open %q, want %q", got, links[0].href)
	}
	more, cancel2 := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel2()
	if extra, err := env.Opener.Next(more); err == nil {
		t.Errorf("the system browser was also asked to open %q; only http(s) links belong there", extra)
	}
	if !env.App.Running() {
		t.Errorf("the app exited during the test")
	}
}
