package auth

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// urlCatcher is an opener that only records the authorization URL (the
// browser "could not reach" the loopback), optionally failing.
type urlCatcher struct {
	mu   sync.Mutex
	urls []string
	ch   chan string
	err  error
}

func newURLCatcher(err error) *urlCatcher { return &urlCatcher{ch: make(chan string, 4), err: err} }

func (c *urlCatcher) open(_ context.Context, u string) error {
	c.mu.Lock()
	c.urls = append(c.urls, u)
	c.mu.Unlock()
	c.ch <- u
	return c.err
}

func (c *urlCatcher) next(t *testing.T) string {
	t.Helper()
	select {
	case u := <-c.ch:
		return u
	case <-time.After(10 * time.Second):
		t.Fatal("the authorization URL never reached the opener")
		return ""
	}
}

type loginResult struct {
	s   *Session
	err error
}

// startLogin runs Login in the background.
func startLogin(t *testing.T, cfg Config, opts LoginOptions) <-chan loginResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	out := make(chan loginResult, 1)
	go func() {
		defer cancel()
		s, err := Login(ctx, cfg, opts)
		out <- loginResult{s, err}
	}()
	return out
}

func waitLogin(t *testing.T, ch <-chan loginResult) loginResult {
	t.Helper()
	select {
	case r := <-ch:
		return r
	case <-time.After(20 * time.Second):
		t.Fatal("Login did not return")
		return loginResult{}
	}
}

func withState(u *url.URL, state string) string {
	c := *u
	q := c.Query()
	q.Set("state", state)
	c.RawQuery = q.Encode()
	return c.String()
}

// A pasted URL with the wrong state is refused with the reason, the
// sign-in keeps waiting, and the right paste (just the query) finishes it.
func TestPasteWrongStateRefusedThenRightPasteSucceeds(t *testing.T) {
	op := newFakeOP(t)
	box := NewPasteBox()
	br := newURLCatcher(nil)
	ev := &events{}
	res := startLogin(t, op.config(), LoginOptions{Open: br.open, Paste: box, Trace: ev.add})
	cb := callbackFor(t, br.next(t))

	err := box.Submit(withState(cb, "forged-state"))
	var pe *PasteError
	if !errors.As(err, &pe) || !strings.Contains(pe.Reason, "state does not match this sign-in") {
		t.Fatalf("wrong state: %v", err)
	}
	if err := box.Submit("https://example.com/callback"); !errors.As(err, &pe) {
		t.Errorf("URL without a query: %v", err)
	}
	if len(kindsOf(ev.all(), KindPasteRefused)) != 2 {
		t.Error("refusals not traced as paste_refused")
	}
	if err := box.Submit("?" + cb.RawQuery); err != nil {
		t.Fatalf("right paste refused: %v", err)
	}
	r := waitLogin(t, res)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.s.Subject() != "user-1" {
		t.Errorf("subject %q", r.s.Subject())
	}
	evs := ev.all()
	if len(kindsOf(evs, KindPasteAccepted)) != 1 {
		t.Error("no paste_accepted")
	}
	rec := kindsOf(evs, KindCallbackReceived)
	if len(rec) != 1 {
		t.Fatal("no callback_received")
	}
	if f, _ := rec[0].Field("via"); f.Value != "paste" {
		t.Errorf("via %q", f.Value)
	}
	if !portClosed(t, redirectOf(t, evs)) {
		t.Error("loopback port still open")
	}
}

// A redirect URL works once: pasted again after the sign-in it is refused
// with that reason; with no sign-in at all there is nothing waiting.
func TestPastedURLUsedTwice(t *testing.T) {
	op := newFakeOP(t)
	box := NewPasteBox()
	if err := box.Submit("code=a&state=b"); !errors.Is(err, ErrNothingWaiting) {
		t.Fatalf("empty box: %v", err)
	}
	br := newURLCatcher(nil)
	res := startLogin(t, op.config(), LoginOptions{Open: br.open, Paste: box})
	cb := callbackFor(t, br.next(t))
	if err := box.Submit(cb.String()); err != nil {
		t.Fatal(err)
	}
	if r := waitLogin(t, res); r.err != nil {
		t.Fatal(r.err)
	}
	var pe *PasteError
	if err := box.Submit(cb.String()); !errors.As(err, &pe) || !strings.Contains(pe.Reason, "works only once") {
		t.Fatalf("second paste: %v", err)
	}
	if op.count(&op.tokenPosts) != 1 {
		t.Errorf("%d token requests", op.tokenPosts)
	}
}

// The loopback and a paste share one gate: after the browser's callback,
// a paste of the same redirect is refused as already used.
func TestPasteAfterLoopbackCallbackIsRefused(t *testing.T) {
	op := newFakeOP(t)
	box := NewPasteBox()
	br := newURLCatcher(nil)
	hold := make(chan struct{})
	op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		<-hold
		writeJSON(w, 400, map[string]string{"error": "invalid_grant"})
	}
	res := startLogin(t, op.config(), LoginOptions{Open: br.open, Paste: box})
	cb := callbackFor(t, br.next(t))
	resp, err := http.Get(cb.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var pe *PasteError
	if err := box.Submit(cb.String()); !errors.As(err, &pe) || pe.Reason != reasonUsed {
		t.Errorf("paste after the callback: %v", err)
	}
	close(hold)
	waitLogin(t, res)
}

