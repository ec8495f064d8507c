// Package presets holds ready-made profile templates for common OAuth 2.0 /
// OpenID Connect providers, with what the user must fill in and what to
// register at the provider. The facts come from the providers' own
// documentation as collected in PROVIDERS.md; where a provider needs
// something unusual (a client secret despite PKCE, a "localhost" redirect, a
// fixed port) the template encodes it and Notes say why.
package presets

import (
	"maps"
	"slices"

	"pkcedesk/store"
)

// Needs and optional fields a preset may ask for. Each is a key of the values
// passed to Preset.Apply.
const (
	// NeedIssuer is the provider's issuer URL (generic OIDC).
	NeedIssuer = "issuer"
	// NeedClientID is the client ID from the provider's app registration.
	NeedClientID = "client_id"
	// NeedClientSecret is the client secret; Apply only records that one
	// exists — the caller stores the value in store.Secrets.
	NeedClientSecret = "client_secret"
	// NeedTenant is the Entra tenant: common, organizations, consumers, a
	// tenant ID or a domain.
	NeedTenant = "tenant"
	// NeedDomain is a tenant domain such as example.auth0.com or example.okta.com.
	NeedDomain = "domain"
	// NeedHost is a server's host name, optionally with :port.
	NeedHost = "host"
	// NeedRealm is a Keycloak realm name.
	NeedRealm = "realm"
	// NeedAudience is the API identifier Auth0 issues access tokens for.
	NeedAudience = "audience"
)

// Preset is a profile template for one provider.
type Preset struct {
	// ID is stable and stored in store.Profile.Preset.
	ID string `json:"id"`
	// Name is shown in the preset picker.
	Name string `json:"name"`
	// Profile is the template. Issuer and endpoint URLs may contain
	// placeholders such as {tenant} that Apply fills from the values named
	// in Needs and Optional. Its ID is empty and it is never built-in.
	Profile store.Profile `json:"profile"`
	// Needs are the fields the user must fill in (keys of Apply's values).
	Needs []string `json:"needs"`
	// Optional are fields the user may fill in.
	Optional []string `json:"optional,omitempty"`
	// Defaults pre-fill some Needs (Entra's tenant defaults to "common").
	Defaults map[string]string `json:"defaults,omitempty"`
	// Notes say, in plain words, what to register with the provider and
	// which quirks to expect.
	Notes []string `json:"notes"`
}

// clone returns a deep copy, so callers can never change the catalog.
func (p Preset) clone() Preset {
	p.Profile = p.Profile.Clone()
	p.Needs = slices.Clone(p.Needs)
	p.Optional = slices.Clone(p.Optional)
	p.Defaults = maps.Clone(p.Defaults)
	p.Notes = slices.Clone(p.Notes)
	return p
}

// List returns every preset in picker order: the demo provider, generic
// OpenID Connect, then the named providers. The result is a fresh copy.
func List() []Preset {
	all := catalog()
	out := make([]Preset, len(all))
	for i, p := range all {
		out[i] = p.clone()
	}
	return out
}

// Get returns the preset with the given ID and whether it exists.
func Get(id string) (Preset, bool) {
	for _, p := range catalog() {
		if p.ID == id {
			return p.clone(), true
		}
	}
	return Preset{}, false
}

// NeedLabel returns a short plain-words label for a need or optional field,
// for the editor to show next to its input.
func NeedLabel(need string) string {
	switch need {
	case NeedIssuer:
		return "Issuer URL (for example https://login.example.com)"
	case NeedClientID:
		return "Client ID from your app registration"
	case NeedClientSecret:
		return "Client secret (kept in your system keychain)"
	case NeedTenant:
		return "Tenant: common, organizations, consumers, a tenant ID or a domain"
	case NeedDomain:
		return "Your tenant's domain (for example example.us.auth0.com)"
	case NeedHost:
		return "Server host name, optionally with :port"
	case NeedRealm:
		return "Realm name"
	case NeedAudience:
		return "API identifier (audience) to get a JWT access token for"
	}
	return need
}
