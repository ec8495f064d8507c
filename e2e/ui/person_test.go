package ui

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"pkcedesk/e2e/harness"
)

// person is someone at a browser of their own — a second device for a
// device sign-in, or the system browser of a computer whose browser cannot
// reach the app's loopback listener: a real Chromium tab in its own browser
// context (its own cookies, apart from the app's tab) that answers the demo
// provider's plain forms by clicking: the device page's Continue (the code
// prefilled from verification_uri_complete), the login page's user, the
// consent page's decision.
//
// With blockLoopback it plays a browser that cannot deliver the redirect:
// every request to a loopback /callback fails as if nothing listened, and
// the address it was sent to — what the address bar then shows — is kept
// for the test to paste.
type person struct {
	t        *testing.T
	tab      context.Context
	user     string
	decision string

	navs chan struct{} // one per main-frame navigation

	mu      sync.Mutex
	blocked []string // loopback callback URLs the browser could not deliver
}

// personState is what the person reads from the page in front of them.
type personState struct {
	Href       string `json:"href"`
	Text       string `json:"text"`
	Ready      bool   `json:"ready"`
	HasCode    bool   `json:"hasCode"`
	HasUsers   bool   `json:"hasUsers"`
	HasConsent bool   `json:"hasConsent"`
}

const personReadJS = `(() => ({
	href: location.href,
	text: (document.body ? document.body.innerText : '').slice(0, 4000),
	ready: document.readyState === 'complete',
	hasCode: !!document.querySelector('form input[name=user_code]') && !!document.querySelector('form button[name=action][value=continue]'),
	hasUsers: !!document.querySelector('form input[type=radio][name=user]'),
	hasConsent: !!document.querySelector('form button[name=decision]'),
}))()`

// newPerson opens the person's tab in a new browser context of env's
// Chromium; it closes when t ends.
func newPerson(t *testing.T, env *harness.Env, user, decision string) *person {
	t.Helper()
	tab, cancel := chromedp.NewContext(env.Browser.Ctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	started := make(chan error, 1)
	// The first run creates the tab and must carry no timeout (it would bound the tab's life).
	go func() { started <- chromedp.Do(tab, chromedp.EmulateViewport(1024, 768)) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("open the person's browser tab: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the person's browser tab did not open within 30 s")
	}
	p := &person{t: t, tab: tab, user: user, decision: decision, navs: make(chan struct{}, 64)}
	paused := make(chan *fetch.EventRequestPaused, 16)
	if err := chromedp.Listen(tab, func(ev any) {
		switch e := ev.(type) {
		case *page.EventFrameNavigated:
			if e.Frame != nil && e.Frame.ParentID == "" {
				select {
				case p.navs <- struct{}{}:
				default:
				}
			}
		case *fetch.EventRequestPaused:
			select {
			case paused <- e:
			default:
			}
		}
	}); err != nil {
		t.Fatalf("listen to the person's tab: %v", err)
	}
	go func() {
		for {
			select {
			case <-tab.Done():
				return
			case e := <-paused:
				// The pattern's wildcards also match the authorization request
				// (its redirect_uri parameter names the callback): only the
				// redirect itself fails.
				u, err := url.Parse(e.Request.URL)
				callback := err == nil && u.Path == "/callback"
				if callback {
					p.mu.Lock()
					p.blocked = append(p.blocked, e.Request.URL)
					p.mu.Unlock()
				}
				ctx, cancel := context.WithTimeout(tab, 10*time.Second)
				_, _ = chromedp.Run(ctx, chromedp.Action[cdp.Empty](func(ctx context.Context, tt *chromedp.Target) (cdp.Empty, error) {
					if !callback {
						return cdp.Call(ctx, tt, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: e.RequestID})
					}
					return cdp.Call(ctx, tt, fetch.FailRequest, fetch.FailRequestParams{RequestID: e.RequestID, ErrorReason: network.ErrorReasonConnectionRefused})
				}))
				cancel()
			}
		}
	}()
	return p
}

// blockLoopback makes every request to a loopback /callback fail as
// "connection refused", as when the browser runs on another machine than
// the app (a remote desktop) or a firewall stands between them.
func (p *person) blockLoopback() {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.tab, step)
	defer cancel()
	patterns := []*fetch.RequestPattern{{URLPattern: "http://127.0.0.1:*/callback*"}, {URLPattern: "http://[::1]:*/callback*"}}
	if _, err := chromedp.Run(ctx, chromedp.Action[cdp.Empty](func(ctx context.Context, tt *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, tt, fetch.Enable, fetch.EnableParams{Patterns: patterns})
	})); err != nil {
		p.t.Fatalf("block the loopback callback in the person's browser: %v", err)
	}
}

