package demo

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"pkcedesk/internal/browserbot"
)

// callbackRecorder is a browser's network as the repeated-parameter tests
// need it: requests to the provider go out for real, a request to any other
// host is recorded and answered here without dialing, so a code sent to
// localhost or 127.0.0.2 is caught instead of delivered somewhere.
type callbackRecorder struct {
	provider string // host:port of the demo provider
	next     *http.Transport

	mu   sync.Mutex
	seen []*url.URL
}

func newCallbackRecorder(t *testing.T, s *Server) *callbackRecorder {
	t.Helper()
	u, err := url.Parse(s.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	c := &callbackRecorder{provider: u.Host, next: http.DefaultTransport.(*http.Transport).Clone()}
	t.Cleanup(c.next.CloseIdleConnections)
	return c
}

func (c *callbackRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.URL.Host == c.provider {
		return c.next.RoundTrip(r)
	}
	c.mu.Lock()
	u := *r.URL
	c.seen = append(c.seen, &u)
	c.mu.Unlock()
	return &http.Response{
		StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:  http.Header{"Content-Type": {"text/plain; charset=utf-8"}},
		Body:    io.NopCloser(strings.NewReader("You can close this tab.")),
		Request: r,
	}, nil
}

// codesDelivered returns every recorded request that carried a code.
func (c *callbackRecorder) codesDelivered() []*url.URL {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []*url.URL
	for _, u := range c.seen {
		if u.Query().Has("code") {
			out = append(out, u)
		}
	}
	return out
}

// rawAuthorizeURL builds an authorization URL from an ordered list of
// key=value pairs, so a test can repeat a parameter.
func rawAuthorizeURL(s *Server, pairs ...[2]string) string {
	parts := make([]string, 0, len(pairs))
	for _, p := range pairs {
		parts = append(parts, url.QueryEscape(p[0])+"="+url.QueryEscape(p[1]))
	}
	return s.Issuer() + "/authorize?" + strings.Join(parts, "&")
}

// fetch sends one request without following redirects and returns the
// response with its body (capped).
func fetch(t *testing.T, method, u, form string) (*http.Response, string) {
	t.Helper()
	var body io.Reader
	if form != "" {
		body = strings.NewReader(form)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := noRedirectClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp, string(b)
}

// wantRefusedPage checks the answer to a request with a repeated parameter
// at a browser-facing endpoint: a 400 page naming the parameter, and no
// redirect anywhere (RFC 6749 §3.1, §4.1.2.1).
func wantRefusedPage(t *testing.T, resp *http.Response, body, param string) {
	t.Helper()
	if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
		t.Errorf("status %d Location %q, want 400 and no redirect", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !strings.Contains(body, param) || !strings.Contains(body, "more than once") {
		t.Errorf("the page does not say that %s is repeated: %.300q", param, body)
	}
}

// TestRepeatedRedirectURINeverGetsACode replays the reported attacks: the
// guard used to check the first redirect_uri (or client_id) while op used
// the last, so a code went to localhost or 127.0.0.2.
func TestRepeatedRedirectURINeverGetsACode(t *testing.T) {
	s := startServer(t, Options{})
	good := "http://127.0.0.1:53111/callback"
	challenge := oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())
	base := [][2]string{
		{"response_type", "code"}, {"scope", "openid profile"}, {"state", "st-123"},
		{"code_challenge", challenge}, {"code_challenge_method", "S256"},
	}
	cases := []struct {
		name, param string
		pairs       [][2]string
	}{
		{"then localhost", "redirect_uri", [][2]string{
			{"client_id", s.ClientID()}, {"redirect_uri", good}, {"redirect_uri", "http://localhost:53111/callback"}}},
		{"then 127.0.0.2", "redirect_uri", [][2]string{
			{"client_id", s.ClientID()}, {"redirect_uri", good}, {"redirect_uri", "http://127.0.0.2:53111/callback"}}},
		{"client_id other first", "client_id", [][2]string{
			{"client_id", "someone-else"}, {"client_id", s.ClientID()}, {"redirect_uri", "http://localhost:53111/callback"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := rawAuthorizeURL(s, append(tc.pairs, base...)...)
			resp, body := fetch(t, http.MethodGet, u, "")
			wantRefusedPage(t, resp, body, tc.param)

			// And through a whole sign-in: no code reaches any host.
			rec := newCallbackRecorder(t, s)
			bot := browserbot.New(browserbot.Options{Client: &http.Client{Transport: rec, Timeout: 10 * time.Second}})
			err := bot.Open(t.Context(), u)
			if got := rec.codesDelivered(); len(got) > 0 {
				t.Fatalf("a code was delivered to %s (bot: %v)", got[0].Host, err)
			}
			if err == nil {
				t.Error("the sign-in reached a callback; want it stuck on the error page")
			}
		})
	}
}

// TestRepeatedParamInQueryAndBody: a POSTed authorization request counts the
// query and the body together; a value in each is a repeat too.
func TestRepeatedParamInQueryAndBody(t *testing.T) {
	s := startServer(t, Options{})
	form := url.Values{
		"client_id": {s.ClientID()}, "response_type": {"code"}, "scope": {"openid"}, "state": {"st"},
		"redirect_uri":          {"http://127.0.0.1:53111/callback"},
		"code_challenge":        {oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())},
		"code_challenge_method": {"S256"},
	}
	u := s.Issuer() + "/authorize?" + url.Values{"redirect_uri": {"http://localhost:53111/callback"}}.Encode()
	resp, body := fetch(t, http.MethodPost, u, form.Encode())
	wantRefusedPage(t, resp, body, "redirect_uri")
}

// TestRepeatedCodeChallengeMethodIsRefused replays the PKCE downgrade: S256
// for the guard, plain for op. It must be refused up front; should a code be
// issued anyway, the plain verifier must not redeem it.
func TestRepeatedCodeChallengeMethodIsRefused(t *testing.T) {
	s := startServer(t, Options{})
	sink := newCallbackSink(t)
	plainVerifier := oauth2.GenerateVerifier() // 43 base64url characters: passes as an S256 challenge too
	u := rawAuthorizeURL(s,
		[2]string{"client_id", s.ClientID()}, [2]string{"response_type", "code"},
		[2]string{"scope", "openid profile"}, [2]string{"state", "st-123"},
		[2]string{"redirect_uri", sink.redirectURI()},
		[2]string{"code_challenge", plainVerifier},
		[2]string{"code_challenge_method", "S256"}, [2]string{"code_challenge_method", "plain"},
	)
	resp, body := fetch(t, http.MethodGet, u, "")
	wantRefusedPage(t, resp, body, "code_challenge_method")

	bot := browserbot.New(browserbot.Options{})
	_ = bot.Open(t.Context(), u) // stuck on the error page, or (bug) at the callback
	var code string
	select {
	case q := <-sink.got:
		code = q.Get("code")
	default:
	}
	if code == "" {
		return
	}
	t.Error("a code was issued for a request with code_challenge_method repeated")
	ctx := context.WithValue(t.Context(), oauth2.HTTPClient, &http.Client{Timeout: 10 * time.Second})
	if _, err := oauthConfig(s, sink.redirectURI()).Exchange(ctx, code, oauth2.VerifierOption(plainVerifier)); err == nil {
		t.Error("plain PKCE accepted: the code was redeemed with verifier == challenge")
	}
}

// tokenEndpointError posts form (and an optional query) to the token
// endpoint and returns the status and the JSON error.
func tokenEndpointError(t *testing.T, s *Server, query string, form string) (int, map[string]any, http.Header) {
	t.Helper()
	u := s.Issuer() + "/oauth/token"
	if query != "" {
		u += "?" + query
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, m, h := doJSON(t, req)
	return status, m, h
}

// TestRepeatedParamsAtTokenEndpoint: a token request with any parameter
// twice gets invalid_request naming it, and the code stays redeemable
// by a well-formed request (RFC 6749 §3.1, §5.2).
func TestRepeatedParamsAtTokenEndpoint(t *testing.T) {
	s := startServer(t, Options{})
	sink := newCallbackSink(t)
	cfg := oauthConfig(s, sink.redirectURI())
	verifier := oauth2.GenerateVerifier()
	if err := browserbot.New(browserbot.Options{}).Open(t.Context(), cfg.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier))); err != nil {
		t.Fatal(err)
	}
	code := sink.wait(t).Get("code")
	good := url.Values{
		"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {sink.redirectURI()},
		"client_id": {s.ClientID()}, "code_verifier": {verifier},
	}
	repeat := func(key, first string) string {
		return key + "=" + url.QueryEscape(first) + "&" + good.Encode()
	}
	cases := []struct {
		name, param, query, form string
	}{
		{"code_verifier wrong then right", "code_verifier", "", repeat("code_verifier", oauth2.GenerateVerifier())},
		{"code bogus then real", "code", "", repeat("code", "bogus")},
		{"redirect_uri", "redirect_uri", "", repeat("redirect_uri", "http://localhost:1/callback")},
		{"client_id", "client_id", "", repeat("client_id", "someone-else")},
		{"grant_type in query and body", "grant_type", "grant_type=refresh_token", good.Encode()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, m, h := tokenEndpointError(t, s, tc.query, tc.form)
			if status != http.StatusBadRequest || m["error"] != "invalid_request" ||
				m["error_description"] != "parameter "+tc.param+" is repeated" {
				t.Fatalf("status %d body %v, want 400 invalid_request %q", status, m, "parameter "+tc.param+" is repeated")
			}
			if _, ok := m["access_token"]; ok {
				t.Fatal("tokens issued for a request with a repeated parameter")
			}
			if !strings.HasPrefix(h.Get("Content-Type"), "application/json") || h.Get("Cache-Control") != "no-store" {
				t.Errorf("Content-Type %q Cache-Control %q, want JSON and no-store (RFC 6749 §5.2)", h.Get("Content-Type"), h.Get("Cache-Control"))
			}
		})
	}
	status, m, _ := tokenEndpointError(t, s, "", good.Encode())
	if status != http.StatusOK || m["access_token"] == nil {
		t.Fatalf("the well-formed exchange after the refusals: status %d %v", status, m)
	}
}

