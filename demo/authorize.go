package demo

import (
	"net/http"
	"net/url"

	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// guardAuthorize runs before op's authorization endpoint and enforces what op
// leaves to the application for the demo client:
//
//   - the redirect URI must be http://127.0.0.1:{port}/callback or
//     http://[::1]:{port}/callback: RFC 8252 §7.3 (any port, host and path
//     exact) and §8.3 (no localhost). op alone would accept any loopback host,
//     localhost included, so a bad one gets an error page and never a redirect
//     (RFC 6749 §4.1.2.1);
//   - PKCE with S256 is required (RFC 7636 §4.3, RFC 9700 §2.1.1): a missing
//     code_challenge or the plain method is answered with invalid_request;
//   - responses go back in the query, where `iss` can be added (RFC 9207).
//
// Everything else (scopes, response_type, client) is op's; its redirects get
// `iss` through withIss. The guard runs behind singleValuedPage, so no
// parameter is repeated and param reads the value op decodes; storage
// checks the parsed request once more before storing it (checkStorable).
func (s *Server) guardAuthorize(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, http.StatusBadRequest, "The sign-in request could not be read.", "Start the sign-in again from PKCE Desk.")
		return
	}
	if param(r.Form, "client_id") != s.client.id {
		s.withIss(s.provider).ServeHTTP(w, r)
		return
	}
	redirectURI := param(r.Form, "redirect_uri")
	if !validRedirectURI(redirectURI) {
		s.renderError(w, http.StatusBadRequest,
			"The redirect URI is not registered for "+s.client.id+".",
			"Use http://127.0.0.1:{any port}/callback or http://[::1]:{any port}/callback (RFC 8252 §7.3). localhost and other paths are refused.")
		return
	}
	state := param(r.Form, "state")
	switch mode := param(r.Form, "response_mode"); mode {
	case "", string(oidc.ResponseModeQuery):
	default:
		s.redirectError(w, r, redirectURI, state, errInvalidRequest, "response_mode must be query for the demo client")
		return
	}
	challenge := param(r.Form, "code_challenge")
	method := param(r.Form, "code_challenge_method")
	switch {
	case challenge == "":
		s.redirectError(w, r, redirectURI, state, errInvalidRequest, "PKCE is required: send code_challenge and code_challenge_method=S256 (RFC 7636)")
		return
	case method != string(oidc.CodeChallengeMethodS256):
		s.redirectError(w, r, redirectURI, state, errInvalidRequest, "code_challenge_method must be S256; plain is not accepted")
		return
	case !validS256Challenge(challenge):
		s.redirectError(w, r, redirectURI, state, errInvalidRequest, "code_challenge must be the 43-character base64url SHA-256 of the verifier")
		return
	}
	s.withIss(s.provider).ServeHTTP(w, r)
}

// validS256Challenge reports whether c looks like BASE64URL(SHA256(verifier)):
// 43 characters of the base64url alphabet without padding (RFC 7636 §4.2).
func validS256Challenge(c string) bool {
	if len(c) != 43 {
		return false
	}
	for _, ch := range c {
		switch {
		case ch >= 'A' && ch <= 'Z', ch >= 'a' && ch <= 'z', ch >= '0' && ch <= '9', ch == '-', ch == '_':
		default:
			return false
		}
	}
	return true
}

// redirectError sends an authorization error response to the client's
// (already validated) redirect URI, with state and iss (RFC 6749 §4.1.2.1,
// RFC 9207 §2).
func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, redirectURI, state string, code, description string) {
	u, err := url.Parse(redirectURI)
	if err != nil {
		s.renderError(w, http.StatusBadRequest, "The redirect URI is not valid.", "Start the sign-in again from PKCE Desk.")
		return
	}
	q := u.Query()
	q.Set("error", code)
	q.Set("error_description", description)
	if state != "" {
		q.Set("state", state)
	}
	q.Set("iss", s.issuer)
	u.RawQuery = q.Encode()
	w.Header().Set("Cache-Control", "no-store")
	status := http.StatusFound
	if r.Method == http.MethodPost {
		status = http.StatusSeeOther
	}
	http.Redirect(w, r, u.String(), status)
}

// Authorization error codes used by the demo's own pages (RFC 6749 §4.1.2.1,
// OIDC Core §3.1.2.6).
const (
	errInvalidRequest  = "invalid_request"
	errAccessDenied    = "access_denied"
	errLoginRequired   = "login_required"
	errConsentRequired = "consent_required"
)
