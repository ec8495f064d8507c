package harness

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// SystemBrowserOptions say how the stand-in person at the system browser
// answers the demo provider's pages.
type SystemBrowserOptions struct {
	// User is the demo user picked on the login page ("alice" or "bob");
	// default "alice".
	User string
	// Decision is the button pressed on the consent page, "allow" (default)
	// or "deny".
	Decision string
	// CallbackPath is the redirect URI path that ends a visit; default
	// "/callback".
	CallbackPath string
	// VisitTimeout bounds one visit, from the URL to the callback page;
	// default 45 s.
	VisitTimeout time.Duration
}

// Visit is what the system browser did with one URL it was asked to open.
type Visit struct {
	// URL is the URL the app (or CLI) asked to open.
	URL string
	// Final is the location the visit ended at: the loopback callback's
	// result page when the sign-in reached the app.
	Final string
	// Title and Text are the final page's title and visible text (capped).
	Title, Text string
	// Steps lists what the person did, in order, e.g. "login: alice".
	Steps []string
	// AtCallback is true when the visit ended on the loopback redirect URI;
	// false when it ended on another page (such as a provider's "signed
	// out" page) or failed.
	AtCallback bool
	// Err is why the browser could not open a page or click through it, or
	// nil. Ending on a page with nothing to click is not an error.
	Err error
}

// SystemBrowser plays the person at the system browser (RFC 8252 §7): a
// real Chromium tab in its own browser context (its own cookies, apart from
// the tab showing the app) that opens each URL it is given and answers the
// demo provider's no-JavaScript login and consent forms by clicking, until
// the browser lands on the loopback redirect (127.0.0.1 or [::1]).
//
// Open is safe to call from any goroutine and never blocks, so it can be an
// Opener handler; visits run one at a time in the order the URLs came, and
// their outcomes are read with Next.
type SystemBrowser struct {
	opts   SystemBrowserOptions
	urls   chan string
	visits chan Visit
	once   sync.Once
	stop   chan struct{}
	done   chan struct{}
}

// maxQueued bounds the URLs waiting for a visit and the outcomes waiting
// to be read; a test never opens more.
const maxQueued = 16

