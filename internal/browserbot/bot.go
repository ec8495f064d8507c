// Package browserbot is a stand-in for the system browser in tests: an HTTP
// client with a cookie jar that follows redirects, reads the HTML form on
// each page, fills it in and submits it, until the provider redirects to the
// app's loopback callback.
//
// It knows no provider specifically. A user picker (radio buttons or a
// select offering Options.User as a value) is set to that user, any form
// field named in Options.Fields gets that value, and the submit button is
// the first one that does not look like Deny/Cancel — or the one that does,
// with Options.Deny. No JavaScript runs, as with a browser that has it off.
package browserbot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// MaxSteps bounds the requests one Open makes (redirects and form posts).
const MaxSteps = 20

// maxBody caps how much of each page the bot reads.
const maxBody = 2 << 20

// defaultTimeout bounds each request when Options.Client is nil.
const defaultTimeout = 15 * time.Second

// openerTimeout bounds a background Open started through Opener.
const openerTimeout = 2 * time.Minute

// Options configures a Bot. The zero value signs in as "alice" on the demo
// provider and presses Allow.
type Options struct {
	// User is the value to pick in a user picker (radio group or select).
	// Default "alice".
	User string
	// Fields sets form fields by input name, e.g. username and password for
	// a plain login form. They override values found in the page.
	Fields map[string]string
	// Deny presses the Deny (or Cancel/Reject) button instead of Allow.
	Deny bool
	// Client is the HTTP client to use. Its redirect policy is ignored (the
	// bot follows redirects itself) and a cookie jar is added if it has
	// none. Default: a client with a 15 s timeout and a fresh jar.
	Client *http.Client
}

// Bot drives sign-ins like a browser without JavaScript. It keeps cookies
// across Opens, as a browser does, so a second sign-in may skip the login
// page. Safe for concurrent use.
type Bot struct {
	opts    Options
	client  *http.Client
	results chan error
}

