package auth

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Proves security rule 01 (docs/security.md).
func TestBindsLoopbackOnlyEphemeralByDefault(t *testing.T) {
	for _, host := range []string{"", "127.0.0.1", "::1", "localhost"} {
		r, err := Redirect{Host: host, AllowLocalhost: true}.normalize()
		if err != nil {
			t.Fatal(err)
		}
		lb, err := startLoopback(r, "s", newTracer(nil, nil))
		if err != nil {
			if host == "::1" {
				t.Logf("no IPv6 loopback here: %v", err)
				continue
			}
			t.Fatal(err)
		}
		tcp := lb.ln.Addr().(*net.TCPAddr)
		if !tcp.IP.IsLoopback() || tcp.Port == 0 {
			t.Errorf("host %q bound %v; want a loopback IP with an ephemeral port", host, tcp)
		}
		lb.close()
	}
	if _, err := (Redirect{Host: "0.0.0.0"}).normalize(); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("0.0.0.0 accepted: %v", err)
	}
}

// Proves security rule 01 (docs/security.md).
func TestFixedPortInUseSaysSo(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	port := busy.Addr().(*net.TCPAddr).Port
	op := newFakeOP(t)
	cfg := op.config()
	cfg.Redirect.Port = port
	_, _, err = loginWith(t, cfg, newBrowser().open)
	var pe *PortInUseError
	if !errors.As(err, &pe) || pe.Port != port {
		t.Fatalf("err = %v, want *PortInUseError for %d", err, port)
	}
	if !strings.Contains(err.Error(), "port "+strconv.Itoa(port)+" is in use") {
		t.Errorf("message %q does not say the port is in use", err)
	}
}

// Proves security rule 02 (docs/security.md).
func TestRedirectURIIsIPLiteralAndIdenticalInBothRequests(t *testing.T) {
	op := newFakeOP(t)
	s, ev, err := loginWith(t, op.config(), newBrowser().open)
	if err != nil {
		t.Fatal(err)
	}
	ru := redirectOf(t, ev.all())
	if !strings.HasPrefix(ru, "http://127.0.0.1:") || !strings.HasSuffix(ru, "/callback") {
		t.Errorf("redirect URI %q is not http://127.0.0.1:PORT/callback", ru)
	}
	if op.lastAuthRedirect != ru || op.lastTokenRedirect != ru || s.RedirectURI() != ru {
		t.Errorf("authorization %q, token %q, used %q must be identical", op.lastAuthRedirect, op.lastTokenRedirect, ru)
	}
	// localhost only with the explicit opt-in.
	cfg := op.config()
	cfg.Redirect.Host = "localhost"
	if _, _, err := loginWith(t, cfg, newBrowser().open); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("localhost without opt-in: %v", err)
	}
	cfg.Redirect.AllowLocalhost = true
	if _, ev, err := loginWith(t, cfg, newBrowser().open); err != nil {
		t.Fatalf("localhost with opt-in: %v", err)
	} else if ru := redirectOf(t, ev.all()); !strings.HasPrefix(ru, "http://localhost:") {
		t.Errorf("opt-in redirect %q", ru)
	}
}

// Proves security rule 03 (docs/security.md).
func TestWrongHostHeaderIsRejectedAndSignInContinues(t *testing.T) {
	op := newFakeOP(t)
	b := newBrowser()
	var forgedStatus int
	b.before = func(authURL string) {
		cb := callbackFor(t, authURL) // a real code and state, delivered via a rebinding name
		forgedStatus = get(t, cb.String(), "evil.example:"+cb.Port())
	}
	s, ev, err := loginWith(t, op.config(), b.open)
	if err != nil {
		t.Fatal(err)
	}
	if forgedStatus != http.StatusBadRequest {
		t.Errorf("wrong Host got %d, want 400", forgedStatus)
	}
	if s.Token().AccessToken.IsZero() || !ev.has("DNS rebinding") {
		t.Error("sign-in did not complete after the rebinding attempt, or it was not traced")
	}
}