// NewSystemBrowser makes a system browser that queues URLs until Attach
// gives it a Chromium to drive. Create it first, hand Open to the Opener,
// then Attach once the browser runs.
func NewSystemBrowser(opts SystemBrowserOptions) *SystemBrowser {
	if opts.User == "" {
		opts.User = "alice"
	}
	if opts.Decision == "" {
		opts.Decision = "allow"
	}
	if opts.CallbackPath == "" {
		opts.CallbackPath = "/callback"
	}
	if opts.VisitTimeout == 0 {
		opts.VisitTimeout = 45 * time.Second
	}
	return &SystemBrowser{
		opts:   opts,
		urls:   make(chan string, maxQueued),
		visits: make(chan Visit, maxQueued),
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
}

// Open queues url for a visit. It never blocks: past maxQueued waiting URLs
// the URL is reported as a failed Visit instead.
func (s *SystemBrowser) Open(url string) {
	select {
	case s.urls <- url:
	default:
		s.report(Visit{URL: url, Err: errors.New("the system browser already has too many pages queued")})
	}
}

// Next returns the outcome of the next finished visit, or an error when ctx
// ends first (then nothing was opened, or the visit is still running).
func (s *SystemBrowser) Next(ctx context.Context) (Visit, error) {
	select {
	case v := <-s.visits:
		return v, nil
	case <-ctx.Done():
		return Visit{}, fmt.Errorf("the system browser finished no visit: %w", ctx.Err())
	}
}

// Attach opens the system browser's tab in a new browser context of b and
// starts visiting queued URLs. Everything stops when t ends. Call it once.
func (s *SystemBrowser) Attach(t testing.TB, b *Browser) {
	t.Helper()
	attached := false
	s.once.Do(func() {
		attached = true
		tab, cancel := chromedp.NewContext(b.Ctx, chromedp.WithNewBrowserContext())
		// The first run creates the tab and must not carry a timeout (it
		// would bound the tab's life), so bound it from outside.
		started := make(chan error, 1)
		go func() { started <- chromedp.Do(tab, chromedp.EmulateViewport(1024, 768)) }()
		select {
		case err := <-started:
			if err != nil {
				cancel()
				t.Fatalf("open the system browser's tab: %v", err)
			}
		case <-time.After(30 * time.Second):
			cancel()
			t.Fatal("the system browser's tab did not open within 30 s")
		}
		go s.run(tab)
		t.Cleanup(func() {
			close(s.stop)
			<-s.done
			cancel()
		})
	})
	if !attached {
		t.Fatal("SystemBrowser.Attach called twice")
	}
}

// run visits queued URLs until stop.
func (s *SystemBrowser) run(tab context.Context) {
	defer close(s.done)
	for {
		select {
		case <-s.stop:
			return
		case u := <-s.urls:
			ctx, cancel := context.WithTimeout(tab, s.opts.VisitTimeout)
			v := s.visit(ctx, u)
			cancel()
			s.report(v)
		}
	}
}

func (s *SystemBrowser) report(v Visit) {
	select {
	case s.visits <- v:
	default: // nobody reads this many outcomes; the test already failed
	}
}

// pageState is what the visit reads from the current page.
type pageState struct {
	Href       string `json:"href"`
	Title      string `json:"title"`
	Text       string `json:"text"`
	HasUsers   bool   `json:"hasUsers"`
	HasConsent bool   `json:"hasConsent"`
}

const readPageJS = `(() => ({
	href: location.href,
	title: document.title,
	text: (document.body ? document.body.innerText : '').slice(0, 4000),
	hasUsers: !!document.querySelector('form input[type=radio][name=user]'),
	hasConsent: !!document.querySelector('form button[name=decision]'),
}))()`

// maxSteps bounds the pages one visit clicks through (login, consent, and
// a retry of either).
const maxSteps = 6

// visit opens u and clicks through the demo provider's pages until the
// loopback callback answers, a page it does not know shows, or ctx ends.
func (s *SystemBrowser) visit(ctx context.Context, u string) Visit {
	v := Visit{URL: u}
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		v.Err = fmt.Errorf("open %s: %w", redactQuery(u), err)
		return v
	}
	for step := 0; step < maxSteps; step++ {
		st, err := chromedp.Run(ctx, chromedp.Evaluate[pageState](readPageJS))
		if err != nil {
			v.Err = fmt.Errorf("read the page: %w", err)
			return v
		}
		v.Final, v.Title, v.Text = st.Href, st.Title, st.Text
		switch {
		case s.isCallback(st.Href):
			v.AtCallback = true
			return v
		case st.HasUsers:
			radio := chromedp.CSS(fmt.Sprintf(`form input[type=radio][name=user][value=%q]`, s.opts.User))
			if err := chromedp.Do(ctx, chromedp.Click(radio)); err != nil {
				v.Err = fmt.Errorf("login page: pick %s: %w (page: %s)", s.opts.User, err, OneLine(st.Text))
				return v
			}
			if err := clickAndWaitLoad(ctx, chromedp.CSS(`form button[type=submit][name=action]`)); err != nil {
				v.Err = fmt.Errorf("login page: continue: %w", err)
				return v
			}
			v.Steps = append(v.Steps, "login: "+s.opts.User)
		case st.HasConsent:
			btn := chromedp.CSS(fmt.Sprintf(`form button[name=decision][value=%q]`, s.opts.Decision))
			if err := clickAndWaitLoad(ctx, btn); err != nil {
				v.Err = fmt.Errorf("consent page: %s: %w (page: %s)", s.opts.Decision, err, OneLine(st.Text))
				return v
			}
			v.Steps = append(v.Steps, "consent: "+s.opts.Decision)
		default: // a page with nothing to answer: the person stops here
			return v
		}
	}
	v.Err = fmt.Errorf("no callback after %d pages; last page %s: %s", maxSteps, redactQuery(v.Final), OneLine(v.Text))
	return v
}

// clickAndWaitLoad clicks sel and waits for the document it navigates to
// (after any redirects) to fire its load event.
func clickAndWaitLoad(ctx context.Context, sel chromedp.CSS) error {
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(sel)))
	return err
}

// isCallback reports whether href is the loopback redirect URI: http on
// 127.0.0.1 or [::1], any port, the callback path (RFC 8252 §7.3).
func (s *SystemBrowser) isCallback(href string) bool {
	u, err := url.Parse(href)
	if err != nil || u.Scheme != "http" || u.Path != s.opts.CallbackPath {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return ip != nil && ip.IsLoopback()
}

// redactQuery drops the query of a URL for messages: a callback URL's query
// holds the authorization code.
func redactQuery(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String()
}

// CallbackQuery returns the query parameters of a visit's final URL (for
// tests that check what reached the loopback listener, e.g. error=).
func (v Visit) CallbackQuery() url.Values {
	u, err := url.Parse(v.Final)
	if err != nil {
		return url.Values{}
	}
	return u.Query()
}

// String describes the visit without the code in the callback URL.
func (v Visit) String() string {
	b, _ := json.Marshal(map[string]any{"url": redactQuery(v.URL), "final": redactQuery(v.Final),
		"title": v.Title, "text": OneLine(v.Text), "steps": v.Steps, "atCallback": v.AtCallback, "err": fmt.Sprint(v.Err)})
	return string(b)
}