// New returns a Bot with its own cookie jar.
func New(opts Options) *Bot {
	if opts.User == "" {
		opts.User = "alice"
	}
	var c http.Client
	if opts.Client != nil {
		c = *opts.Client
	} else {
		c.Timeout = defaultTimeout
	}
	if c.Jar == nil {
		jar, err := cookiejar.New(nil)
		if err != nil {
			panic(fmt.Sprintf("browserbot: cookie jar: %v", err)) // cookiejar.New(nil) never fails
		}
		c.Jar = jar
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Bot{opts: opts, client: &c, results: make(chan error, 16)}
}

// StuckError says the bot could not get to the callback: the last page's
// URL (without query), status and the start of its text.
type StuckError struct {
	URL     string
	Status  int
	Excerpt string
	Reason  string
}

func (e *StuckError) Error() string {
	return fmt.Sprintf("browserbot: %s at %s (HTTP %d): %q", e.Reason, e.URL, e.Status, e.Excerpt)
}

// ErrTooManySteps is wrapped by the error Open returns after MaxSteps requests.
var ErrTooManySteps = errors.New("browserbot: too many steps without reaching the callback")

// Open visits url (an authorization URL) and works through the provider's
// pages until a request to the app's loopback callback has been answered;
// it returns nil then, whatever the app's callback page says. A callback is
// a URL on 127.0.0.1, [::1] or localhost, on another host:port than the
// provider, carrying code, error or state in its query.
func (b *Bot) Open(ctx context.Context, rawURL string) error {
	start, err := url.Parse(rawURL)
	if err != nil || (start.Scheme != "http" && start.Scheme != "https") {
		return fmt.Errorf("browserbot: %q is not an http(s) URL", redact(rawURL))
	}
	provider := start.Host
	method, target, body := http.MethodGet, start, url.Values(nil)
	submissions := map[string]int{}
	for step := 0; step < MaxSteps; step++ {
		isCallback := isCallbackURL(target, provider)
		resp, page, err := b.do(ctx, method, target, body)
		if err != nil {
			return err
		}
		if isCallback {
			return nil
		}
		if loc := resp.Header.Get("Location"); resp.StatusCode >= 300 && resp.StatusCode < 400 && loc != "" {
			next, err := target.Parse(loc)
			if err != nil {
				return fmt.Errorf("browserbot: bad redirect from %s: %w", redact(target.String()), err)
			}
			// 307/308 keep method and body; everything else becomes a GET.
			if resp.StatusCode != http.StatusTemporaryRedirect && resp.StatusCode != http.StatusPermanentRedirect {
				method, body = http.MethodGet, nil
			}
			target = next
			continue
		}
		stuck := func(reason string) error {
			return &StuckError{URL: redact(target.String()), Status: resp.StatusCode, Excerpt: excerpt(page), Reason: reason}
		}
		forms, err := parseForms(page)
		if err != nil || len(forms) == 0 {
			return stuck("no form on the page and no redirect")
		}
		f := b.chooseForm(forms)
		values := b.fill(f)
		action, err := target.Parse(f.action)
		if err != nil {
			return stuck("form action is not a URL")
		}
		key := f.method + " " + action.Scheme + "://" + action.Host + action.Path + " from " + target.Path
		if submissions[key]++; submissions[key] > 2 {
			return stuck("the same form came back again (wrong user or fields?)")
		}
		if f.method == http.MethodGet {
			q := action.Query()
			for k, vs := range values {
				q[k] = vs
			}
			action.RawQuery = q.Encode()
			method, body = http.MethodGet, nil
		} else {
			method, body = http.MethodPost, values
		}
		target = action
	}
	return fmt.Errorf("%w (%d requests, last %s)", ErrTooManySteps, MaxSteps, redact(target.String()))
}

// Opener returns a function usable as the app's "open the system browser":
// it starts Open in the background and returns nil at once, as a real
// browser launch does. The background Open outlives the caller's ctx (only
// its values are kept) and is bounded by a two-minute timeout; its result
// can be collected with Wait.
func (b *Bot) Opener() func(ctx context.Context, url string) error {
	return func(ctx context.Context, u string) error {
		go func() {
			bg, cancel := context.WithTimeout(context.WithoutCancel(ctx), openerTimeout)
			defer cancel()
			err := b.Open(bg, u)
			select {
			case b.results <- err:
			default: // nobody collects results and the buffer is full: drop this one
			}
		}()
		return nil
	}
}

// Wait returns the result of the next background Open started by Opener
// (in completion order), or ctx's error.
func (b *Bot) Wait(ctx context.Context) error {
	select {
	case err := <-b.results:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// do sends one request and reads at most maxBody of the answer.
func (b *Bot) do(ctx context.Context, method string, target *url.URL, form url.Values) (*http.Response, []byte, error) {
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target.String(), rd)
	if err != nil {
		return nil, nil, fmt.Errorf("browserbot: build request to %s: %w", redact(target.String()), err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8")
	req.Header.Set("User-Agent", "pkce-desk-browserbot/1")
	resp, err := b.client.Do(req)
	if err != nil {
		// url.Error would repeat the full URL, query (code, state) included.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, nil, fmt.Errorf("browserbot: %s %s: %w", method, redact(target.String()), err)
	}
	defer resp.Body.Close()
	page, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, nil, fmt.Errorf("browserbot: read %s: %w", redact(target.String()), err)
	}
	return resp, page, nil
}

// isCallbackURL reports whether u is the app's loopback redirect: a
// loopback host other than the provider's, with an authorization response
// (or logout state) in the query.
func isCallbackURL(u *url.URL, providerHost string) bool {
	if u.Scheme != "http" || strings.EqualFold(u.Host, providerHost) {
		return false
	}
	h := u.Hostname()
	ip := net.ParseIP(h)
	if !strings.EqualFold(h, "localhost") && (ip == nil || !ip.IsLoopback()) {
		return false
	}
	q := u.Query()
	return q.Has("code") || q.Has("error") || q.Has("state")
}

// redact drops the query and fragment: they may carry codes and state.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}
