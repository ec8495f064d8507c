package apiclient

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestDoAttachesToken(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(echoHandler))
	ts := bearer("tok-123")
	resp, err := Do(context.Background(), Spec{URL: srv.URL + "/me", AttachToken: true}, ts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeEcho(t, resp).Authorization; got != "Bearer tok-123" {
		t.Errorf("Authorization = %q, want Bearer tok-123", got)
	}
	if !resp.TokenSent || resp.Status != 200 || resp.StatusText != "OK" || resp.Proto != "HTTP/1.1" {
		t.Errorf("resp = %+v", resp)
	}
	if ts.calls.Load() != 1 {
		t.Errorf("token source called %d times", ts.calls.Load())
	}

	// Without AttachToken no token is asked for or sent.
	resp, err = Do(context.Background(), Spec{URL: srv.URL + "/me"}, ts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeEcho(t, resp).Authorization; got != "" || resp.TokenSent {
		t.Errorf("Authorization = %q without AttachToken", got)
	}
	if ts.calls.Load() != 1 {
		t.Errorf("token source called without AttachToken")
	}
}

func TestDoTokenReplacesTypedAuthorization(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(echoHandler))
	spec := Spec{URL: srv.URL, AttachToken: true, Headers: []KV{{Key: "authorization", Value: "Basic eHh4", Enabled: true}}}
	resp, err := Do(context.Background(), spec, bearer("t1"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := decodeEcho(t, resp).Authorization; got != "Bearer t1" {
		t.Errorf("Authorization = %q", got)
	}
}

func TestRedirectSameOriginKeepsToken(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/start", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/echo", http.StatusFound)
	})
	mux.HandleFunc("/echo", echoHandler)
	srv := newServer(t, mux)

	spec := Spec{URL: srv.URL + "/start", AttachToken: true, Headers: []KV{{Key: "Cookie", Value: "c=1", Enabled: true}}}
	resp, err := Do(context.Background(), spec, bearer("same"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := decodeEcho(t, resp)
	if e.Authorization != "Bearer same" || e.Cookie != "c=1" {
		t.Errorf("same-origin redirect lost credentials: %+v", e)
	}
	if len(resp.Redirects) != 1 || resp.Redirects[0].Status != 302 || len(resp.Redirects[0].Dropped) != 0 || !resp.TokenSent {
		t.Errorf("redirects = %+v tokenSent=%v", resp.Redirects, resp.TokenSent)
	}
	if !strings.HasSuffix(resp.URL, "/echo") {
		t.Errorf("final URL %q", resp.URL)
	}
}

func TestRedirectCrossOriginDropsCredentials(t *testing.T) {
	var bHits atomic.Int32
	var back atomic.Pointer[string] // a URL on the first server
	other := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		bHits.Add(1)
		if r.URL.Path == "/back" {
			http.Redirect(w, r, *back.Load(), http.StatusFound)
			return
		}
		echoHandler(w, r)
	}))
	first := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/to-other":
			// Same IP, other port: another origin.
			http.Redirect(w, r, other.URL+"/echo", http.StatusTemporaryRedirect)
		case "/bounce":
			http.Redirect(w, r, other.URL+"/back", http.StatusFound)
		default:
			echoHandler(w, r)
		}
	}))
	backURL := first.URL + "/echo"
	back.Store(&backURL)

	spec := Spec{
		Method: "POST", URL: first.URL + "/to-other", AttachToken: true,
		Headers: []KV{
			{Key: "Cookie", Value: "session=s3cret", Enabled: true},
			{Key: "Proxy-Authorization", Value: "Basic cHJveHk=", Enabled: true},
			{Key: "X-Other", Value: "kept", Enabled: true},
		},
		BodyType: BodyJSON, Body: `{"a":1}`,
	}
	// A POST is never redirected: its form or body (and any credentials)
	// must not be re-sent to wherever the 307 points. The 307 is the answer.
	resp, err := Do(context.Background(), spec, bearer("cross"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Status != http.StatusTemporaryRedirect || len(resp.Redirects) != 0 || bHits.Load() != 0 {
		t.Errorf("POST followed a 307: status %d, redirects %+v, hits on B %d", resp.Status, resp.Redirects, bHits.Load())
	}

	// A GET follows to the other origin without its credentials.
	spec.Method, spec.BodyType, spec.Body = "GET", BodyNone, ""
	resp, err = Do(context.Background(), spec, bearer("cross"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	e := decodeEcho(t, resp)
	if e.Authorization != "" || e.Cookie != "" || e.ProxyAuth != "" {
		t.Errorf("credentials followed a cross-origin redirect: %+v", e)
	}
	if e.Other != "kept" || e.Method != "GET" {
		t.Errorf("307 should keep the method and other headers: %+v", e)
	}
	if resp.TokenSent {
		t.Error("TokenSent true after cross-origin redirect")
	}
	if len(resp.Redirects) != 1 || strings.Join(resp.Redirects[0].Dropped, ",") != "Authorization,Proxy-Authorization,Cookie" {
		t.Errorf("redirects = %+v", resp.Redirects)
	}
	bHits.Store(0)

	// A → B → A: once the chain left the origin, credentials stay dropped.
	spec.URL = first.URL + "/bounce"
	resp, err = Do(context.Background(), spec, bearer("cross"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if e := decodeEcho(t, resp); e.Authorization != "" || e.Cookie != "" || !strings.HasPrefix(e.URI, "/echo") {
		t.Errorf("credentials came back after A→B→A: %+v", e)
	}
	if len(resp.Redirects) != 2 || bHits.Load() != 1 {
		t.Errorf("redirects = %+v, hits on B = %d", resp.Redirects, bHits.Load())
	}
}

// net/http keeps Authorization when redirecting to a subdomain; Do must not.
func TestRedirectToSubdomainDropsToken(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Host == "api.test" {
			http.Redirect(w, r, "http://sub.api.test/echo", http.StatusFound)
			return
		}
		echoHandler(w, r)
	}))
	d := &dialRecorder{to: srv.Listener.Addr().String()}
	opts := Options{DialContext: d.dial, AllowInsecureToken: true}
	resp, err := Do(context.Background(), Spec{URL: "http://api.test/start", AttachToken: true}, bearer("sub"), opts)
	if err != nil {
		t.Fatal(err)
	}
	if e := decodeEcho(t, resp); e.Host != "sub.api.test" || e.Authorization != "" {
		t.Errorf("subdomain redirect: %+v", e)
	}
}

func TestTooManyRedirects(t *testing.T) {
	var hits atomic.Int32
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, "/again", http.StatusFound)
	}))
	_, err := Do(context.Background(), Spec{URL: srv.URL}, nil, Options{})
	if !errors.Is(err, ErrTooManyRedirects) {
		t.Fatalf("err = %v, want ErrTooManyRedirects", err)
	}
	if got := hits.Load(); got != MaxRedirects+1 {
		t.Errorf("server hit %d times, want %d (first request + %d redirects)", got, MaxRedirects+1, MaxRedirects)
	}
}

