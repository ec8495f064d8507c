package auth

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// connCounter is the per-connection request count of dyingKeepAliveServer.
type connCounter struct{ n atomic.Int32 }

type connKey struct{}

// dyingKeepAliveServer is a token endpoint whose kept-alive connections die
// on their second request: it reads the request and drops the connection
// without an answer, as a server closing an idle connection at the moment
// the client reuses it does. Each answer carries a new access token.
func dyingKeepAliveServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var conns, tokens atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Context().Value(connKey{}).(*connCounter).n.Add(1) == 2 {
			hj, _ := w.(http.Hijacker)
			c, _, err := hj.Hijack()
			if err == nil {
				_ = c.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":"cc-token-%d","token_type":"Bearer","expires_in":3600}`, tokens.Add(1))
	}))
	srv.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		conns.Add(1)
		return context.WithValue(ctx, connKey{}, &connCounter{})
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, &conns
}

// A client-credentials renewal sent on a kept-alive connection the server
// has just dropped goes out once more on a new connection (the request is
// safe to repeat), instead of failing with EOF or "connection reset".
func TestRepeatableGrantSurvivesADeadKeptAliveConnection(t *testing.T) {
	srv, conns := dyingKeepAliveServer(t)
	cfg := Config{Grant: GrantClientCredentials, Endpoints: Endpoints{Token: srv.URL + "/token"}, ClientID: "svc",
		ClientSecret: NewSecret("svc-secret-value-0123456789"), AuthMethod: AuthClientSecretBasic,
		HTTPClient: &http.Client{Transport: srv.Client().Transport, Timeout: 10 * time.Second}}
	s, err := Login(context.Background(), cfg, LoginOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := s.Refresh(context.Background()) // the kept-alive connection dies under it
	if err != nil {
		t.Fatalf("renewal on a dead kept-alive connection failed: %v", err)
	}
	if got := tok.AccessToken.Reveal(); got != "cc-token-2" {
		t.Fatalf("access token %q, want the second one issued", got)
	}
	if conns.Load() != 2 {
		t.Fatalf("%d connections: want the renewal resent on a second one", conns.Load())
	}
}

// A refresh is never resent: a refresh token the provider rotated on the
// lost answer would be gone, so the failure is reported instead.
func TestRefreshIsNeverResentOnADeadConnection(t *testing.T) {
	srv, conns := dyingKeepAliveServer(t)
	c := &client{cfg: &Config{ClientID: "pub"}, http: &http.Client{Transport: srv.Client().Transport, Timeout: 10 * time.Second}}
	form := map[string][]string{"grant_type": {"refresh_token"}, "refresh_token": {"rt"}}
	if _, _, _, err := c.postForm(context.Background(), srv.URL+"/token", form, 1<<16); err != nil {
		t.Fatal(err)
	}
	_, _, _, err := c.postForm(context.Background(), srv.URL+"/token", form, 1<<16)
	if err == nil || !strings.Contains(err.Error(), "could not reach") {
		t.Fatalf("second refresh on the dead connection: %v, want a failure", err)
	}
	if conns.Load() != 1 {
		t.Fatalf("%d connections: the refresh was resent", conns.Load())
	}
}
