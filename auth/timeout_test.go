package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A token endpoint that never answers must not hold the sign-in past the
// profile's timeout (the HTTP client's own limit is 30 s).
func TestSignInTimeoutBoundsTheCodeExchange(t *testing.T) {
	op := newFakeOP(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // runs before the server closes
	op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-time.After(40 * time.Second):
		}
	}
	cfg := op.config()
	cfg.Timeout = 2 * time.Second
	start := time.Now()
	_, _, err := loginWith(t, cfg, newBrowser().open)
	took := time.Since(start)
	var ste *StepTimeoutError
	if !errors.As(err, &ste) || !errors.Is(err, ErrTimeout) {
		t.Fatalf("Login = %v, want a *StepTimeoutError matching ErrTimeout", err)
	}
	if !strings.Contains(err.Error(), "token endpoint") {
		t.Errorf("the error must say which step ran out of time: %v", err)
	}
	// Generous: the point is 2 s, not 30 s.
	if took > 15*time.Second {
		t.Errorf("Login took %v with a 2 s timeout", took)
	}
}

// Ctrl-C during discovery is a cancel like at any other step, not a
// network problem with the issuer.
func TestCancelDuringDiscoveryIsCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	inDiscovery := make(chan struct{})
	issuer := httptestServer(t, func(w http.ResponseWriter, r *http.Request) {
		close(inDiscovery)
		cancel() // the user presses Ctrl-C while discovery is in flight
		<-r.Context().Done()
	})
	b := newBrowser()
	_, err := Login(ctx, Config{Issuer: issuer, ClientID: "c", Scopes: []string{"openid"}}, LoginOptions{Open: b.open})
	select {
	case <-inDiscovery:
	default:
		t.Fatal("discovery was never reached; the test proves nothing")
	}
	if !errors.Is(err, ErrCanceled) {
		t.Fatalf("Login = %v, want ErrCanceled", err)
	}
	if strings.Contains(err.Error(), "check the issuer URL") {
		t.Errorf("a cancel must not read as a network problem: %v", err)
	}
}
