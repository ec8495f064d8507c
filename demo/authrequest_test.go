package demo

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"golang.org/x/oauth2"
)

// pendingRequests counts the stored authorization requests.
func pendingRequests(s *Server) int {
	s.storage.mu.Lock()
	defer s.storage.mu.Unlock()
	return len(s.storage.authRequests)
}

// TestCreateAuthRequestEnforcesPKCEAndRedirect checks the storage itself:
// whatever op parsed is what is checked, so a request that got past the
// authorize guard still cannot be stored with plain PKCE or a redirect URI
// the demo client does not allow.
func TestCreateAuthRequestEnforcesPKCEAndRedirect(t *testing.T) {
	s := startServer(t, Options{})
	challenge := oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())
	valid := func() *oidc.AuthRequest {
		return &oidc.AuthRequest{
			ClientID: s.ClientID(), RedirectURI: "http://127.0.0.1:53111/callback",
			Scopes: oidc.SpaceDelimitedArray{"openid"}, ResponseType: oidc.ResponseTypeCode, State: "st",
			CodeChallenge: challenge, CodeChallengeMethod: oidc.CodeChallengeMethodS256,
		}
	}
	bad := map[string]func(r *oidc.AuthRequest){
		"plain":                  func(r *oidc.AuthRequest) { r.CodeChallengeMethod = oidc.CodeChallengeMethodPlain },
		"no method":              func(r *oidc.AuthRequest) { r.CodeChallengeMethod = "" },
		"lower-case s256":        func(r *oidc.AuthRequest) { r.CodeChallengeMethod = "s256" },
		"no challenge":           func(r *oidc.AuthRequest) { r.CodeChallenge = "" },
		"malformed challenge":    func(r *oidc.AuthRequest) { r.CodeChallenge = "short" },
		"localhost":              func(r *oidc.AuthRequest) { r.RedirectURI = "http://localhost:53111/callback" },
		"127.0.0.2":              func(r *oidc.AuthRequest) { r.RedirectURI = "http://127.0.0.2:53111/callback" },
		"other path":             func(r *oidc.AuthRequest) { r.RedirectURI = "http://127.0.0.1:53111/cb" },
		"https":                  func(r *oidc.AuthRequest) { r.RedirectURI = "https://127.0.0.1:53111/callback" },
		"no redirect":            func(r *oidc.AuthRequest) { r.RedirectURI = "" },
		"other client":           func(r *oidc.AuthRequest) { r.ClientID = "someone-else" },
		"response_mode fragment": func(r *oidc.AuthRequest) { r.ResponseMode = oidc.ResponseModeFragment },
	}
	for name, spoil := range bad {
		t.Run(name, func(t *testing.T) {
			req := valid()
			spoil(req)
			ar, err := s.storage.CreateAuthRequest(t.Context(), req, "")
			if err == nil {
				t.Fatalf("stored %+v", ar)
			}
			var oe *oidc.Error
			if !errors.As(err, &oe) || oe.ErrorType != oidc.InvalidRequest || !oe.IsRedirectDisabled() {
				t.Fatalf("err = %#v, want invalid_request that op does not redirect", err)
			}
			if n := pendingRequests(s); n != 0 {
				t.Fatalf("%d requests stored after a refusal", n)
			}
		})
	}
	for _, ru := range []string{"http://127.0.0.1:53111/callback", "http://[::1]:40000/callback", "http://127.0.0.1/callback"} {
		req := valid()
		req.RedirectURI = ru
		ar, err := s.storage.CreateAuthRequest(t.Context(), req, "")
		if err != nil {
			t.Fatalf("%s: %v", ru, err)
		}
		if cc := ar.GetCodeChallenge(); cc == nil || cc.Method != oidc.CodeChallengeMethodS256 || cc.Challenge != challenge || ar.GetRedirectURI() != ru {
			t.Fatalf("%s: stored challenge %+v redirect %q", ru, cc, ar.GetRedirectURI())
		}
	}
}

// TestAuthorizeWithoutGuardStillRefuses sends attack requests to op's
// authorization endpoint directly, as if the guard were bypassed: nothing is
// stored and nothing redirects.
func TestAuthorizeWithoutGuardStillRefuses(t *testing.T) {
	s := startServer(t, Options{})
	challenge := oauth2.S256ChallengeFromVerifier(oauth2.GenerateVerifier())
	for name, set := range map[string]map[string]string{
		"localhost":   {"redirect_uri": "http://localhost:53111/callback"},
		"127.0.0.2":   {"redirect_uri": "http://127.0.0.2:53111/callback"},
		"plain":       {"code_challenge": strings.Repeat("a", 43), "code_challenge_method": "plain"},
		"no PKCE":     {"code_challenge": "", "code_challenge_method": ""},
		"no method":   {"code_challenge": challenge, "code_challenge_method": ""},
		"bad challen": {"code_challenge": "short"},
	} {
		t.Run(name, func(t *testing.T) {
			u := authorizeURL(s, "http://127.0.0.1:53111/callback", set)
			rec := httptest.NewRecorder()
			s.provider.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, u, nil))
			if rec.Code != http.StatusBadRequest || rec.Header().Get("Location") != "" {
				loc, _ := url.Parse(rec.Header().Get("Location"))
				t.Fatalf("op without the guard: status %d, redirect to %v; want 400 and no redirect", rec.Code, loc)
			}
			if n := pendingRequests(s); n != 0 {
				t.Fatalf("%d requests stored", n)
			}
		})
	}
}