func TestInsecureTokenRefusedBeforeAnyNetwork(t *testing.T) {
	d := &dialRecorder{}
	ts := bearer("never-sent")
	spec := Spec{URL: "http://example.invalid/api", AttachToken: true}

	_, err := Do(context.Background(), spec, ts, Options{DialContext: d.dial})
	if !errors.Is(err, ErrInsecureTokenTransport) {
		t.Fatalf("err = %v, want ErrInsecureTokenTransport", err)
	}
	var ie *InsecureTransportError
	if !errors.As(err, &ie) || ie.Host != "example.invalid" {
		t.Errorf("err = %#v", err)
	}
	if d.count() != 0 || ts.calls.Load() != 0 {
		t.Fatalf("dials = %d, token calls = %d; want none", d.count(), ts.calls.Load())
	}

	// The same request goes to the network once the user allowed it …
	_, err = Do(context.Background(), spec, ts, Options{DialContext: d.dial, AllowInsecureToken: true})
	var re *RequestError
	if !errors.As(err, &re) || d.count() == 0 || ts.calls.Load() != 1 {
		t.Fatalf("with AllowInsecureToken: err = %v, dials = %d", err, d.count())
	}
	// … or when no token is attached.
	before := d.count()
	_, err = Do(context.Background(), Spec{URL: spec.URL}, ts, Options{DialContext: d.dial})
	if errors.Is(err, ErrInsecureTokenTransport) || d.count() == before {
		t.Fatalf("without token: err = %v, dials = %d", err, d.count())
	}
}

