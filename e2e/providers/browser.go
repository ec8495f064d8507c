package providers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html"
)

// Bounds on what the stand-in browser does for one visit.
const (
	maxRedirects   = 20
	maxFormPosts   = 5
	browserTimeout = 20 * time.Second
)

// Browser stands in for the person at the system browser: it keeps cookies,
// follows redirects, fills and submits HTML forms with Fields, and stops
// either at a page with no form or, when StopAt says so, just before
// requesting a URL (used to catch the redirect to a loopback callback that
// no one listens on). It is safe for one visit at a time.
type Browser struct {
	// Fields are form values by input name (e.g. username, password).
	// Hidden inputs keep their own values unless named here.
	Fields map[string]string
	// StopAt, when set, is asked before every redirect; returning true ends
	// the visit with Page.Stopped and that URL, without requesting it.
	StopAt func(*url.URL) bool

	client  *http.Client
	mu      sync.Mutex
	stopped *url.URL
}

// Page is where a visit ended.
type Page struct {
	// URL is the last URL requested, or the URL StopAt matched.
	URL *url.URL
	// Stopped is true when StopAt ended the visit.
	Stopped bool
	// Status is the final HTTP status (0 when Stopped).
	Status int
	// Body is the final response body (capped at 1 MiB).
	Body []byte
	// Trail lists every URL requested, in order, for failure messages.
	Trail []string
}

// Text is the page body with tags removed, as one line.
func (p *Page) Text() string { return snippet([]byte(htmlText(p.Body))) }

// PageError is a visit that ended on an HTTP error status or a form that
// came back (wrong credentials).
type PageError struct {
	Page   *Page
	Reason string
}

// Error says why the visit failed, where, and the page's text; URLs have
// their secret-bearing query values elided.
func (e *PageError) Error() string {
	return fmt.Sprintf("browser: %s at %s (HTTP %d): %s; visited %s", e.Reason, redactURL(e.Page.URL), e.Page.Status, e.Page.Text(), strings.Join(e.Page.Trail, " → "))
}

// shownParams are query parameters whose values are safe to print; every
// other value (code, id_token_hint, challenges, ...) is replaced by "…" in
// messages so tokens never reach test logs.
var shownParams = map[string]bool{
	"error": true, "error_description": true, "error_hint": true, "client_id": true,
	"redirect_uri": true, "scope": true, "response_type": true, "code_challenge_method": true,
}

// redactURL prints u with the values of all but shownParams elided.
func redactURL(u *url.URL) string {
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

// NewBrowser returns a browser with an empty cookie jar.
func NewBrowser(fields map[string]string) *Browser {
	jar, _ := cookiejar.New(nil)
	b := &Browser{Fields: fields}
	b.client = &http.Client{
		Jar:     jar,
		Timeout: browserTimeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxRedirects {
				return fmt.Errorf("browser: more than %d redirects", maxRedirects)
			}
			if b.StopAt != nil && b.StopAt(req.URL) {
				b.mu.Lock()
				b.stopped = req.URL
				b.mu.Unlock()
				return http.ErrUseLastResponse
			}
			return nil
		},
	}
	return b
}

// Visit opens rawURL and carries on as a person would: follow redirects,
// submit forms (at most 5), until a page without a form, an error status,
// or StopAt. An HTTP status >= 400 or a form shown again after it was
// submitted returns a *PageError along with the page.
func (b *Browser) Visit(ctx context.Context, rawURL string) (*Page, error) {
	page := &Page{}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, fmt.Errorf("browser: %w", err)
	}
	submitted := map[string]int{}
	for posts := 0; ; posts++ {
		done, err := b.step(req, page)
		if err != nil || done {
			return page, err
		}
		form, ok := findForm(page.Body, page.URL)
		if !ok {
			return page, nil
		}
		if posts >= maxFormPosts {
			return page, &PageError{Page: page, Reason: fmt.Sprintf("still on a form after %d submissions", maxFormPosts)}
		}
		key := form.method + " " + form.action.String()
		if submitted[key] > 0 {
			return page, &PageError{Page: page, Reason: "the form came back after it was submitted (wrong credentials?)"}
		}
		submitted[key]++
		for k, v := range b.Fields {
			if _, named := form.values[k]; named {
				form.values.Set(k, v)
			}
		}
		if req, err = form.request(ctx); err != nil {
			return page, err
		}
	}
}

// step sends req, following redirects, and records the result in page. It
// reports done when StopAt matched or the status is an error.
func (b *Browser) step(req *http.Request, page *Page) (bool, error) {
	b.mu.Lock()
	b.stopped = nil
	b.mu.Unlock()
	page.Trail = append(page.Trail, req.Method+" "+redactURL(req.URL))
	resp, err := b.client.Do(req)
	if err != nil {
		return true, fmt.Errorf("browser: %w; visited %s", err, strings.Join(page.Trail, " → "))
	}
	defer resp.Body.Close()
	body, err := readCapped(resp.Body)
	if err != nil {
		return true, fmt.Errorf("browser: %s: %w", redactURL(resp.Request.URL), err)
	}
	page.URL, page.Status, page.Body, page.Stopped = resp.Request.URL, resp.StatusCode, body, false
	b.mu.Lock()
	stopped := b.stopped
	b.mu.Unlock()
	if stopped != nil {
		page.URL, page.Stopped, page.Status, page.Body = stopped, true, 0, nil
		page.Trail = append(page.Trail, "(stopped) "+redactURL(stopped))
		return true, nil
	}
	if resp.StatusCode >= 400 {
		return true, &PageError{Page: page, Reason: "error status"}
	}
	if resp.StatusCode/100 == 3 {
		return true, &PageError{Page: page, Reason: "redirect without a usable Location"}
	}
	if ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); ct != "text/html" {
		page.Body = body
		return true, nil
	}
	return false, nil
}

// Opener returns a function that opens URLs the way a system browser does:
// it returns at once and the visit runs in the background; Wait reports it.
func (b *Browser) Opener(ctx context.Context) (open func(string) error, wait func() (*Page, error)) {
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

// form is a parsed HTML form ready to submit.
type form struct {
	method string
	action *url.URL
	values url.Values
}

func (f *form) request(ctx context.Context) (*http.Request, error) {
	if f.method == http.MethodGet {
		u := *f.action
		u.RawQuery = f.values.Encode()
		return http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.action.String(), strings.NewReader(f.values.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req, nil
}

// findForm returns the first form in body, with the values of its named
// input, select and textarea elements; action is resolved against base.
func findForm(body []byte, base *url.URL) (*form, bool) {
	root, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, false
	}
	var f *form
	var walk func(n *html.Node, in *form)
	walk = func(n *html.Node, in *form) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "form":
				if f != nil {
					return
				}
				action, _ := base.Parse(attr(n, "action"))
				if action == nil {
					action = base
				}
				method := strings.ToUpper(attr(n, "method"))
				if method != http.MethodPost {
					method = http.MethodGet
				}
				f = &form{method: method, action: action, values: url.Values{}}
				in = f
			case "input", "select", "textarea":
				if in != nil && attr(n, "name") != "" {
					typ := strings.ToLower(attr(n, "type"))
					if typ != "submit" && typ != "button" && typ != "image" && typ != "reset" {
						in.values.Set(attr(n, "name"), attr(n, "value"))
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(root, nil)
	return f, f != nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
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
