package demo

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// authorizeURL builds a demo authorization request with the given overrides.
func authorizeURL(s *Server, redirectURI string, set map[string]string) string {
	q := url.Values{
		"client_id":             {s.ClientID()},
		"response_type":         {"code"},
		"scope":                 {"openid profile"},
		"redirect_uri":          {redirectURI},
		"state":                 {"st-123"},
		"nonce":                 {"no-123"},
		"code_challenge":        {oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())},
		"code_challenge_method": {"S256"},
	}
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return s.Issuer() + "/authorize?" + q.Encode()
}

func get(t *testing.T, u string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := noRedirectClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestPKCERequiredAndS256Only(t *testing.T) {
	s := startServer(t, Options{})
	redirect := "http://127.0.0.1:53111/callback"
	cases := map[string]map[string]string{
		"missing challenge": {"code_challenge": "", "code_challenge_method": ""},
		"missing method":    {"code_challenge_method": ""},
		"plain":             {"code_challenge": strings.Repeat("a", 43), "code_challenge_method": "plain"},
		"malformed":         {"code_challenge": "short"},
	}
	for name, set := range cases {
		t.Run(name, func(t *testing.T) {
			resp := get(t, authorizeURL(s, redirect, set))
			if resp.StatusCode != http.StatusFound {
				t.Fatalf("status %d, want 302 to the client with an error", resp.StatusCode)
			}
			loc, err := url.Parse(resp.Header.Get("Location"))
			if err != nil {
				t.Fatal(err)
			}
			q := loc.Query()
			if loc.Host != "127.0.0.1:53111" || loc.Path != "/callback" {
				t.Errorf("redirected to %s, want the client's redirect URI", loc.Redacted())
			}
			if q.Get("error") != "invalid_request" || q.Get("state") != "st-123" || q.Get("iss") != s.Issuer() || q.Has("code") {
				t.Errorf("error response = %v, want error=invalid_request with state and iss and no code", q)
			}
		})
	}
	t.Run("S256 accepted", func(t *testing.T) {
		resp := get(t, authorizeURL(s, redirect, nil))
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), s.Issuer()+"/login?") {
			t.Fatalf("status %d Location %q, want 302 to the login page", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

func TestRedirectURIRules(t *testing.T) {
	s := startServer(t, Options{})
	accepted := []string{
		"http://127.0.0.1:53111/callback",
		"http://127.0.0.1:8/callback",
		"http://127.0.0.1/callback",
		"http://[::1]:40000/callback",
	}
	for _, ru := range accepted {
		resp := get(t, authorizeURL(s, ru, nil))
		if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), s.Issuer()+"/login?") {
			t.Errorf("%s: status %d, Location %q; want 302 to login (RFC 8252 §7.3: any port)", ru, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	rejected := []string{
		"http://localhost:53111/callback",  // RFC 8252 §8.3
		"http://127.0.0.1:53111/cb",        // path must match
		"http://127.0.0.1:53111/callback/", // exactly
		"http://127.0.0.2:53111/callback",  // host must match
		"https://127.0.0.1:53111/callback", // scheme
		"http://127.0.0.1:53111/callback?x=1",
		"http://evil.example/callback",
		"http://user@127.0.0.1:53111/callback",
		"",
	}
	for _, ru := range rejected {
		resp := get(t, authorizeURL(s, ru, map[string]string{"redirect_uri": ru}))
		if resp.StatusCode < 400 || resp.Header.Get("Location") != "" {
			t.Errorf("%q: status %d Location %q; want an error page and no redirect", ru, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
}

func TestUnknownClientIsRefused(t *testing.T) {
	s := startServer(t, Options{})
	resp := get(t, authorizeURL(s, "http://127.0.0.1:5000/callback", map[string]string{"client_id": "someone-else"}))
	if resp.StatusCode < 400 {
		t.Fatalf("unknown client: status %d Location %q, want an error page", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestResponseModeMustBeQuery(t *testing.T) {
	s := startServer(t, Options{})
	resp := get(t, authorizeURL(s, "http://127.0.0.1:5000/callback", map[string]string{"response_mode": "fragment"}))
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || loc == nil || loc.Query().Get("error") != "invalid_request" {
		t.Fatalf("response_mode=fragment: status %d Location %q, want invalid_request", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestOpErrorsCarryIss checks that errors op itself sends to the client get
// `iss` too (RFC 9207 §2 covers error responses).
func TestOpErrorsCarryIss(t *testing.T) {
	s := startServer(t, Options{})
	for name, set := range map[string]map[string]string{
		"no scope":              {"scope": ""},
		"unsupported resp type": {"response_type": "token"},
	} {
		resp := get(t, authorizeURL(s, "http://127.0.0.1:5000/callback", set))
		loc, err := url.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusFound || err != nil || loc.Host != "127.0.0.1:5000" {
			t.Errorf("%s: status %d Location %q, want an error redirect to the client", name, resp.StatusCode, resp.Header.Get("Location"))
			continue
		}
		q := loc.Query()
		if q.Get("error") == "" || q.Get("iss") != s.Issuer() || q.Get("state") != "st-123" {
			t.Errorf("%s: error response %v lacks error, iss or state", name, q)
		}
	}
}