// Proves security rule 04 (docs/security.md).
func TestOtherPathsMethodsAndCodelessCallbacksKeepWaiting(t *testing.T) {
	op := newFakeOP(t)
	b := newBrowser()
	got := map[string]int{}
	b.before = func(authURL string) {
		q, _ := url.ParseQuery(strings.SplitN(authURL, "?", 2)[1])
		base := strings.TrimSuffix(q.Get("redirect_uri"), "/callback")
		got["favicon"] = get(t, base+"/favicon.ico", "")
		got["other"] = get(t, base+"/admin", "")
		resp, err := http.Post(q.Get("redirect_uri")+"?state="+q.Get("state")+"&code=x", "text/plain", nil)
		if err == nil {
			got["post"] = resp.StatusCode
			resp.Body.Close()
		}
		got["nocode"] = get(t, q.Get("redirect_uri")+"?state="+url.QueryEscape(q.Get("state")), "")
	}
	s, _, err := loginWith(t, op.config(), b.open)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"favicon": 404, "other": 404, "post": 405, "nocode": 400}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: status %d, want %d", k, got[k], v)
		}
	}
	if s.Token().AccessToken.IsZero() {
		t.Error("no tokens after ignored requests")
	}
}

// Proves security rule 05 (docs/security.md).
func TestForgedStateKeepsWaiting(t *testing.T) {
	op := newFakeOP(t)
	b := newBrowser()
	var statuses []int
	b.before = func(authURL string) {
		cb := callbackFor(t, authURL)
		q := cb.Query()
		q.Set("state", "forged")
		cb2 := *cb
		cb2.RawQuery = q.Encode()
		statuses = append(statuses, get(t, cb2.String(), ""))
		q.Del("state")
		cb2.RawQuery = q.Encode()
		statuses = append(statuses, get(t, cb2.String(), ""))
	}
	s, ev, err := loginWith(t, op.config(), b.open)
	if err != nil {
		t.Fatalf("a forged callback aborted the sign-in: %v", err)
	}
	if len(statuses) != 2 || statuses[0] != 400 || statuses[1] != 400 {
		t.Errorf("forged callbacks got %v, want [400 400]", statuses)
	}
	if !ev.has("ignored 2 forged callbacks") {
		t.Error(`trace lacks "ignored 2 forged callbacks"`)
	}
	if s.Token().AccessToken.IsZero() {
		t.Error("the real callback did not complete the sign-in")
	}
}

// Proves security rule 05 (docs/security.md).
func TestForgedCallbackAloneNeverCompletes(t *testing.T) {
	op := newFakeOP(t)
	cfg := op.config()
	cfg.Timeout = 300 * time.Millisecond
	opener := func(ctx context.Context, u string) error {
		q, _ := url.ParseQuery(strings.SplitN(u, "?", 2)[1])
		get(t, q.Get("redirect_uri")+"?code=attacker&state=guess", "")
		return nil
	}
	_, _, err := loginWith(t, cfg, opener)
	mustIs(t, err, ErrTimeout)
	if op.count(&op.tokenPosts) != 0 {
		t.Error("a forged code reached the token endpoint")
	}
}

// Proves security rule 06 (docs/security.md).
func TestErrorAcceptedOnlyWithRightStateAndShownAsCappedText(t *testing.T) {
	op := newFakeOP(t)
	long := "<img src=x onerror=alert(1)>\x00\n" + strings.Repeat("é", 1000)
	op.callbackEdit = func(q url.Values) {
		q.Del("code")
		q.Set("error", "access_denied")
		q.Set("error_description", long)
	}
	b := newBrowser()
	var forged int
	b.before = func(authURL string) {
		q, _ := url.ParseQuery(strings.SplitN(authURL, "?", 2)[1])
		forged = get(t, q.Get("redirect_uri")+"?error=server_error&state=wrong", "")
	}
	_, _, err := loginWith(t, op.config(), b.open)
	var pe *ProviderError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want *ProviderError", err)
	}
	if forged != 400 {
		t.Errorf("error with wrong state got %d, want 400", forged)
	}
	if pe.Code != "access_denied" {
		t.Errorf("code %q: the forged error must not win", pe.Code)
	}
	if n := len([]rune(pe.Description)); n > maxDescriptionRunes+1 {
		t.Errorf("description has %d runes, want ≤ %d", n, maxDescriptionRunes+1)
	}
	if strings.ContainsAny(pe.Description, "\x00\n") {
		t.Error("description keeps control characters")
	}
	if !strings.Contains(pe.Description, "<img src=x onerror=alert(1)>") {
		t.Error("description should keep the text as plain characters for text-only display")
	}
}

