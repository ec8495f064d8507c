package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pkcedesk/e2e/harness"
)

// recordClicksJS installs a listener that sees every click on a link before
// the app does (capture on window runs first) and, once the click's
// dispatch is over, records whether the app cancelled its default action —
// the navigation. Each click is waited for through that record: a positive
// signal that the click was handled, whatever the app did with it.
const recordClicksJS = `(() => {
	window.__clicks = [];
	window.addEventListener('click', (e) => {
		const a = e.target && e.target.closest && e.target.closest('a[href]');
		if (!a) return;
		setTimeout(() => window.__clicks.push({ id: a.dataset.testid || '', prevented: e.defaultPrevented }), 0);
	}, true);
	return true;
})()`

// TestLinksNeverNavigateTheWebview is SECURITY 28: a click on a link in the
// UI leaves the app page where it is and hands http(s) URLs to the system
// browser (the stand-in xdg-open); other schemes and relative links go
// nowhere.
func TestLinksNeverNavigateTheWebview(t *testing.T) {
	env := harness.Start(t, harness.Options{}) // opened URLs queue for Opener.Next
	p := appPage{t: t, env: env}
	p.load()
	assertLinksNeverNavigate(t, env, p)
}

// assertLinksNeverNavigate clicks links of every kind on the loaded app
// page and fails t unless each click was cancelled, the page stayed, and
// exactly the http(s) ones reached the system browser, in order.
func assertLinksNeverNavigate(t *testing.T, env *harness.Env, p appPage) {
	t.Helper()
	start := p.eval(`location.href`)
	p.evalInto(recordClicksJS, new(bool))

	// The last https link is a barrier: the stand-in hands URLs over in the
	// order they were opened, so if any link before it had reached the
	// system browser, that URL would come out of Opener.Next first.
	links := []struct {
		id, href string
		opens    bool // must reach the system browser, exactly as written
	}{
		{"link-https", "https://docs.example.test/pkce?x=1", true},
		{"link-relative", "/somewhere-else", false},
		{"link-js", "javascript:window.__navJS=1", false},
		{"link-file", "file:///etc/passwd", false},
		{"link-https-last", "https://docs.example.test/end?y=2", true},
	}
	for i, l := range links {
		p.evalInto(fmt.Sprintf(`(() => {
			const a = document.createElement('a');
			a.href = %q; a.textContent = %q; a.dataset.testid = %q;
			a.style.cssText = 'position:fixed;top:8px;left:300px;z-index:9999;background:#fff;padding:4px';
			document.body.appendChild(a);
			return true;
		})()`, l.href, l.id, l.id), new(bool))
		p.click(testid(l.id))
		click := waitClickRecord(t, p, start, i, l.href)
		if click.ID != l.id {
			t.Fatalf("click %d was on %q, want %q", i, click.ID, l.id)
		}
		if !click.Prevented {
			t.Fatalf("the app did not cancel the click on %s: the webview would navigate", l.href)
		}
		if got := p.eval(`location.href`); got != start {
			t.Fatalf("clicking %s navigated the app page to %q", l.href, got)
		}
		if l.opens {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			got, err := env.Opener.Next(ctx)
			cancel()
			if err != nil {
				t.Fatalf("the https link %s never reached the system browser: %v", l.href, err)
			}
			if got != l.href {
				t.Fatalf("the system browser was asked to open %q, want %q (only http(s) links belong there, as written)", got, l.href)
			}
		}
		p.eval(fmt.Sprintf(`document.querySelector(%q).remove(), ''`, testid(l.id)))
	}
	if got := p.eval(`String(window.__navJS ?? '')`); got != "" {
		t.Errorf("a javascript: link ran (window.__navJS = %s)", got)
	}
	if !env.App.Running() {
		t.Errorf("the app exited during the test")
	}
}

// clickRecord is one entry of window.__clicks (see recordClicksJS).
type clickRecord struct {
	ID        string `json:"id"`
	Prevented bool   `json:"prevented"`
}

// waitClickRecord waits (at most step) for the record of click i, and fails
// t at once when the page has left start meanwhile (the click navigated),
// or when the page stops answering (it is being replaced).
func waitClickRecord(t *testing.T, p appPage, start string, i int, href string) clickRecord {
	t.Helper()
	type state struct {
		Href  string       `json:"href"`
		Click *clickRecord `json:"click"`
	}
	expr := fmt.Sprintf(`({ href: location.href, click: (window.__clicks || [])[%d] || null })`, i)
	deadline := time.Now().Add(step)
	for {
		ctx, cancel := p.ctx(5 * time.Second)
		st, err := chromedp.Run(ctx, chromedp.Evaluate[state](expr))
		cancel()
		switch {
		case err == nil && st.Href != start:
			t.Fatalf("clicking %s navigated the app page to %q", href, st.Href)
		case err == nil && st.Click != nil:
			return *st.Click
		case time.Now().After(deadline) && err != nil:
			t.Fatalf("the app page stopped answering after the click on %s (did it navigate away?): %v", href, err)
		case time.Now().After(deadline):
			t.Fatalf("the click on %s never reached the page within %s", href, step)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
