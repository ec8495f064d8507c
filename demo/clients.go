package demo

import (
	"net"
	"net/url"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// PublicClientID is the client id of the built-in public (native) client. It
// has no secret (token_endpoint_auth_method "none") and must use PKCE S256.
const PublicClientID = "pkce-desk-demo"

// CallbackPath is the only redirect path the demo client may use, on
// http://127.0.0.1:{any port} or http://[::1]:{any port} (RFC 8252 §7.3).
const CallbackPath = "/callback"

// Scopes the demo client may request.
const (
	ScopeOrdersRead  = "orders:read"
	ScopeOrdersWrite = "orders:write"
)

// allowedScopes is every scope the demo client may ask for.
var allowedScopes = []string{
	oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail, oidc.ScopeOfflineAccess,
	ScopeOrdersRead, ScopeOrdersWrite,
}

// registeredRedirectURIs are the loopback redirect URIs registered for the
// demo client, without a port: op ignores the port for native clients and
// validRedirectURI (below) additionally pins host and path.
var registeredRedirectURIs = []string{
	"http://127.0.0.1" + CallbackPath,
	"http://[::1]" + CallbackPath,
}

// demoClient implements op.Client (and op.HasRedirectGlobs for the
// post-logout redirect) for the public native client.
type demoClient struct {
	id              string
	loginURL        func(authRequestID string) string
	idTokenLifetime time.Duration
}

var _ op.HasRedirectGlobs = (*demoClient)(nil)

// The methods below implement op.Client for the demo client: a native
// (public) client with no secret, the code flow (and the device grant and
// token exchange, which need no redirect), JWT access tokens, and
// profile/email claims in the ID token even when an access token is issued
// (IDTokenUserinfoClaimsAssertion), so the app can show them without UserInfo.

func (c *demoClient) GetID() string                       { return c.id }
func (c *demoClient) RedirectURIs() []string              { return slices.Clone(registeredRedirectURIs) }
func (c *demoClient) PostLogoutRedirectURIs() []string    { return nil }
func (c *demoClient) ApplicationType() op.ApplicationType { return op.ApplicationTypeNative }
func (c *demoClient) AuthMethod() oidc.AuthMethod         { return oidc.AuthMethodNone }
func (c *demoClient) ResponseTypes() []oidc.ResponseType {
	return []oidc.ResponseType{oidc.ResponseTypeCode}
}
func (c *demoClient) GrantTypes() []oidc.GrantType {
	return []oidc.GrantType{oidc.GrantTypeCode, oidc.GrantTypeRefreshToken, oidc.GrantTypeDeviceCode, oidc.GrantTypeTokenExchange}
}
func (c *demoClient) LoginURL(id string) string            { return c.loginURL(id) }
func (c *demoClient) AccessTokenType() op.AccessTokenType  { return op.AccessTokenTypeJWT }
func (c *demoClient) IDTokenLifetime() time.Duration       { return c.idTokenLifetime }
func (c *demoClient) DevMode() bool                        { return false }
func (c *demoClient) ClockSkew() time.Duration             { return 0 }
func (c *demoClient) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c *demoClient) IsScopeAllowed(scope string) bool     { return slices.Contains(allowedScopes, scope) }
func (c *demoClient) RedirectURIGlobs() []string           { return nil }
func (c *demoClient) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}
func (c *demoClient) RestrictAdditionalAccessTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// PostLogoutRedirectURIGlobs allows any path on a loopback IP literal with any
// port; hosts other than 127.0.0.1 and [::1] are refused earlier by
// validLoopbackURI in the end-session guard.
func (c *demoClient) PostLogoutRedirectURIGlobs() []string {
	return []string{"http://127.0.0.1:*/*", "http://[::1]:*/*"}
}

// validLoopbackURI reports whether raw is an http URI on a loopback IP
// literal (127.0.0.1 or ::1, any port) with no user info or fragment.
// localhost is refused: RFC 8252 §8.3 says to use the IP literal.
func validLoopbackURI(raw string) (*url.URL, bool) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "http" || u.User != nil || u.Fragment != "" || u.Opaque != "" {
		return nil, false
	}
	host := u.Hostname()
	if host != "127.0.0.1" && host != "::1" {
		return nil, false
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, false
	}
	if p := u.Port(); p != "" {
		if _, err := net.LookupPort("tcp", p); err != nil {
			return nil, false
		}
	}
	return u, true
}

// validRedirectURI applies RFC 8252 §7.3 to the demo client: the port is
// ignored, but scheme, host and path must match a registered URI exactly and
// there may be no query.
func validRedirectURI(raw string) bool {
	u, ok := validLoopbackURI(raw)
	return ok && u.Path == CallbackPath && u.RawQuery == "" && !u.ForceQuery
}