// An opener that fails no longer ends the sign-in: browser_failed carries
// the URL and the error, and a paste finishes the sign-in.
func TestOpenerFailureKeepsWaitingAndPasteFinishes(t *testing.T) {
	op := newFakeOP(t)
	box := NewPasteBox()
	br := newURLCatcher(errors.New("chromium: Running as root without --no-sandbox is not supported"))
	ev := &events{}
	res := startLogin(t, op.config(), LoginOptions{Open: br.open, Paste: box, Trace: ev.add})
	authURL := br.next(t)
	deadline := time.Now().Add(5 * time.Second)
	for len(kindsOf(ev.all(), KindBrowserFailed)) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	bf := kindsOf(ev.all(), KindBrowserFailed)
	if len(bf) != 1 {
		t.Fatal("no browser_failed event")
	}
	if f, _ := bf[0].Field("url"); f.Value != authURL {
		t.Errorf("url field %q", f.Value)
	}
	if f, _ := bf[0].Field("error"); !strings.Contains(f.Value, "no-sandbox") {
		t.Errorf("error field %q", f.Value)
	}
	if err := box.Submit(callbackFor(t, authURL).String()); err != nil {
		t.Fatal(err)
	}
	if r := waitLogin(t, res); r.err != nil {
		t.Fatal(r.err)
	}
}

// After a timeout with nothing back, the error's Pending still finishes
// the sign-in with a paste (the listener is closed by then), for 10 minutes.
func TestTimeoutThenPendingPasteFinishes(t *testing.T) {
	op := newFakeOP(t)
	cfg := op.config()
	cfg.Timeout = 300 * time.Millisecond
	br := newURLCatcher(nil)
	ev := &events{}
	start := time.Now()
	res := startLogin(t, cfg, LoginOptions{Open: br.open, Trace: ev.add})
	authURL := br.next(t)
	r := waitLogin(t, res)
	var nc *NoCallbackError
	if !errors.As(r.err, &nc) || nc.Pending == nil {
		t.Fatalf("err = %v, want *NoCallbackError with Pending", r.err)
	}
	if exp := nc.Pending.Expires(); exp.Before(start.Add(10*time.Minute)) || exp.After(time.Now().Add(10*time.Minute+time.Second)) {
		t.Errorf("expires %v", exp)
	}
	if !portClosed(t, redirectOf(t, ev.all())) {
		t.Error("listener still open after the timeout")
	}
	cb := callbackFor(t, authURL)
	ctx := context.Background()
	var pe *PasteError
	if _, err := nc.Pending.Paste(ctx, withState(cb, "other")); !errors.As(err, &pe) {
		t.Fatalf("wrong state: %v", err)
	}
	s, err := nc.Pending.Paste(ctx, cb.String())
	if err != nil {
		t.Fatal(err)
	}
	if s.Subject() != "user-1" || len(kindsOf(ev.all(), KindSignedIn)) != 1 {
		t.Errorf("subject %q", s.Subject())
	}
	if _, err := nc.Pending.Paste(ctx, cb.String()); !errors.As(err, &pe) || pe.Reason != reasonUsed {
		t.Errorf("pending pasted twice: %v", err)
	}
}

// A pending sign-in refuses pastes after its ten minutes.
func TestPendingSignInExpires(t *testing.T) {
	op := newFakeOP(t)
	cfg := op.config()
	cfg.Timeout = 100 * time.Millisecond
	clk := newFakeClock()
	br := newURLCatcher(nil)
	res := startLogin(t, cfg, LoginOptions{Open: br.open, Now: clk.now})
	authURL := br.next(t)
	var nc *NoCallbackError
	if r := waitLogin(t, res); !errors.As(r.err, &nc) {
		t.Fatal(r.err)
	}
	_ = clk.sleep(context.Background(), PendingWindow+time.Second)
	if _, err := nc.Pending.Paste(context.Background(), callbackFor(t, authURL).String()); !errors.Is(err, ErrTimeout) {
		t.Errorf("late paste: %v", err)
	}
}

// A right-state paste whose iss names another provider stops the sign-in
// (RFC 9207), and Submit says so at once.
func TestPasteWithWrongIssStopsSignIn(t *testing.T) {
	op := newFakeOP(t)
	op.callbackEdit = func(q url.Values) { q.Set("iss", "https://evil.example") }
	box := NewPasteBox()
	br := newURLCatcher(nil)
	res := startLogin(t, op.config(), LoginOptions{Open: br.open, Paste: box})
	var pe *PasteError
	if err := box.Submit(callbackFor(t, br.next(t)).String()); !errors.As(err, &pe) || !strings.Contains(pe.Reason, "callback issuer") {
		t.Fatalf("paste: %v", err)
	}
	checkErr(t, waitLogin(t, res).err, "callback issuer")
}