// Proves security rule 07 (docs/security.md).
func TestPortClosedAfterSuccessFailureCancelTimeout(t *testing.T) {
	op := newFakeOP(t)
	cases := map[string]func(cfg *Config) (Opener, context.Context){
		"success": func(cfg *Config) (Opener, context.Context) { return newBrowser().open, context.Background() },
		"failure": func(cfg *Config) (Opener, context.Context) {
			op.callbackEdit = func(q url.Values) { q.Del("code"); q.Set("error", "access_denied") }
			return newBrowser().open, context.Background()
		},
		"cancel": func(cfg *Config) (Opener, context.Context) {
			ctx, cancel := context.WithCancel(context.Background())
			return func(context.Context, string) error { time.AfterFunc(50*time.Millisecond, cancel); return nil }, ctx
		},
		"timeout": func(cfg *Config) (Opener, context.Context) {
			cfg.Timeout = 100 * time.Millisecond
			return func(context.Context, string) error { return nil }, context.Background()
		},
	}
	want := map[string]error{"cancel": ErrCanceled, "timeout": ErrTimeout}
	for _, name := range []string{"success", "failure", "cancel", "timeout"} {
		t.Run(name, func(t *testing.T) {
			op.callbackEdit = nil
			cfg := op.config()
			open, ctx := cases[name](&cfg)
			ev := &events{}
			_, err := Login(ctx, cfg, LoginOptions{Open: open, Trace: ev.add})
			if w := want[name]; w != nil {
				mustIs(t, err, w)
			} else if name == "success" && err != nil {
				t.Fatal(err)
			} else if name == "failure" && err == nil {
				t.Fatal("provider error not reported")
			}
			if !portClosed(t, redirectOf(t, ev.all())) {
				t.Error("loopback port still open")
			}
		})
	}
}

// Proves security rule 08 (docs/security.md).
func TestListenerLimitsAndResultPage(t *testing.T) {
	r, _ := Redirect{}.normalize()
	lb, err := startLoopback(r, "st", newTracer(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer lb.close()
	if lb.srv.MaxHeaderBytes > 16<<10 || lb.srv.ReadHeaderTimeout <= 0 || lb.srv.ReadHeaderTimeout > 10*time.Second {
		t.Errorf("MaxHeaderBytes %d, ReadHeaderTimeout %v", lb.srv.MaxHeaderBytes, lb.srv.ReadHeaderTimeout)
	}
	// An oversized header is refused.
	req, _ := http.NewRequest("GET", lb.redirectURI, nil)
	req.Header.Set("X-Big", strings.Repeat("a", 64<<10))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("huge header got %d", resp.StatusCode)
		}
		resp.Body.Close()
	}
	code := "SECRET-CODE-VALUE-1234567890"
	resp, err := http.Get(lb.redirectURI + "?code=" + code + "&state=st")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	h := resp.Header
	if h.Get("Cache-Control") != "no-store" || h.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("headers %v", h)
	}
	if strings.Contains(string(body), code) || strings.Contains(string(body), "http") || strings.Contains(string(body), "src=") {
		t.Errorf("result page echoes the code or loads something external: %s", body)
	}
	if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Error("result page lacks a CSP")
	}
}

