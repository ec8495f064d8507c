package harness

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html"

	"pkcedesk/internal/browserbot"
)

// formBrowserTimeout bounds each request of a FormBrowser.
const formBrowserTimeout = 20 * time.Second

// maxPage caps how much of each page a FormBrowser keeps (browserbot itself
// reads at most 2 MiB).
const maxPage = 2 << 20

// noFormReason is the browserbot.StuckError reason for a page that has
// neither a form nor a redirect: for a FormBrowser that is where a visit
// ends (a provider's error or "signed out" page), not an error of its own.
const noFormReason = "no form on the page and no redirect"

// FormBrowser stands in for the person at the system browser of a provider
// we did not write: pkcedesk/internal/browserbot does the browsing (cookies
// kept across visits, redirects followed, the HTML form on each page filled
// with Fields and submitted, no JavaScript), and the FormBrowser records
// every response on the way, so a visit reports the page it ended on. With
// StopAt it ends just before requesting a URL (used to catch the redirect to
// a loopback callback that no one listens on). One visit at a time.
type FormBrowser struct {
	// Fields are form values by input name (e.g. username, password); they
	// override the values found in the page.
	Fields map[string]string
	// StopAt, when set, is asked before every request; returning true ends
	// the visit with Page.Stopped and that URL, without requesting it.
	StopAt func(*url.URL) bool

	bot *browserbot.Bot
	rec *recorder
}

// Page is where a visit ended.
type Page struct {
	// URL is the last URL requested, or the URL StopAt matched.
	URL *url.URL
	// Stopped is true when StopAt ended the visit.
	Stopped bool
	// Status is the final HTTP status (0 when Stopped).
	Status int
	// Body is the final response body (capped at 2 MiB).
	Body []byte
	// Trail lists every request made, in order, for failure messages.
	Trail []string
}

// Text is the page body with tags, scripts and styles removed, as one line.
func (p *Page) Text() string { return OneLine(htmlText(p.Body)) }

// PageError is a visit that ended on an HTTP error status, or on a form the
// browser could not get past (it came back after it was submitted: wrong
// credentials).
type PageError struct {
	Page   *Page
	Reason string
}

// Error says why the visit failed, where, and the page's text; URLs have
// their secret-bearing query values elided.
func (e *PageError) Error() string {
	return fmt.Sprintf("browser: %s at %s (HTTP %d): %s; visited %s", e.Reason, RedactURL(e.Page.URL),
		e.Page.Status, e.Page.Text(), strings.Join(e.Page.Trail, " → "))
}

// shownParams are query parameters whose values are safe to print; every
// other value (code, id_token_hint, challenges, ...) is replaced by "…" in
// messages so tokens never reach test logs.
var shownParams = map[string]bool{
	"error": true, "error_description": true, "error_hint": true, "client_id": true,
	"redirect_uri": true, "scope": true, "response_type": true, "code_challenge_method": true,
}

// RedactURL prints u with the values of all query parameters but a few
// harmless ones (error, error_description, client_id, redirect_uri, scope, …)
// elided, and without user info or fragment.
func RedactURL(u *url.URL) string {
	if u == nil {
		return "<nil>"
	}
	c := *u
	c.User = nil
	q := c.Query()
	for k, vs := range q {
		if !shownParams[k] {
			for i := range vs {
				vs[i] = "…"
			}
		}
	}
	c.RawQuery = q.Encode()
	c.Fragment = ""
	return c.String()
}

// NewFormBrowser returns a browser with an empty cookie jar that fills
// fields into the forms it meets.
func NewFormBrowser(fields map[string]string) *FormBrowser {
	rec := &recorder{base: http.DefaultTransport}
	b := &FormBrowser{Fields: fields, rec: rec}
	b.bot = browserbot.New(browserbot.Options{
		Fields: fields,
		Client: &http.Client{Transport: rec, Timeout: formBrowserTimeout},
	})
	return b
}