// A hosted https redirect URI: no listener, the redirect URI goes to the
// provider as is, and a paste is the way back.
func TestPasteOnlyRedirectURI(t *testing.T) {
	op := newFakeOP(t)
	cfg := op.config()
	cfg.Redirect.URI = "https://app.example.com/oauth/callback"
	if _, _, err := loginWith(t, cfg, newBrowser().open); !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "paste") {
		t.Fatalf("paste-only without a paste box: %v", err)
	}
	box := NewPasteBox()
	br := newURLCatcher(nil)
	ev := &events{}
	res := startLogin(t, cfg, LoginOptions{Open: br.open, Paste: box, Trace: ev.add})
	cb := callbackFor(t, br.next(t))
	if cb.Host != "app.example.com" {
		t.Fatalf("redirected to %v", cb)
	}
	if err := box.Submit(cb.String()); err != nil {
		t.Fatal(err)
	}
	r := waitLogin(t, res)
	if r.err != nil {
		t.Fatal(r.err)
	}
	if op.lastTokenRedirect != cfg.Redirect.URI || r.s.RedirectURI() != cfg.Redirect.URI {
		t.Errorf("token redirect_uri %q", op.lastTokenRedirect)
	}
	if len(kindsOf(ev.all(), KindListenerUp)) != 0 {
		t.Error("a listener was started for a paste-only redirect")
	}

	cfg.Timeout = 100 * time.Millisecond
	_, err := Login(context.Background(), cfg, LoginOptions{Open: newURLCatcher(nil).open, Paste: NewPasteBox()})
	var nc *NoCallbackError
	if !errors.As(err, &nc) || !nc.PasteOnly || nc.Pending == nil || !strings.Contains(err.Error(), "no redirect was pasted") {
		t.Errorf("paste-only timeout: %v", err)
	}
}

func TestValidateRedirectURI(t *testing.T) {
	base := Config{Issuer: "https://op.example", ClientID: "c"}
	for uri, want := range map[string]string{
		"http://app.example.com/cb":  "must use https://",
		"https://127.0.0.1/callback": "loopback",
		"http://localhost:8080/cb":   "loopback",
		"https://[::1]/cb":           "loopback",
		"/callback":                  "not an absolute URL",
		"https://app.example/cb#x":   "fragment",
		"https://app.example.com/cb": "",
	} {
		cfg := base
		cfg.Redirect.URI = uri
		err := cfg.Validate()
		if want == "" {
			if err != nil {
				t.Errorf("%s refused: %v", uri, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", uri, err, want)
		}
	}
}

func TestPastedQueryForms(t *testing.T) {
	for raw, want := range map[string]string{
		"https://app.example/cb?code=a&state=b":             "code=a&state=b",
		"  ?code=a&state=b ":                                "code=a&state=b",
		"code=a&state=b":                                    "code=a&state=b",
		`"http://127.0.0.1:5/callback?code=a&state=b#frag"`: "code=a&state=b",
		"hello":                  "",
		"https://app.example/cb": "",
	} {
		got, ok := pastedQuery(raw)
		if got != want || ok != (want != "") {
			t.Errorf("pastedQuery(%q) = %q, %v", raw, got, ok)
		}
	}
}

// The callback page is the demo's style, says which app and profile it
// was for with everything escaped, loads nothing, and its one style is
// allowed by hash.
func TestCallbackPageNamesAppAndProfile(t *testing.T) {
	r, _ := Redirect{}.normalize()
	tr := newTracer(nil, nil)
	lb, err := startLoopbackGate(r, newGate("st", tr, nil), pageInfo{ProfileName: `Acme <script>alert(1)</script>`}, tr)
	if err != nil {
		t.Fatal(err)
	}
	defer lb.close()
	for _, c := range []struct{ query, want string }{
		{"?state=bad&code=x", "Not accepted"},
		{"?state=st&error=access_denied", "Sign-in not completed"},
	} {
		resp, err := http.Get(lb.redirectURI + c.query)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		body := string(b)
		for _, w := range []string{c.want, "PKCE Desk", "Acme &lt;script&gt;", "<style>" + callbackPageCSS + "</style>"} {
			if !strings.Contains(body, w) {
				t.Errorf("page for %s lacks %q:\n%s", c.query, w, body)
			}
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "http") || strings.Contains(body, "src=") {
			t.Errorf("page runs or loads something: %s", body)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "style-src 'sha256-") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP %q", csp)
		}
	}
	// The success page, with a custom app name.
	lb2, err := startLoopbackGate(r, newGate("st", tr, nil), pageInfo{AppName: "Desk & Co", ProfileName: "Demo"}, tr)
	if err != nil {
		t.Fatal(err)
	}
	defer lb2.close()
	resp, err := http.Get(lb2.redirectURI + "?state=st&code=SECRET-CODE-1234567890")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if body := string(b); !strings.Contains(body, "Signed in") || !strings.Contains(body, "return to Desk &amp; Co") ||
		!strings.Contains(body, "<dd>Demo</dd>") || strings.Contains(body, "SECRET-CODE") {
		t.Errorf("success page:\n%s", body)
	}
}