// Proves security rule 09 (docs/security.md).
func TestTwoSignInsAtOnceNeverCross(t *testing.T) {
	op := newFakeOP(t)
	urls := make(chan string, 2)
	opener := func(ctx context.Context, u string) error { urls <- u; return nil }
	type res struct {
		s   *Session
		err error
		ev  *events
	}
	out := make(chan res, 2)
	for range 2 {
		go func() {
			s, ev, err := loginWith(t, op.config(), opener)
			out <- res{s, err, ev}
		}()
	}
	a, b := <-urls, <-urls
	cbA, cbB := callbackFor(t, a), callbackFor(t, b)
	if cbA.Host == cbB.Host || cbA.Query().Get("state") == cbB.Query().Get("state") {
		t.Fatal("two sign-ins share a listener or a state")
	}
	crossed := *cbA
	crossed.Host = cbB.Host // A's code and state delivered to B's listener
	if st := get(t, crossed.String(), ""); st != 400 {
		t.Errorf("crossed callback got %d, want 400", st)
	}
	if get(t, cbA.String(), "") != 200 || get(t, cbB.String(), "") != 200 {
		t.Fatal("real callbacks not accepted")
	}
	r1, r2 := <-out, <-out
	if r1.err != nil || r2.err != nil {
		t.Fatal(r1.err, r2.err)
	}
	if r1.s.Token().AccessToken.Reveal() == r2.s.Token().AccessToken.Reveal() {
		t.Error("both sessions got the same token")
	}
}

// Proves security rule 10 (docs/security.md).
func TestAuthorizationPageOnlyThroughTheOpener(t *testing.T) {
	op := newFakeOP(t)
	_, _, err := loginWith(t, op.config(), nil)
	if err == nil {
		t.Fatal("sign-in without an opener succeeded")
	}
	if op.count(&op.authorizeHits) != 0 {
		t.Error("the engine fetched the authorization page itself")
	}
	b := newBrowser()
	if _, _, err := loginWith(t, op.config(), b.open); err != nil {
		t.Fatal(err)
	}
	if op.count(&op.authorizeHits) != 1 || len(b.opened) != 1 || !strings.HasPrefix(b.opened[0], op.issuer()+"/authorize?") {
		t.Errorf("authorize hits %d, opened %v", op.authorizeHits, b.opened)
	}
}

// Proves security rule 04 (docs/security.md).
func TestFloodOfIgnoredRequestsKeepsTraceBounded(t *testing.T) {
	r, _ := Redirect{}.normalize()
	tr := newTracer(nil, nil)
	lb, err := startLoopback(r, "st", tr)
	if err != nil {
		t.Fatal(err)
	}
	defer lb.close()
	for i := range 150 {
		path := "/callback?state=bad"
		if i%2 == 1 {
			path = "/other"
		}
		get(t, strings.TrimSuffix(lb.redirectURI, "/callback")+path, "")
	}
	if n := len(tr.snapshot()); n > 2*maxTracedIgnored+2 {
		t.Errorf("%d trace events for 150 ignored requests", n)
	}
	if lb.forgedCount() != 75 {
		t.Errorf("forged count %d, want 75", lb.forgedCount())
	}
}

// Proves security rule 02 (docs/security.md).
func TestIPv6LoopbackRedirect(t *testing.T) {
	if ln, err := net.Listen("tcp", "[::1]:0"); err != nil {
		t.Skip("no IPv6 loopback on this machine")
	} else {
		ln.Close()
	}
	op := newFakeOP(t)
	cfg := op.config()
	cfg.Redirect.Host = "::1"
	_, ev, err := loginWith(t, cfg, newBrowser().open)
	if err != nil {
		t.Fatal(err)
	}
	if ru := redirectOf(t, ev.all()); !strings.HasPrefix(ru, "http://[::1]:") || op.lastTokenRedirect != ru {
		t.Errorf("redirect %q, token request %q", ru, op.lastTokenRedirect)
	}
}