func TestTokenTransportOK(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://api.example.com/x":  true,
		"http://127.0.0.1:8080/x":    true,
		"http://127.9.9.9/x":         true,
		"http://[::1]:1/x":           true,
		"http://localhost:3000/x":    true,
		"http://LOCALHOST/x":         true,
		"http://api.example.com/x":   false,
		"http://localhost.evil.com/": false,
		"http://10.0.0.1/x":          false,
		"http://[::ffff:8.8.8.8]/":   false,
	} {
		u, _ := url.Parse(raw)
		if got := tokenTransportOK(u); got != want {
			t.Errorf("tokenTransportOK(%s) = %v", raw, got)
		}
	}
}

func TestTLSVerificationAndCustomRoots(t *testing.T) {
	srv := newTLSServer(t, http.HandlerFunc(echoHandler))
	spec := Spec{URL: srv.URL + "/me", AttachToken: true}

	_, err := Do(context.Background(), spec, bearer("tls"), Options{})
	var uae x509.UnknownAuthorityError
	if !errors.As(err, &uae) && !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("self-signed server accepted without its CA: %v", err)
	}

	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	pool, err := CertPoolFromPEM(pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := Do(context.Background(), spec, bearer("tls"), Options{RootCAs: pool})
	if err != nil {
		t.Fatal(err)
	}
	if decodeEcho(t, resp).Authorization != "Bearer tls" {
		t.Error("token not sent over https")
	}
	tm := resp.Timings
	if tm.TLSMs == nil || tm.ConnectMs == nil || tm.TTFBMs == nil || tm.TLSVersion == "" {
		t.Errorf("TLS timings missing: %+v", tm)
	}
	if _, err := CertPoolFromPEM([]byte("not a pem")); err == nil {
		t.Error("CertPoolFromPEM accepted garbage")
	}
}

func TestTimings(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(echoHandler))
	// An unshared pool pointer gives this test its own cached transport.
	opts := Options{RootCAs: x509.NewCertPool()}

	r1, err := Do(context.Background(), Spec{URL: srv.URL}, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	t1 := r1.Timings
	if t1.DNSMs != nil {
		t.Errorf("DNS measured for an IP literal: %v", *t1.DNSMs)
	}
	if t1.ConnectMs == nil || t1.TTFBMs == nil || t1.WaitMs == nil || t1.TLSMs != nil || t1.ReusedConn {
		t.Errorf("first request timings: %+v", t1)
	}
	if t1.TotalMs <= 0 || *t1.TTFBMs > t1.TotalMs {
		t.Errorf("inconsistent: ttfb %v total %v", *t1.TTFBMs, t1.TotalMs)
	}

	r2, err := Do(context.Background(), Spec{URL: srv.URL}, nil, opts)
	if err != nil {
		t.Fatal(err)
	}
	if t2 := r2.Timings; !t2.ReusedConn || t2.ConnectMs != nil || t2.DNSMs != nil || t2.TTFBMs == nil {
		t.Errorf("second request should reuse the connection: %+v", t2)
	}

	// A host name is looked up.
	port := srv.Listener.Addr().(interface{ String() string }).String()
	port = port[strings.LastIndexByte(port, ':'):]
	r3, err := Do(context.Background(), Spec{URL: "http://localhost" + port}, nil, Options{RootCAs: x509.NewCertPool()})
	if err != nil {
		t.Fatal(err)
	}
	if r3.Timings.DNSMs == nil {
		t.Errorf("no DNS timing for localhost: %+v", r3.Timings)
	}
}

func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			w.Write([]byte("partial"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	for _, path := range []string{"/slow-headers", "/slow-body"} {
		_, err := Do(context.Background(), Spec{URL: srv.URL + path}, nil, Options{Timeout: 50 * time.Millisecond})
		if !errors.Is(err, ErrTimeout) {
			t.Fatalf("%s: err = %v, want ErrTimeout", path, err)
		}
		if errors.Is(err, context.Canceled) {
			t.Errorf("%s: timeout reported as cancel: %v", path, err)
		}
		if !strings.Contains(err.Error(), "timed out") {
			t.Errorf("%s: message %q", path, err)
		}
	}
}

func TestCancel(t *testing.T) {
	arrived := make(chan struct{}, 1)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		arrived <- struct{}{}
		<-r.Context().Done()
	}))
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-arrived
		cancel()
	}()
	_, err := Do(ctx, Spec{URL: srv.URL}, nil, Options{})
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// blockingTS never answers until released (a refresh that hangs).
type blockingTS struct{ release chan struct{} }

