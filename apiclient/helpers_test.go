package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/oauth2"
)

// countingTS is a token source that counts calls and returns a fixed result.
type countingTS struct {
	tok   *oauth2.Token
	err   error
	calls atomic.Int32
}

func (c *countingTS) Token() (*oauth2.Token, error) {
	c.calls.Add(1)
	return c.tok, c.err
}

func bearer(v string) *countingTS {
	return &countingTS{tok: &oauth2.Token{AccessToken: v, TokenType: "bearer"}}
}

// echo is what echoServer answers: what it received.
type echo struct {
	Method        string `json:"method"`
	Host          string `json:"host"`
	URI           string `json:"uri"`
	Authorization string `json:"authorization"`
	Cookie        string `json:"cookie"`
	ProxyAuth     string `json:"proxyAuth"`
	Other         string `json:"other"`
	ContentType   string `json:"contentType"`
	Body          string `json:"body"`
}

func echoHandler(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(echo{
		Method: r.Method, Host: r.Host, URI: r.RequestURI,
		Authorization: r.Header.Get("Authorization"),
		Cookie:        r.Header.Get("Cookie"),
		ProxyAuth:     r.Header.Get("Proxy-Authorization"),
		Other:         r.Header.Get("X-Other"),
		ContentType:   r.Header.Get("Content-Type"),
		Body:          string(b),
	})
}

func decodeEcho(t *testing.T, r *Response) echo {
	t.Helper()
	var e echo
	if err := json.Unmarshal(r.Raw, &e); err != nil {
		t.Fatalf("echo body %q: %v", r.Body, err)
	}
	return e
}

// newServer starts an httptest server on 127.0.0.1 and closes it at cleanup.
func newServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s
}

// dialRecorder is an Options.DialContext that counts dials and can route
// every dial to one fixed address (to give a local server many host names).
type dialRecorder struct {
	mu    sync.Mutex
	addrs []string
	to    string // "" = refuse every dial
}

func (d *dialRecorder) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.addrs = append(d.addrs, addr)
	d.mu.Unlock()
	if d.to == "" {
		return nil, errors.New("test dialer: no network here")
	}
	var nd net.Dialer
	return nd.DialContext(ctx, network, d.to)
}

func (d *dialRecorder) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.addrs)
}

// newTLSServer starts an https httptest server with its own self-signed CA.
func newTLSServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	s := httptest.NewUnstartedServer(h)
	// Handshakes the test makes fail on purpose; keep them out of the output.
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}
