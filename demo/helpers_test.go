package demo

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"pkcedesk/internal/browserbot"
)

// startServer starts a demo Server for one test and closes it afterwards.
func startServer(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// callbackSink is a stand-in for the app's loopback receiver: it records
// the query of every request to /callback.
type callbackSink struct {
	srv *httptest.Server
	got chan url.Values
}

func newCallbackSink(t testing.TB) *callbackSink {
	t.Helper()
	c := &callbackSink{got: make(chan url.Values, 8)}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == CallbackPath {
			select {
			case c.got <- r.URL.Query():
			default:
			}
		}
		io.WriteString(w, "You can close this tab.")
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *callbackSink) redirectURI() string { return c.srv.URL + CallbackPath }

// wait returns the next callback query (the bot has finished when Open
// returned, so it is already there).
func (c *callbackSink) wait(t testing.TB) url.Values {
	t.Helper()
	select {
	case q := <-c.got:
		return q
	case <-time.After(10 * time.Second):
		t.Fatal("no callback arrived")
		return nil
	}
}

// noRedirectClient returns a client that shows redirects instead of following them.
func noRedirectClient() *http.Client {
	return &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

// oauthConfig is the demo client as plain golang.org/x/oauth2 sees it.
func oauthConfig(s *Server, redirectURI string, scopes ...string) *oauth2.Config {
	if len(scopes) == 0 {
		scopes = []string{"openid", "profile", "email", "offline_access", "orders:read"}
	}
	return &oauth2.Config{
		ClientID: s.ClientID(),
		Endpoint: oauth2.Endpoint{
			AuthURL:   s.Issuer() + "/authorize",
			TokenURL:  s.Issuer() + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: redirectURI,
		Scopes:      scopes,
	}
}

// flow is one completed sign-in.
type flow struct {
	cfg      *oauth2.Config
	verifier string
	nonce    string
	state    string
	callback url.Values
	token    *oauth2.Token
}

// signIn runs a whole authorization-code + PKCE sign-in through the bot and
// exchanges the code with x/oauth2.
func signIn(t testing.TB, s *Server, bot *browserbot.Bot, scopes ...string) *flow {
	t.Helper()
	sink := newCallbackSink(t)
	f := &flow{
		cfg:      oauthConfig(s, sink.redirectURI(), scopes...),
		verifier: oauth2.GenerateVerifier(),
		nonce:    "n-" + oauth2.GenerateVerifier()[:16],
		state:    "s-" + oauth2.GenerateVerifier()[:16],
	}
	authURL := f.cfg.AuthCodeURL(f.state, oauth2.S256ChallengeOption(f.verifier), oauth2.SetAuthURLParam("nonce", f.nonce))
	if err := bot.Open(t.Context(), authURL); err != nil {
		t.Fatalf("bot.Open: %v", err)
	}
	f.callback = sink.wait(t)
	if e := f.callback.Get("error"); e != "" {
		t.Fatalf("callback error %s: %s", e, f.callback.Get("error_description"))
	}
	if f.callback.Get("state") != f.state {
		t.Fatalf("state = %q, want %q", f.callback.Get("state"), f.state)
	}
	if f.callback.Get("iss") != s.Issuer() {
		t.Fatalf("iss = %q, want %q (RFC 9207)", f.callback.Get("iss"), s.Issuer())
	}
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, &http.Client{Timeout: 10 * time.Second})
	tok, err := f.cfg.Exchange(ctx, f.callback.Get("code"), oauth2.VerifierOption(f.verifier))
	if err != nil {
		t.Fatalf("Exchange: %v", err)
	}
	f.token = tok
	return f
}

// jwtClaims decodes a JWT's payload without verifying it (tests verify
// separately).
func jwtClaims(t testing.TB, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWS compact token: %d parts", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("payload: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("payload JSON: %v", err)
	}
	return m
}

// atHash computes OIDC Core §3.1.3.6 at_hash for RS256.
func atHash(accessToken string) string {
	sum := sha256.Sum256([]byte(accessToken))
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// apiCall sends a request to the demo API with an optional bearer token.
func apiCall(t testing.TB, method, u, token, body string) (*http.Response, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s %s: body is not JSON: %q", method, u, b)
		}
	}
	return resp, m
}

// postForm posts a form and decodes a JSON answer.
func postForm(t testing.TB, u string, form url.Values, basicUser *string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicUser != nil {
		req.SetBasicAuth(*basicUser, "")
	}
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m
}
