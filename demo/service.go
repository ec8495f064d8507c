package demo

import (
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// ServiceClientID is the client id of the built-in confidential client, a
// service account for the client credentials grant (RFC 6749 §4.4) and token
// exchange (RFC 8693). It authenticates with a secret (client_secret_basic,
// or client_secret_post) that (*Server).ServiceClient returns.
const ServiceClientID = "pkce-desk-service"

// serviceScopes are the scopes the service client may ask for: API scopes
// only. openid, profile, email and offline_access describe a person and a
// sign-in, which a service account has not.
var serviceScopes = []string{ScopeOrdersRead, ScopeOrdersWrite}

// defaultServiceScopes are granted when a client credentials request names
// no scope (RFC 6749 §3.3 lets the server pick a default).
var defaultServiceScopes = []string{ScopeOrdersRead}

// serviceSecretInfo labels the HKDF derivation of the service client's
// secret from the signing key; changing it changes every secret.
const serviceSecretInfo = "pkce-desk demo provider: client secret of " + ServiceClientID + " v1"

// deriveServiceSecret returns the service client's secret: 32 bytes derived
// with HKDF-SHA256 from the signing key's private exponent, base64url. So
// the secret is random per Server without a StateDir and stable per StateDir
// with one (demo-key.json is kept there), without ever being written to a
// file of its own, and it cannot be turned back into the key.
func deriveServiceSecret(k *signingKey) (string, error) {
	b, err := hkdf.Key(sha256.New, k.private.D.Bytes(), nil, serviceSecretInfo, 32)
	if err != nil {
		return "", fmt.Errorf("demo: derive the service client secret: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// serviceClient implements op.Client for the confidential service account:
// no browser, no redirect URIs, client credentials and token exchange only,
// JWT access tokens.
type serviceClient struct {
	id              string
	secret          string
	idTokenLifetime time.Duration
}

// checkSecret compares in constant time.
func (c *serviceClient) checkSecret(secret string) bool {
	return subtle.ConstantTimeCompare([]byte(secret), []byte(c.secret)) == 1
}

func (c *serviceClient) GetID() string                       { return c.id }
func (c *serviceClient) RedirectURIs() []string              { return nil }
func (c *serviceClient) PostLogoutRedirectURIs() []string    { return nil }
func (c *serviceClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeWeb }
func (c *serviceClient) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodBasic }
func (c *serviceClient) ResponseTypes() []oidc.ResponseType  { return nil }
func (c *serviceClient) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeClientCredentials, oidc.GrantTypeTokenExchange}
}
func (c *serviceClient) LoginURL(string) string               { return "" }
func (c *serviceClient) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeJWT }
func (c *serviceClient) IDTokenLifetime() time.Duration       { return c.idTokenLifetime }
func (c *serviceClient) DevMode() bool                        { return false }
func (c *serviceClient) ClockSkew() time.Duration             { return 0 }
func (c *serviceClient) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *serviceClient) IsScopeAllowed(scope string) bool {
	return slices.Contains(serviceScopes, scope)
}
func (c *serviceClient) RedirectURIGlobs() []string           { return nil }
func (c *serviceClient) PostLogoutRedirectURIGlobs() []string { return nil }
func (c *serviceClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *serviceClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

var _ op.HasRedirectGlobs = (*serviceClient)(nil)

// ServiceClient returns the confidential service client's id
// (ServiceClientID, "pkce-desk-service") and secret. The secret is random
// per Server, and the same across restarts with the same Options.StateDir.
// It is never logged and never written to a file: it is derived from the
// signing key the state directory already keeps.
func (s *Server) ServiceClient() (id, secret string) { return s.service.id, s.service.secret }

// ServiceClientSecret returns the service client's secret, as ServiceClient.
func (s *Server) ServiceClientSecret() string { return s.service.secret }

// clientCredentialsRequest is the op.TokenRequest of one client credentials
// grant: the service account is its own subject.
type clientCredentialsRequest struct {
	clientID string
	scopes   []string
	audience []string
}

func (r *clientCredentialsRequest) GetSubject() string    { return r.clientID }
func (r *clientCredentialsRequest) GetAudience() []string { return slices.Clone(r.audience) }
func (r *clientCredentialsRequest) GetScopes() []string   { return slices.Clone(r.scopes) }
func (r *clientCredentialsRequest) GetClientID() string   { return r.clientID }

var (
	_ op.ClientCredentialsStorage = (*storage)(nil)
	_ op.TokenRequest             = (*clientCredentialsRequest)(nil)
)

// errWrongClientSecret is the one answer to an unknown client or a wrong
// secret, so neither can be told from the other.
var errWrongClientSecret = errors.New("unknown client or wrong client secret")

// ClientCredentials implements op.ClientCredentialsStorage: only the service
// client, with its secret.
func (s *storage) ClientCredentials(_ context.Context, clientID, clientSecret string) (op.Client, error) {
	if s.service == nil || clientID != s.service.id || !s.service.checkSecret(clientSecret) {
		return nil, errWrongClientSecret
	}
	return s.service, nil
}

// ClientCredentialsTokenRequest implements op.ClientCredentialsStorage. The
// scopes must be service scopes (invalid_scope otherwise, naming the ones
// allowed); none means orders:read. The audience is what the request named
// (audience or resource parameters, see guardToken) or the client itself.
func (s *storage) ClientCredentialsTokenRequest(ctx context.Context, clientID string, scopes []string) (op.TokenRequest, error) {
	var bad []string
	for _, sc := range scopes {
		if !slices.Contains(serviceScopes, sc) {
			bad = append(bad, sc)
		}
	}
	if len(bad) > 0 {
		return nil, oidc.ErrInvalidScope().WithDescription("%s may ask only for %s; not for %s",
			clientID, strings.Join(serviceScopes, " "), strings.Join(safeList(bad), " "))
	}
	if len(scopes) == 0 {
		scopes = defaultServiceScopes
	}
	aud := requestedAudience(ctx)
	if len(aud) == 0 {
		aud = []string{clientID}
	}
	return &clientCredentialsRequest{clientID: clientID, scopes: dedupe(scopes), audience: aud}, nil
}

// dedupe returns values without repeats, first occurrence kept.
func dedupe(values []string) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// safeList keeps the values that may be quoted in an error_description
// (printable ASCII without '"' and '\', RFC 6749 §5.2) and short, replacing
// the others with "(a value)".
func safeList(values []string) []string {
	out := make([]string, 0, len(values))
	for _, v := range values {
		if !quotableValue(v) {
			v = "(a value)"
		}
		out = append(out, v)
	}
	return out
}

// quotableValue reports whether v may appear in an error_description.
func quotableValue(v string) bool {
	if v == "" || len(v) > maxNamedParamLen {
		return false
	}
	for _, c := range v {
		if c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
