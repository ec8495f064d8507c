package auth

import (
	"fmt"
	"strings"

	"pkcedesk/internal/origin"
)

// ForeignEndpoint is an endpoint override whose origin is neither the
// issuer's nor one the issuer's discovery document lists.
type ForeignEndpoint = origin.Endpoint

// ForeignEndpointsError stops a sign-in before the browser opens because the
// profile overrides endpoints that leave the issuer, and the user has not
// confirmed those origins (Config.TrustedOrigins). Such an endpoint receives
// the code, the PKCE verifier, the client secret or the tokens while every
// ID-token check still passes against the real issuer, so the first sign-in
// with it needs an explicit yes naming the hosts.
type ForeignEndpointsError struct {
	// Issuer is the profile's issuer.
	Issuer string
	// Endpoints are the unconfirmed overrides, in profile order.
	Endpoints []ForeignEndpoint
}

// Origins are the distinct origins to confirm, in order.
func (e *ForeignEndpointsError) Origins() []string { return origin.Hosts(e.Endpoints) }

// Error names each endpoint and where it points.
func (e *ForeignEndpointsError) Error() string {
	parts := make([]string, len(e.Endpoints))
	for i, ep := range e.Endpoints {
		parts[i] = ep.Name + " → " + ep.Origin
	}
	return fmt.Sprintf("the profile sends requests outside the issuer %s (%s); confirm that you trust %s before signing in — they would receive the code, the PKCE verifier, client credentials or tokens",
		e.Issuer, strings.Join(parts, ", "), strings.Join(e.Origins(), " and "))
}

// overrides lists cfg's non-empty endpoint overrides with their UI names.
func (c *Config) overrides() []ForeignEndpoint {
	e := c.Endpoints
	out := origin.Named(e.Authorization, e.Token, e.UserInfo, e.Revocation, e.Introspection, e.EndSession, e.JWKS)
	if u := strings.TrimSpace(e.DeviceAuthorization); u != "" {
		out = append(out, ForeignEndpoint{Name: "device authorization endpoint", URL: u})
	}
	return out
}

// foreignOverrides returns the overrides whose origin is not the issuer's
// and not one the discovered metadata m lists (m may be nil before
// discovery). Without an issuer every endpoint is the user's own and there
// is no issuer to impersonate, so nothing is foreign.
func (c *Config) foreignOverrides(m *Metadata) []ForeignEndpoint {
	if c.Issuer == "" {
		return nil
	}
	trusted := []string{c.Issuer}
	if m != nil {
		trusted = append(trusted, m.AuthorizationEndpoint, m.TokenEndpoint, m.UserInfoEndpoint,
			m.RevocationEndpoint, m.IntrospectionEndpoint, m.EndSessionEndpoint, m.JWKSURI, m.DeviceAuthorizationEndpoint)
	}
	return origin.Foreign(trusted, c.overrides())
}