func (b blockingTS) Token() (*oauth2.Token, error) {
	<-b.release
	return nil, errors.New("released")
}

func TestCancelWhileGettingToken(t *testing.T) {
	ts := blockingTS{release: make(chan struct{})}
	t.Cleanup(func() { close(ts.release) })
	d := &dialRecorder{}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Do(ctx, Spec{URL: "https://api.example.com/", AttachToken: true}, ts, Options{DialContext: d.dial})
	if !errors.Is(err, context.Canceled) || d.count() != 0 {
		t.Fatalf("err = %v, dials = %d", err, d.count())
	}
	_, err = Do(context.Background(), Spec{URL: "https://api.example.com/", AttachToken: true}, ts, Options{DialContext: d.dial, Timeout: 20 * time.Millisecond})
	var tse *TokenSourceError
	if !errors.As(err, &tse) || !errors.Is(err, ErrTimeout) || d.count() != 0 {
		t.Fatalf("err = %v, dials = %d", err, d.count())
	}
}

func TestTokenSourceErrorSurfaces(t *testing.T) {
	var hits atomic.Int32
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	rerr := &oauth2.RetrieveError{
		Response:         &http.Response{StatusCode: 400, Status: "400 Bad Request"},
		Body:             []byte(`{"error":"invalid_grant","refresh_token":"rt-SECRET"}`),
		ErrorCode:        "invalid_grant",
		ErrorDescription: "refresh token expired",
	}
	_, err := Do(context.Background(), Spec{URL: srv.URL, AttachToken: true}, &countingTS{err: rerr}, Options{})
	var tse *TokenSourceError
	var got *oauth2.RetrieveError
	if !errors.As(err, &tse) || !errors.As(err, &got) || got.ErrorCode != "invalid_grant" {
		t.Fatalf("err = %#v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "invalid_grant") || !strings.Contains(msg, "sign in again") {
		t.Errorf("message does not say what happened and what to do: %q", msg)
	}
	if hits.Load() != 0 {
		t.Error("request sent although no token was available")
	}

	_, err = Do(context.Background(), Spec{URL: srv.URL, AttachToken: true}, &countingTS{err: errors.New("refresh failed: access_token=AT-SECRET")}, Options{})
	if err == nil || strings.Contains(err.Error(), "AT-SECRET") {
		t.Errorf("secret in error: %v", err)
	}
	_, err = Do(context.Background(), Spec{URL: srv.URL, AttachToken: true}, &countingTS{tok: &oauth2.Token{}}, Options{})
	if !errors.As(err, &tse) {
		t.Errorf("empty token accepted: %v", err)
	}
	_, err = Do(context.Background(), Spec{URL: srv.URL, AttachToken: true}, &countingTS{tok: &oauth2.Token{AccessToken: "a\r\nX-Injected: 1"}}, Options{})
	if !errors.As(err, &tse) {
		t.Errorf("token with CRLF accepted: %v", err)
	}
	_, err = Do(context.Background(), Spec{URL: srv.URL, AttachToken: true}, nil, Options{})
	if !errors.Is(err, ErrNoTokenSource) {
		t.Errorf("nil token source: %v", err)
	}
	if hits.Load() != 0 {
		t.Error("request sent without a usable token")
	}
}

func TestErrorsMaskURLSecrets(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(echoHandler))
	addr := srv.URL
	srv.Close() // connection refused from now on

	spec := Spec{URL: addr + "/cb?code=CODE-SECRET&x=1", Params: []KV{{Key: "access_token", Value: "AT-SECRET", Enabled: true}}}
	_, err := Do(context.Background(), spec, nil, Options{})
	if err == nil {
		t.Fatal("no error from a closed server")
	}
	var re *RequestError
	if !errors.As(err, &re) {
		t.Fatalf("err = %#v", err)
	}
	msg := err.Error()
	for _, s := range []string{"CODE-SECRET", "AT-SECRET"} {
		if strings.Contains(msg, s) {
			t.Errorf("error leaks %s: %s", s, msg)
		}
	}
	if !strings.Contains(msg, "access_token=[redacted]") || !strings.Contains(msg, "x=1") {
		t.Errorf("error should show the masked URL: %s", msg)
	}
	// The unwrapped chain is clean too.
	for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), "SECRET") {
			t.Errorf("wrapped error leaks: %v", e)
		}
	}
}

