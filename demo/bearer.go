package demo

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// bearerRealm names the protection space in WWW-Authenticate (RFC 6750 §3).
const bearerRealm = "demo"

// principal is who a valid access token speaks for: a demo user, or the
// service account (client credentials, and tokens exchanged from those).
type principal struct {
	user    User // zero for the service account
	service bool
	token   accessToken
	claims  *oidc.AccessTokenClaims
}

// hasScope reports whether the token was granted scope.
func (p principal) hasScope(scope string) bool { return slices.Contains(p.token.scopes, scope) }

// bearerError is a failed bearer check: the HTTP status and the RFC 6750
// §3.1 error code and description for the WWW-Authenticate header.
type bearerError struct {
	status      int
	code        string // "" for a request with no token (§3.1: no error code then)
	description string
	scope       string // the missing scope, for insufficient_scope
}

func (e *bearerError) Error() string { return e.code + ": " + e.description }

// authenticate validates the request's bearer token (RFC 6750 §2.1): a JWT
// signed with this Server's key, `iss` equal to the issuer, not expired,
// still live in storage (not revoked, known jti — so ID tokens and tokens of
// another Server are refused), and meant for this API (acceptedAudience).
func (s *Server) authenticate(r *http.Request) (principal, *bearerError) {
	raw, ok := bearerToken(r)
	if !ok {
		return principal{}, &bearerError{status: http.StatusUnauthorized,
			description: "no bearer token: send Authorization: Bearer <access token>"}
	}
	invalid := func(desc string) *bearerError {
		return &bearerError{status: http.StatusUnauthorized, code: "invalid_token", description: desc}
	}
	ctx := s.opContext(r.Context())
	verifier := op.NewAccessTokenVerifier(s.issuer, &op.OpenIDKeySet{Storage: s.storage})
	claims, err := op.VerifyAccessToken[*oidc.AccessTokenClaims](ctx, raw, verifier)
	if err != nil {
		if errors.Is(err, oidc.ErrExpired) {
			return principal{}, invalid("the access token has expired; refresh it or sign in again")
		}
		return principal{}, invalid("the access token is not a valid token from this demo provider (signature, issuer or format)")
	}
	t, err := s.storage.activeAccessToken(claims.JWTID)
	switch {
	case errors.Is(err, errTokenRevoked):
		return principal{}, invalid("the access token was revoked; sign in again")
	case errors.Is(err, errTokenExpired):
		return principal{}, invalid("the access token has expired; refresh it or sign in again")
	case err != nil:
		return principal{}, invalid("the access token is unknown to this demo provider (an ID token or a token from another run?)")
	}
	if t.subject != claims.Subject {
		return principal{}, invalid("the access token does not match its record")
	}
	if !slices.ContainsFunc(t.audience, s.acceptedAudience) {
		return principal{}, invalid("the access token is meant for another audience; get one for " + s.APIBase() + " (token exchange) or for a demo client")
	}
	if t.subject == ServiceClientID && t.clientID == ServiceClientID {
		return principal{service: true, token: t, claims: claims}, nil
	}
	u, ok := s.users.byID(t.subject)
	if !ok {
		return principal{}, invalid("the access token's user does not exist")
	}
	return principal{user: u, token: t, claims: claims}, nil
}

// acceptedAudience reports whether the demo API honours a token with
// audience aud: the API's own identifier, its base URL APIBase() (the value
// to ask for as audience or resource, RFC 8707), or one of the demo's two
// clients (what a sign-in or client credentials grant gives by default).
// A token exchanged for any other audience is refused here.
func (s *Server) acceptedAudience(aud string) bool {
	return aud == s.APIBase() || aud == PublicClientID || aud == ServiceClientID
}

// bearerToken extracts the token from "Authorization: Bearer <token>"; the
// scheme is case-insensitive (RFC 7235 §2.1). Tokens in the query or body
// are not accepted.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// challenge renders the WWW-Authenticate value for e (RFC 6750 §3). The
// descriptions are fixed ASCII strings without quotes or backslashes, as
// §3 requires.
func (e *bearerError) challenge() string {
	var b strings.Builder
	b.WriteString(`Bearer realm="` + bearerRealm + `"`)
	if e.code != "" {
		b.WriteString(`, error="` + e.code + `"`)
		b.WriteString(`, error_description="` + e.description + `"`)
	}
	if e.scope != "" {
		b.WriteString(`, scope="` + e.scope + `"`)
	}
	return b.String()
}