// undelivered is the last loopback callback URL the browser could not
// deliver, or "".
func (p *person) undelivered() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.blocked) == 0 {
		return ""
	}
	return p.blocked[len(p.blocked)-1]
}

func (p *person) read(ctx context.Context) (personState, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[personState](personReadJS))
}

// clickAndSettle clicks sel and waits until the main frame navigated (or a
// blocked callback was recorded) and the new page has loaded.
func (p *person) clickAndSettle(ctx context.Context, sel string) error {
	for len(p.navs) > 0 {
		<-p.navs
	}
	before := len(p.blockedCopy())
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
		return fmt.Errorf("click %s: %w", sel, err)
	}
	deadline := time.After(20 * time.Second)
	for navigated := false; !navigated; {
		select {
		case <-p.navs:
			navigated = true
		case <-time.After(100 * time.Millisecond):
			if len(p.blockedCopy()) > before {
				navigated = true
			}
		case <-deadline:
			return fmt.Errorf("clicking %s led nowhere within 20 s", sel)
		}
	}
	for i := 0; i < 100; i++ {
		st, err := p.read(ctx)
		if err == nil && st.Ready {
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("the page after %s did not finish loading", sel)
}

func (p *person) blockedCopy() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.blocked...)
}

// visit opens u and answers the demo provider's pages until one has nothing
// to answer (the result page, the loopback callback, an error) or a
// callback could not be delivered. It returns the last page and the steps
// taken ("device: continue", "login: alice", "consent: allow").
func (p *person) visit(u string) (personState, []string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.tab, 90*time.Second)
	defer cancel()
	for len(p.navs) > 0 {
		<-p.navs
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		p.t.Fatalf("the person's browser could not open %s: %v", harness.RedactURL(mustURL(u)), err)
	}
	var steps []string
	var st personState
	for i := 0; i < 8; i++ {
		var err error
		if st, err = p.read(ctx); err != nil {
			p.t.Fatalf("read the person's page: %v", err)
		}
		switch {
		case p.undelivered() != "":
			return st, steps
		case st.HasCode:
			steps = append(steps, "device: continue")
			err = p.clickAndSettle(ctx, `form button[name=action][value=continue]`)
		case st.HasUsers:
			if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf(`form input[type=radio][name=user][value=%q]`, p.user)))); err != nil {
				p.t.Fatalf("login page: pick %s: %v (page: %s)", p.user, err, oneLine(st.Text))
			}
			steps = append(steps, "login: "+p.user)
			err = p.clickAndSettle(ctx, `form button[type=submit][name=action]`)
		case st.HasConsent:
			steps = append(steps, "consent: "+p.decision)
			err = p.clickAndSettle(ctx, fmt.Sprintf(`form button[name=decision][value=%q]`, p.decision))
		default:
			return st, steps
		}
		if err != nil {
			p.t.Fatalf("the person's browser: %v (steps %q, page %s: %s)", err, steps, harness.RedactURL(mustURL(st.Href)), oneLine(st.Text))
		}
	}
	p.t.Fatalf("the person clicked through %q and never reached an end page (last: %s)", steps, oneLine(st.Text))
	return st, steps
}

// screenshot saves the person's viewport to build/artifacts/name.
func (p *person) screenshot(name string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.tab, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", name, err)
	}
	path := harness.ArtifactPath(p.t, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		p.t.Fatalf("save %s: %v", name, err)
	}
	p.t.Logf("screenshot: %s", path)
}

func mustURL(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err != nil {
		return &url.URL{Opaque: "(unparsable)"}
	}
	return u
}

// withQuery returns raw with the query parameter name set to value.
func withQuery(t *testing.T, raw, name, value string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %q: %v", harness.RedactURL(mustURL(raw)), err)
	}
	q := u.Query()
	q.Set(name, value)
	u.RawQuery = q.Encode()
	return u.String()
}

// demoIssuer waits for the built-in demo provider and returns its issuer.
func demoIssuer(p appPage) string {
	p.t.Helper()
	p.waitAsync("the demo provider to start",
		fmt.Sprintf(`window.go.main.App.Profiles().then(ps => ps.some(p => p.builtIn && p.issuer && p.issuer !== %q))`, demoIssuerPlaceholder),
		30*time.Second)
	var demo profileInfo
	p.evalInto(`window.go.main.App.Profiles().then(ps => ps.find(p => p.builtIn && p.id === 'demo') || ps.find(p => p.builtIn))`, &demo)
	if !strings.HasPrefix(demo.Issuer, "http://127.0.0.1:") {
		p.t.Fatalf("the demo provider's issuer is %q, want http://127.0.0.1:PORT…", demo.Issuer)
	}
	return demo.Issuer
}