// TestRepeatedParamsAtRevocationAndIntrospection: the same rule at the other
// form endpoints (RFC 7009 §2.1, RFC 7662 §2.1).
func TestRepeatedParamsAtRevocationAndIntrospection(t *testing.T) {
	s := startServer(t, Options{})
	f := signIn(t, s, browserbot.New(browserbot.Options{}))
	for _, path := range []string{"/revoke", "/oauth/introspect"} {
		form := "token=" + url.QueryEscape(f.token.AccessToken) + "&token=other&client_id=" + s.ClientID()
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.Issuer()+path, strings.NewReader(form))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		status, m, _ := doJSON(t, req)
		if status != http.StatusBadRequest || m["error"] != "invalid_request" || m["error_description"] != "parameter token is repeated" {
			t.Errorf("%s: status %d body %v, want 400 invalid_request", path, status, m)
		}
	}
	// Nothing was revoked.
	if resp, _ := apiCall(t, "GET", s.APIBase()+"/me", f.token.AccessToken, ""); resp.StatusCode != http.StatusOK {
		t.Fatalf("access token after refused revocations: %d, want 200", resp.StatusCode)
	}
}

// TestRepeatedParamsAtEndSession: a repeated post_logout_redirect_uri is
// refused with a page, never followed.
func TestRepeatedParamsAtEndSession(t *testing.T) {
	s := startServer(t, Options{})
	u := s.Issuer() + "/end_session?post_logout_redirect_uri=" + url.QueryEscape("http://127.0.0.1:53111/bye") +
		"&post_logout_redirect_uri=" + url.QueryEscape("http://localhost:53111/bye")
	resp, body := fetch(t, http.MethodGet, u, "")
	wantRefusedPage(t, resp, body, "post_logout_redirect_uri")
}