func TestDebugLogsHaveNoSecrets(t *testing.T) {
	first := newServer(t, http.HandlerFunc(echoHandler))
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, first.URL+"/x?code=REDIRECT-CODE-SECRET", http.StatusFound)
	}))
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	spec := Spec{URL: srv.URL + "/?access_token=QUERY-SECRET", AttachToken: true}
	if _, err := Do(context.Background(), spec, bearer("HEADER-SECRET"), Options{Logger: logger}); err != nil {
		t.Fatal(err)
	}
	spec.URL = "http://127.0.0.1:1/?access_token=QUERY-SECRET" // refused connection: error path
	if _, err := Do(context.Background(), spec, bearer("HEADER-SECRET"), Options{Logger: logger}); err == nil {
		t.Fatal("expected an error from port 1")
	}
	out := buf.String()
	if !strings.Contains(out, "apiclient: sending") || !strings.Contains(out, "credentials dropped") || !strings.Contains(out, "apiclient: failed") {
		t.Fatalf("expected debug records, got:\n%s", out)
	}
	if strings.Contains(out, "SECRET") {
		t.Errorf("log leaks a secret:\n%s", out)
	}
}

func TestHTTP2AndConcurrentUse(t *testing.T) {
	s := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		fmt.Fprintf(w, "%s %s", r.Proto, r.Header.Get("Authorization"))
	}))
	s.EnableHTTP2 = true
	s.StartTLS()
	t.Cleanup(s.Close)
	pool := x509.NewCertPool()
	pool.AddCert(s.Certificate())

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok := fmt.Sprintf("t%d", i)
			resp, err := Do(context.Background(), Spec{URL: s.URL, AttachToken: true}, bearer(tok), Options{RootCAs: pool})
			switch {
			case err != nil:
				errs <- err
			case resp.Proto != "HTTP/2.0" || resp.Body != "HTTP/2.0 Bearer "+tok:
				errs <- fmt.Errorf("proto %s body %q", resp.Proto, resp.Body)
			case resp.Status != 418 || resp.StatusText != "I'm a teapot":
				// HTTP/2 has no reason phrase: the standard text fills in.
				errs <- fmt.Errorf("status %d %q", resp.Status, resp.StatusText)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// slowTS answers after a delay: a refresh that uses part of the budget.
type slowTS struct{ delay time.Duration }

func (s slowTS) Token() (*oauth2.Token, error) {
	time.Sleep(s.delay)
	return &oauth2.Token{AccessToken: "slow", TokenType: "Bearer"}, nil
}

// The token fetch and the exchange share one Options.Timeout: a token source
// that takes half of it leaves the request only the other half, so a server
// answering after three quarters of the budget is a timeout (with a fresh
// budget for the request it would have answered in time).
func TestTokenAndRequestShareOneBudget(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(150 * time.Millisecond):
		case <-r.Context().Done():
		}
	}))
	_, err := Do(context.Background(), Spec{URL: srv.URL, AttachToken: true}, slowTS{100 * time.Millisecond}, Options{Timeout: 200 * time.Millisecond})
	var re *RequestError
	if !errors.As(err, &re) || !errors.Is(err, ErrTimeout) || errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want a *RequestError timeout", err)
	}
}

// With debug logging on, the final record says how the response went.
func TestDebugLogsResponse(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(echoHandler))
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if _, err := Do(context.Background(), Spec{URL: srv.URL}, nil, Options{Logger: logger}); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); !strings.Contains(out, "apiclient: response") || !strings.Contains(out, "status=200") {
		t.Errorf("no response record:\n%s", out)
	}
}
