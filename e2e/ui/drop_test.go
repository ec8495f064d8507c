package ui

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"pkcedesk/e2e/harness"
)

// TestDroppedLinkNeverNavigates is SECURITY 28 for drag and drop: the app
// page cancels the real engine's drag of a link from outside (trusted CDP
// drag events), so a drop can never navigate the webview, and it opens
// nothing. Headless Chromium never navigates on a drop by itself, so the
// test reads what the page did: a plain page first shows the same drag
// arriving uncancelled, then the app page must cancel it and stay.
func TestDroppedLinkNeverNavigates(t *testing.T) {
	env := harness.Start(t, harness.Options{})
	p := appPage{t: t, env: env}

	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `<!doctype html><title>plain</title><body style="height:100vh">plain page</body>`)
	})
	srv := httptest.NewUnstartedServer(mux)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	link := srv.URL + "/landed"

	ctx, cancel := p.ctx(30 * time.Second)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	cancel()
	if got := dragSeen(t, p, link); !slices.Contains(got, "dragover:false") {
		t.Fatalf("on a plain page the drag arrived as %q; want an uncancelled dragover (is the CDP drag reaching the page?)", got)
	}

	p.load()
	start := p.eval(`location.href`)
	got := dragSeen(t, p, link)
	if !slices.Contains(got, "dragover:true") || slices.Contains(got, "dragover:false") || slices.Contains(got, "drop:false") {
		t.Errorf("on the app page the drag arrived as %q; want every dragover (and any drop) cancelled", got)
	}
	if now := p.eval(`location.href`); now != start {
		t.Fatalf("a link dropped on the app navigated the webview to %q", now)
	}
	if p.eval(`!!document.querySelector('[data-testid="profile-item"]')`) != "true" {
		t.Fatal("the app's UI is gone after the drop")
	}
	more, cancel2 := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel2()
	if u, err := env.Opener.Next(more); err == nil {
		t.Errorf("a dropped link was handed to the system browser (%q); a drop opens nothing", u)
	}
}

// dragSeen drags link onto the middle of the page and drops it, and returns
// what a bubbling listener on window saw: "type:defaultPrevented" per event.
func dragSeen(t *testing.T, p appPage, link string) []string {
	t.Helper()
	p.eval(`(() => {
		window.__drag = [];
		for (const ty of ['dragover', 'drop']) window.addEventListener(ty, (e) => window.__drag.push(ty + ':' + e.defaultPrevented));
		return '';
	})()`)
	dropLink(t, p, link, 700, 400)
	time.Sleep(500 * time.Millisecond)
	var seen []string
	p.evalInto(`window.__drag || []`, &seen)
	return seen
}

// dropLink drags a link from outside the page and drops it at (x, y), the
// way a person drags one in from another window.
func dropLink(t *testing.T, p appPage, link string, x, y float64) {
	t.Helper()
	data := &input.DragData{
		Items:              []*input.DragDataItem{{MimeType: "text/uri-list", Data: link}, {MimeType: "text/plain", Data: link}},
		DragOperationsMask: 1 | 2 | 16,
	}
	ctx, cancel := p.ctx(step)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for _, typ := range []input.DispatchDragEventType{
			input.DispatchDragEventTypeDragEnter, input.DispatchDragEventTypeDragOver, input.DispatchDragEventTypeDrop,
		} {
			params := input.DispatchDragEventParams{Type: typ, X: x, Y: y, Data: data}
			if _, err := cdp.Call(ctx, tg, input.DispatchDragEvent, params); err != nil {
				return fmt.Errorf("%s: %w", typ, err)
			}
		}
		return nil
	}))
	if err != nil {
		t.Fatalf("drop %s at (%v, %v): %v", link, x, y, err)
	}
}