// TestRepeatedParamNameIsNotEchoedRaw: a parameter name outside the plain
// OAuth alphabet is not copied into error_description (RFC 6749 §5.2
// restricts its characters).
func TestRepeatedParamNameIsNotEchoedRaw(t *testing.T) {
	s := startServer(t, Options{})
	status, m, _ := tokenEndpointError(t, s, "", "a%22b=1&a%22b=2&grant_type=authorization_code")
	if status != http.StatusBadRequest || m["error"] != "invalid_request" || m["error_description"] != "a parameter is repeated" {
		t.Fatalf("status %d body %v", status, m)
	}
}

// doJSON sends req and decodes a JSON answer (capped).
func doJSON(t *testing.T, req *http.Request) (int, map[string]any, http.Header) {
	t.Helper()
	resp, err := noRedirectClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s %s: status %d, body is not JSON: %.200q", req.Method, req.URL.Path, resp.StatusCode, b)
	}
	return resp.StatusCode, m, resp.Header
}

// TestCaseVariantIsTheSameParameter: op's form decoder matches parameter
// names ignoring case (Unicode folding), so Redirect_URI is redirect_uri
// sent a second time, and a lone CLIENT_ID is client_id. The guard must see
// what op sees.
func TestCaseVariantIsTheSameParameter(t *testing.T) {
	s := startServer(t, Options{})
	good := "http://127.0.0.1:53111/callback"
	localhost := "http://localhost:53111/callback"
	challenge := oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())
	base := [][2]string{{"response_type", "code"}, {"scope", "openid"}, {"state", "st-123"}}
	pkce := [][2]string{{"code_challenge", challenge}, {"code_challenge_method", "S256"}}
	cases := []struct {
		name, param string // param "" : refused by the guard's redirect rule, not as a repeat
		pairs       [][2]string
	}{
		{"REDIRECT_URI", "redirect_uri", append([][2]string{
			{"client_id", s.ClientID()}, {"redirect_uri", good}, {"REDIRECT_URI", localhost}}, pkce...)},
		{"CLIENT_ID", "client_id", append([][2]string{
			{"client_id", "someone-else"}, {"CLIENT_ID", s.ClientID()}, {"redirect_uri", localhost}}, pkce...)},
		{"Code_Challenge_Method", "code_challenge_method", [][2]string{
			{"client_id", s.ClientID()}, {"redirect_uri", good}, {"code_challenge", challenge},
			{"code_challenge_method", "S256"}, {"Code_Challenge_Method", "plain"}}},
		{"lone CLIENT_ID", "", append([][2]string{
			{"CLIENT_ID", s.ClientID()}, {"redirect_uri", localhost}}, pkce...)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			u := rawAuthorizeURL(s, append(tc.pairs, base...)...)
			resp, body := fetch(t, http.MethodGet, u, "")
			if tc.param != "" {
				wantRefusedPage(t, resp, body, tc.param)
			} else if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" ||
				!strings.Contains(body, "redirect URI is not registered") {
				t.Errorf("status %d Location %q body %.200q, want the guard's redirect-URI error page", resp.StatusCode, resp.Header.Get("Location"), body)
			}
			rec := newCallbackRecorder(t, s)
			bot := browserbot.New(browserbot.Options{Client: &http.Client{Transport: rec, Timeout: 10 * time.Second}})
			err := bot.Open(t.Context(), u)
			if got := rec.codesDelivered(); len(got) > 0 {
				t.Fatalf("a code was delivered to %s (bot: %v)", got[0].Host, err)
			}
		})
	}
}

func TestParamKeyFoldsLikeOp(t *testing.T) {
	for _, tc := range [][2]string{
		{"redirect_uri", "redirect_uri"},
		{"Redirect_URI", "redirect_uri"},
		{"\u017Fcope", "scope"}, // LATIN SMALL LETTER LONG S folds to s
		{"\u212A_x", "k_x"},     // KELVIN SIGN folds to k
		{"", ""},
	} {
		if got := paramKey(tc[0]); got != tc[1] {
			t.Errorf("paramKey(%q) = %q, want %q", tc[0], got, tc[1])
		}
		if !strings.EqualFold(tc[0], tc[1]) {
			t.Errorf("test case %q/%q: not EqualFold", tc[0], tc[1])
		}
	}
}
