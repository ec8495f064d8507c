package auth

import (
	"context"
	"encoding/base64"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// events collects trace events concurrently.
type events struct {
	mu sync.Mutex
	ev []Event
}

func (e *events) add(ev Event) { e.mu.Lock(); e.ev = append(e.ev, ev); e.mu.Unlock() }
func (e *events) all() []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]Event(nil), e.ev...)
}
func (e *events) has(substr string) bool {
	for _, ev := range e.all() {
		if strings.Contains(ev.Message, substr) {
			return true
		}
	}
	return false
}

// redirectOf finds the redirect URI announced by the listener event.
func redirectOf(t *testing.T, evs []Event) string {
	t.Helper()
	for _, ev := range evs {
		if ev.Step == StepListener {
			if fl, ok := ev.Field("redirect_uri"); ok {
				return fl.Value
			}
		}
	}
	t.Fatal("no listener event with redirect_uri")
	return ""
}

func loginWith(t *testing.T, cfg Config, open Opener) (*Session, *events, error) {
	t.Helper()
	ev := &events{}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Login(ctx, cfg, LoginOptions{Open: open, Trace: ev.add})
	return s, ev, err
}

// portClosed reports whether nothing accepts connections at the URI's host:port.
func portClosed(t *testing.T, redirectURI string) bool {
	t.Helper()
	u, err := url.Parse(redirectURI)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.DialTimeout("tcp", u.Host, time.Second)
	if err != nil {
		return true
	}
	c.Close()
	return false
}

// noRedirect is an HTTP client that stops at the first redirect.
var noRedirect = &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
	return http.ErrUseLastResponse
}}

// callbackFor asks the provider's authorization endpoint for the callback
// URL it would redirect to, without following it.
func callbackFor(t *testing.T, authURL string) *url.URL {
	t.Helper()
	resp, err := noRedirect.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Host == "" {
		t.Fatalf("no callback redirect: %v %q", err, resp.Header.Get("Location"))
	}
	return loc
}

func get(t *testing.T, u string, host string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	if host != "" {
		req.Host = host
	}
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func mustIs(t *testing.T, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("error = %v, want errors.Is %v", err, target)
	}
}

func checkErr(t *testing.T, err error, check string) *CheckError {
	t.Helper()
	var ce *CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("error = %v (%T), want *CheckError %q", err, err, check)
	}
	if ce.Check != check {
		t.Fatalf("failed check = %q (%v), want %q", ce.Check, err, check)
	}
	return ce
}

// httptestServer starts a plain handler server and returns its URL.
func httptestServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// parseFormBody parses an application/x-www-form-urlencoded body.
func parseFormBody(b []byte) (url.Values, error) { return url.ParseQuery(string(b)) }

// basicValue is the Basic credentials value for id and secret (RFC 6749 §2.3.1).
func basicValue(id, secret string) string {
	return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
}
