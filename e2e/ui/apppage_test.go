package ui

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pkcedesk/e2e/harness"
)

// appPage drives the app's UI in the harness's Chromium tab. Every method
// bounds its own wait and fails the test with what it was waiting for.
type appPage struct {
	t   *testing.T
	env *harness.Env
}

// step bounds one UI action; waits for the network (sign-in, refresh) use
// longer bounds of their own.
const step = 20 * time.Second

func (p appPage) ctx(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.env.Browser.Ctx, d)
}

// testid is the CSS selector of a data-testid.
func testid(id string) string { return fmt.Sprintf(`[data-testid=%q]`, id) }

// load opens the UI and waits for the sidebar's profile list from Go.
func (p appPage) load() {
	p.t.Helper()
	ctx, cancel := p.ctx(60 * time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(p.env.App.URL)); err != nil {
		p.t.Fatalf("load %s: %v", p.env.App.URL, err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(testid("profile-item")))); err != nil {
		p.t.Fatalf("the sidebar never listed a profile: %v", err)
	}
}

// click clicks the first element matching css once it is visible.
func (p appPage) click(css string) {
	p.t.Helper()
	ctx, cancel := p.ctx(step)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(css))); err != nil {
		p.t.Fatalf("click %s: %v", css, err)
	}
}

// typeInto replaces the text of the input matching css by typing value, so
// the page sees real key and input events.
func (p appPage) typeInto(css, value string) {
	p.t.Helper()
	ctx, cancel := p.ctx(step)
	defer cancel()
	sel := fmt.Sprintf(`document.querySelector(%q)`, css)
	if err := chromedp.Do(ctx,
		chromedp.WaitVisible(chromedp.CSS(css)),
		chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Evaluate[bool](sel+`.focus() || `+sel+`.select() || true`)(ctx, t)
			return err
		}),
		chromedp.SendKeys(chromedp.CSS(css), value),
	); err != nil {
		p.t.Fatalf("type into %s: %v", css, err)
	}
	got := p.eval(sel + `.value`)
	if got != value {
		p.t.Fatalf("typed %q into %s but it holds %q", value, css, got)
	}
}

// eval evaluates a JavaScript expression (awaiting a promise) and returns
// its value as a string (JSON for objects).
func (p appPage) eval(expr string) string {
	p.t.Helper()
	var raw json.RawMessage
	p.evalInto(expr, &raw)
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// evalInto evaluates expr (awaiting a promise) and decodes the value into out.
func (p appPage) evalInto(expr string, out any) {
	p.t.Helper()
	ctx, cancel := p.ctx(step)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluate %s: %v", expr, err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		p.t.Fatalf("evaluate %s: decode %s: %v", expr, raw, err)
	}
}

// waitJS waits until the JavaScript expression is truthy, polling every
// 100 ms for at most d. what says what the test waits for.
func (p appPage) waitJS(what, expr string, d time.Duration) {
	p.t.Helper()
	ctx, cancel := p.ctx(d + 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[any](expr,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(d))); err != nil {
		p.t.Fatalf("waited %s for %s (%s): %v\nstatus line: %q", d, what, expr, err, p.statusText())
	}
}

// waitAsync waits until an async JavaScript expression (such as a binding
// call) yields true, asking every 200 ms for at most d.
func (p appPage) waitAsync(what, expr string, d time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(d)
	var last string
	for time.Now().Before(deadline) {
		ctx, cancel := p.ctx(step)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr, chromedp.EvalAwaitPromise))
		cancel()
		if err == nil && ok {
			return
		}
		last = fmt.Sprint(err)
		time.Sleep(200 * time.Millisecond)
	}
	p.t.Fatalf("waited %s for %s (%s); last error: %s; status line: %q", d, what, expr, last, p.statusText())
}

