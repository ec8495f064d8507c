package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"pkcedesk/auth"
)

// A provider that rejects the redirect URI shows its error in the browser
// and never calls back: the timeout must name what to register.
func TestTimeoutWithoutCallbackNamesRedirectToRegister(t *testing.T) {
	srv := startDemo(t, 0)
	cfg := demoConfig(srv)
	cfg.Timeout = 300 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := auth.Login(ctx, cfg, auth.LoginOptions{Open: func(context.Context, string) error { return nil }})
	if !errors.Is(err, auth.ErrTimeout) {
		t.Fatalf("err = %v, want ErrTimeout", err)
	}
	var nc *auth.NoCallbackError
	if !errors.As(err, &nc) {
		t.Fatalf("err %T is not a *NoCallbackError", err)
	}
	if nc.Register != "http://127.0.0.1/callback" || !strings.Contains(err.Error(), "register http://127.0.0.1/callback for client pkce-desk-demo") {
		t.Errorf("message %q", err)
	}
	if !strings.HasPrefix(nc.Used, "http://127.0.0.1:") {
		t.Errorf("used redirect %q", nc.Used)
	}
}