// Visit opens rawURL and carries on as a person would — follow redirects,
// submit forms — until a page with nothing to submit, the app's loopback
// callback, or StopAt. An HTTP status >= 400 at the end, or a form that
// keeps coming back, returns a *PageError along with the page.
func (b *FormBrowser) Visit(ctx context.Context, rawURL string) (*Page, error) {
	b.rec.start(b.StopAt)
	err := b.bot.Open(ctx, rawURL)
	page := b.rec.page()
	if page.Stopped {
		return page, nil
	}
	var stuck *browserbot.StuckError
	isStuck := errors.As(err, &stuck) && page.URL != nil
	switch {
	case err == nil: // the loopback callback answered
	case isStuck && page.Status >= 400: // an error page: see below
	case isStuck && stuck.Reason == noFormReason: // nothing to submit: the visit ends here
	case isStuck: // a form it cannot get past
		return page, &PageError{Page: page, Reason: stuck.Reason}
	default:
		return page, fmt.Errorf("browser: %w; visited %s", err, strings.Join(page.Trail, " → "))
	}
	switch {
	case page.Status >= 400:
		return page, &PageError{Page: page, Reason: "error status"}
	case page.Status/100 == 3:
		return page, &PageError{Page: page, Reason: "redirect without a usable Location"}
	}
	return page, nil
}

// Opener returns a function that opens URLs the way a system browser does:
// it returns at once and the visit runs in the background; wait reports it.
// It opens one URL only.
func (b *FormBrowser) Opener(ctx context.Context) (open func(string) error, wait func() (*Page, error)) {
	type result struct {
		page *Page
		err  error
	}
	results := make(chan result, 1)
	var once sync.Once
	open = func(u string) error {
		started := false
		once.Do(func() {
			started = true
			go func() {
				p, err := b.Visit(ctx, u)
				results <- result{p, err}
			}()
		})
		if !started {
			return errors.New("browser: opened a second URL in one sign-in")
		}
		return nil
	}
	wait = func() (*Page, error) {
		select {
		case r := <-results:
			return r.page, r.err
		case <-ctx.Done():
			return nil, fmt.Errorf("browser: waiting for the visit: %w", ctx.Err())
		}
	}
	return open, wait
}

// recorder is the FormBrowser's transport: it asks StopAt before each
// request, answers a stopped one itself with an empty page, and keeps the
// last response (status and body) and the trail of requests.
type recorder struct {
	base http.RoundTripper

	mu      sync.Mutex
	stopAt  func(*url.URL) bool
	stopped *url.URL
	last    Page
	trail   []string
}

// start forgets the previous visit.
func (r *recorder) start(stopAt func(*url.URL) bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopAt, r.stopped, r.last, r.trail = stopAt, nil, Page{}, nil
}

// page is where the visit ended.
func (r *recorder) page() *Page {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.last
	p.Trail = append([]string(nil), r.trail...)
	if r.stopped != nil {
		p = Page{URL: r.stopped, Stopped: true, Trail: append(p.Trail, "(stopped) "+RedactURL(r.stopped))}
	}
	return &p
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	stopAt, stopped := r.stopAt, r.stopped != nil
	r.mu.Unlock()
	if stopped {
		return nil, errors.New("browser: the visit was stopped")
	}
	if stopAt != nil && stopAt(req.URL) {
		u := *req.URL
		r.mu.Lock()
		r.stopped = &u
		r.mu.Unlock()
		// An empty page in place of the real one: browserbot takes a
		// callback URL as answered, any other as a page to stop at.
		return &http.Response{
			Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header: http.Header{"Content-Type": {"text/plain"}}, Body: io.NopCloser(strings.NewReader("")),
			ContentLength: 0, Request: req,
		}, nil
	}
	r.mu.Lock()
	r.trail = append(r.trail, req.Method+" "+RedactURL(req.URL))
	r.mu.Unlock()
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxPage))
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", RedactURL(req.URL), err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	u := *req.URL
	r.mu.Lock()
	r.last = Page{URL: &u, Status: resp.StatusCode, Body: body}
	r.mu.Unlock()
	return resp, nil
}

// htmlText is the text content of an HTML document (or the input itself if
// it does not parse), for error messages.
func htmlText(b []byte) string {
	root, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return string(b)
	}
	var sb strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		if n.Type == html.TextNode {
			sb.WriteString(n.Data)
			sb.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return sb.String()
}