// text is the visible text of the first element matching css, with
// whitespace (including no-break spaces) collapsed.
func (p appPage) text(css string) string {
	p.t.Helper()
	ctx, cancel := p.ctx(step)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
		`(() => { const e = document.querySelector(%q); return e ? e.innerText : '<missing>'; })()`, css)))
	if err != nil {
		p.t.Fatalf("read the text of %s: %v", css, err)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// textContent is the textContent of the first element matching css (text
// in hidden parts included), or "<missing>".
func (p appPage) textContent(css string) string {
	p.t.Helper()
	return p.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e ? e.textContent : '<missing>'; })()`, css))
}

// statusText is the header's status line, for failure messages.
func (p appPage) statusText() string {
	ctx, cancel := p.ctx(5 * time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`(() => { const e = document.querySelector('[data-testid="status-text"]'); return e ? e.getAttribute('data-status') + ': ' + e.innerText : '(no status line)'; })()`))
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return strings.ReplaceAll(s, "\u00a0", " ")
}

// waitStatus waits until the header shows the session status (data-status).
func (p appPage) waitStatus(status string, d time.Duration) {
	p.t.Helper()
	p.waitJS("status "+status, fmt.Sprintf(
		`document.querySelector('[data-testid="status-text"]')?.getAttribute('data-status') === %q`, status), d)
}

// screenshot saves the viewport to build/artifacts/name and checks it is
// not blank.
func (p appPage) screenshot(name string) string {
	p.t.Helper()
	// Let transitions and the 1 s clock settle so the picture is what a person sees.
	time.Sleep(300 * time.Millisecond)
	path := p.env.Browser.Screenshot(p.t, name)
	assertNotBlank(p.t, path)
	p.t.Logf("screenshot: %s", path)
	return path
}

// viewport sets the page's size, as if the window were resized.
func (p appPage) viewport(w, h int64) {
	p.t.Helper()
	ctx, cancel := p.ctx(step)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h)); err != nil {
		p.t.Fatalf("resize the viewport to %d×%d: %v", w, h, err)
	}
}

// nextVisit waits for the system browser to finish the sign-in page the
// app opened, and fails the test unless it reached the loopback callback.
func nextVisit(t *testing.T, sb *harness.SystemBrowser, d time.Duration) harness.Visit {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	v, err := sb.Next(ctx)
	if err != nil {
		t.Fatalf("the app did not open a sign-in page in the system browser (or the visit hung): %v", err)
	}
	if v.Err != nil || !v.AtCallback {
		t.Fatalf("the system browser did not get through the sign-in to the loopback callback: %v\nvisit: %s", v.Err, v)
	}
	return v
}

// nextAnyVisit waits for the system browser's next finished visit,
// wherever it ended.
func nextAnyVisit(t *testing.T, sb *harness.SystemBrowser, d time.Duration) harness.Visit {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	v, err := sb.Next(ctx)
	if err != nil {
		t.Fatalf("the app opened nothing more in the system browser: %v", err)
	}
	return v
}

// saveProfile saves an OpenID Connect profile for a public client through
// the bindings (App.SaveProfile) and returns its id.
func (p appPage) saveProfile(name, issuer, clientID, apiBase string) string {
	p.t.Helper()
	var res struct {
		Profile profileInfo `json:"profile"`
		Errors  []struct {
			Field, Message string
		} `json:"errors"`
	}
	p.evalInto(fmt.Sprintf(`window.go.main.App.SaveProfile({name: %q, issuer: %q, clientId: %q,
		authMethod: "none", scopes: ["openid", "profile", "email"], params: [], endpoints: {},
		redirectHost: "127.0.0.1", redirectPath: "/callback", timeoutSeconds: 60, apiBase: %q})`,
		name, issuer, clientID, apiBase), &res)
	if len(res.Errors) > 0 || res.Profile.ID == "" {
		p.t.Fatalf("SaveProfile refused profile %q: %+v", name, res.Errors)
	}
	return res.Profile.ID
}

// selectProfile clicks the profile's sidebar entry once it is listed and
// waits for its signed-out header.
func (p appPage) selectProfile(id string) {
	p.t.Helper()
	p.selectProfileWithStatus(id, "signed_out")
}

// selectProfileWithStatus clicks the profile's sidebar entry once it is
// listed and waits until its header shows status.
func (p appPage) selectProfileWithStatus(id, status string) {
	p.t.Helper()
	item := fmt.Sprintf(`[data-testid="profile-item"][data-profile-id=%q]`, id)
	p.waitJS("profile "+id+" in the sidebar", fmt.Sprintf(`!!document.querySelector(%q)`, item), step)
	p.click(item)
	p.waitJS("profile "+id+" to be selected", fmt.Sprintf(`document.querySelector(%q)?.getAttribute('aria-current') === 'page'`, item), step)
	p.waitStatus(status, step)
}
