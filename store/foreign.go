package store

import (
	"strings"

	"pkcedesk/internal/origin"
)

// EndpointOverrides lists p's non-empty endpoint URLs in field order, each
// named as the UI names it ("token endpoint", "JWKS URL", ...).
func (p Profile) EndpointOverrides() []origin.Endpoint {
	e := p.Endpoints
	out := origin.Named(e.Authorization, e.Token, e.UserInfo, e.Revocation, e.Introspection, e.EndSession, e.JWKS)
	if u := strings.TrimSpace(e.DeviceAuthorization); u != "" {
		out = append(out, origin.Endpoint{Name: "device authorization endpoint", URL: u})
	}
	return out
}

// ForeignEndpoints returns p's endpoint overrides whose origin (scheme, host
// and port) differs from the issuer's, each with its Origin set, in field
// order. Such an endpoint receives the code, the PKCE verifier, the client
// secret or the tokens while the ID-token checks still pass against the real
// issuer, so the first sign-in asks the user to confirm its origin.
//
// It is the static view, without network: the sign-in also accepts origins
// that the issuer's own discovery document lists, so it may ask about fewer.
// Without an issuer there is no issuer to impersonate and nothing is foreign.
func (p Profile) ForeignEndpoints() []origin.Endpoint {
	issuer := strings.TrimSpace(p.Issuer)
	if issuer == "" {
		return nil
	}
	return origin.Foreign([]string{issuer}, p.EndpointOverrides())
}

// ForeignOrigins returns the distinct origins of ForeignEndpoints, in order.
func (p Profile) ForeignOrigins() []string { return origin.Hosts(p.ForeignEndpoints()) }

// keptTrust is the part of stored.TrustedOrigins that still applies to next,
// the same profile about to be saved: nothing when the issuer changed (the
// user confirmed hosts for that issuer, not for any), otherwise the origins
// that some override of next still uses.
func keptTrust(stored, next Profile) []string {
	if strings.TrimSpace(stored.Issuer) != strings.TrimSpace(next.Issuer) {
		return nil
	}
	used := map[string]bool{}
	for _, o := range next.ForeignOrigins() {
		used[o] = true
	}
	var out []string
	for _, o := range stored.TrustedOrigins {
		if used[o] {
			out = append(out, o)
		}
	}
	return out
}
