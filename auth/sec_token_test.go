package auth

import (
	"encoding/pem"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"pkcedesk/internal/capped"
)

// Proves security rule 14 (docs/security.md).
func TestCallbackIssMustMatch(t *testing.T) {
	op := newFakeOP(t)
	op.callbackEdit = func(q url.Values) { q.Set("iss", "https://evil.example") }
	_, _, err := loginWith(t, op.config(), newBrowser().open)
	checkErr(t, err, "callback issuer")
	if op.count(&op.tokenPosts) != 0 {
		t.Error("code exchanged despite an iss mismatch")
	}
	// Advertised but missing → rejected.
	op.callbackEdit = func(q url.Values) { q.Del("iss") }
	_, _, err = loginWith(t, op.config(), newBrowser().open)
	checkErr(t, err, "callback issuer")
	// Not advertised and missing → fine (RFC 9207 §2.4).
	op2 := newFakeOP(t)
	op2.metaEdit = func(m map[string]any) { delete(m, "authorization_response_iss_parameter_supported") }
	op2.callbackEdit = func(q url.Values) { q.Del("iss") }
	if _, _, err := loginWith(t, op2.config(), newBrowser().open); err != nil {
		t.Fatal(err)
	}
}

// Proves security rule 15 (docs/security.md).
func TestOnePostPerCodeWithFixedAuthStyle(t *testing.T) {
	for _, m := range []AuthMethod{AuthClientSecretBasic, AuthClientSecretPost} {
		op := newFakeOP(t)
		op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 401, map[string]string{"error": "invalid_client", "error_description": "bad secret"})
		}
		cfg := op.config()
		cfg.ClientSecret, cfg.AuthMethod = NewSecret("s3cr3t/+="), m
		_, _, err := loginWith(t, cfg, newBrowser().open)
		var pe *ProviderError
		if !errors.As(err, &pe) || pe.Code != "invalid_client" {
			t.Fatalf("%s: err = %v", m, err)
		}
		if n := op.count(&op.tokenPosts); n != 1 {
			t.Errorf("%s: %d token POSTs, want exactly 1", m, n)
		}
		hasBasic := strings.HasPrefix(op.lastTokenAuthHeader, "Basic ")
		if hasBasic != (m == AuthClientSecretBasic) {
			t.Errorf("%s: Authorization header %q", m, op.lastTokenAuthHeader)
		}
	}
}

// Proves security rule 15 (docs/security.md).
func TestHTMLErrorPageShownAsText(t *testing.T) {
	op := newFakeOP(t)
	op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(500)
		_, _ = w.Write([]byte("<html><body><h1>Internal Server Error</h1><script>x()</script></body></html>"))
	}
	_, _, err := loginWith(t, op.config(), newBrowser().open)
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 500 {
		t.Fatalf("err = %v", err)
	}
	if strings.ContainsAny(he.Snippet, "<>") || !strings.Contains(he.Snippet, "Internal Server Error") {
		t.Errorf("snippet %q", he.Snippet)
	}
}

// Proves security rule 15 (docs/security.md).
func TestHugeTokenResponseIsCapped(t *testing.T) {
	op := newFakeOP(t)
	op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		chunk := []byte(strings.Repeat("a", 64<<10))
		_, _ = w.Write([]byte(`{"access_token":"`))
		for range 50 << 20 / len(chunk) { // 50 MB
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
	_, _, err := loginWith(t, op.config(), newBrowser().open)
	if !errors.Is(err, capped.ErrTooLarge) {
		t.Fatalf("err = %v, want the body cap", err)
	}
}

// Proves security rule 15 (docs/security.md).
func TestEveryClientHasATimeout(t *testing.T) {
	c, err := httpClientFor(&Config{})
	if err != nil || c.Timeout <= 0 {
		t.Fatalf("default client timeout %v %v", c.Timeout, err)
	}
	c, _ = httpClientFor(&Config{HTTPClient: &http.Client{}})
	if c.Timeout <= 0 {
		t.Fatal("a caller's client without timeout was used as is")
	}
	op := newFakeOP(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) }) // runs before the server's Close
	op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	cfg := op.config()
	cfg.HTTPClient = &http.Client{Timeout: 300 * time.Millisecond}
	_, _, err = loginWith(t, cfg, newBrowser().open)
	if err == nil || !strings.Contains(err.Error(), "could not reach") {
		t.Fatalf("err = %v, want a timeout reaching the token endpoint", err)
	}
}

// Proves security rule 15 (docs/security.md).
func TestRedirectURIRejectedNamesWhatToRegister(t *testing.T) {
	op := newFakeOP(t)
	op.callbackEdit = func(q url.Values) {
		q.Del("code")
		q.Set("error", "invalid_request")
		q.Set("error_description", "The redirect_uri is not registered")
	}
	_, ev, err := loginWith(t, op.config(), newBrowser().open)
	var re *RedirectURIError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v", err)
	}
	used := redirectOf(t, ev.all())
	want := "the provider rejected the redirect URI " + used + " — register http://127.0.0.1/callback for client desk-app (any port)"
	if err.Error() != want {
		t.Errorf("message\n %q\nwant\n %q", err.Error(), want)
	}
}

// Proves security rule 16 (docs/security.md).
func TestTokenResponseChecks(t *testing.T) {
	cases := map[string]struct {
		edit  func(m map[string]any)
		check string
	}{
		"missing access_token": {func(m map[string]any) { delete(m, "access_token") }, "access_token"},
		"token_type Basic":     {func(m map[string]any) { m["token_type"] = "Basic" }, "token_type"},
		"no id_token":          {func(m map[string]any) { delete(m, "id_token") }, "id_token"},
		"bad expires_in":       {func(m map[string]any) { m["expires_in"] = "soon" }, "expires_in"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			op := newFakeOP(t)
			op.tokenEdit = c.edit
			s, _, err := loginWith(t, op.config(), newBrowser().open)
			checkErr(t, err, c.check)
			if s != nil {
				t.Error("a session was returned")
			}
		})
	}
	// lower-case bearer (GitHub) is fine.
	op := newFakeOP(t)
	op.tokenEdit = func(m map[string]any) { m["token_type"] = "bearer" }
	if _, _, err := loginWith(t, op.config(), newBrowser().open); err != nil {
		t.Fatal(err)
	}
}

// Proves security rule 17 (docs/security.md).
func TestTLSAlwaysVerifiedCustomCAAndHTTPOnlyOnLoopback(t *testing.T) {
	for _, u := range []string{"http://example.com", "http://10.0.0.1/x", "ftp://127.0.0.1"} {
		cfg := Config{Issuer: u, ClientID: "x"}
		if err := cfg.Validate(); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("issuer %s accepted: %v", u, err)
		}
	}
	cfg := Config{ClientID: "x", Endpoints: Endpoints{Authorization: "https://a.example/auth", Token: "http://a.example/token"}}
	if err := cfg.Validate(); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("http token endpoint accepted: %v", err)
	}
	op := newFakeOPWith(t, true)
	cfg = op.config()
	if _, _, err := loginWith(t, cfg, newBrowser().open); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("untrusted TLS accepted: %v", err)
	}
	cfg.CAPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: op.srv.Certificate().Raw})
	b := newBrowser()
	b.insecureTLS = true // the stand-in browser, not the engine, trusts the test CA
	if _, _, err := loginWith(t, cfg, b.open); err != nil {
		t.Fatalf("with the CA bundle: %v", err)
	}
	if _, err := NewHTTPClient([]byte("not pem")); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("garbage CA bundle accepted: %v", err)
	}
}
