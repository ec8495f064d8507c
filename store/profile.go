package store

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// AuthMethod is how the client authenticates at the token endpoint
// (RFC 6749 §2.3.1, OpenID Connect Core §9).
type AuthMethod string

// Client authentication methods a profile may use.
const (
	// AuthNone is a public client: no secret, PKCE protects the code (RFC 8252 §8.4).
	AuthNone AuthMethod = "none"
	// AuthClientSecretPost sends client_id and client_secret in the form body.
	AuthClientSecretPost AuthMethod = "client_secret_post"
	// AuthClientSecretBasic sends them as HTTP Basic credentials.
	AuthClientSecretBasic AuthMethod = "client_secret_basic"
)

// NeedsSecret reports whether the method requires a client secret.
func (m AuthMethod) NeedsSecret() bool {
	return m == AuthClientSecretPost || m == AuthClientSecretBasic
}

// Loopback redirect hosts a profile may use (RFC 8252 §7.3, §8.3). The IP
// literal is the default; "localhost" exists only for providers that demand it.
const (
	RedirectHostIPv4      = "127.0.0.1"
	RedirectHostIPv6      = "::1"
	RedirectHostLocalhost = "localhost"
)

// Defaults filled in by Profile.WithDefaults for zero-valued fields.
const (
	DefaultRedirectHost   = RedirectHostIPv4
	DefaultRedirectPath   = "/callback"
	DefaultTimeoutSeconds = 300
	MinTimeoutSeconds     = 10
	MaxTimeoutSeconds     = 3600
)

// Endpoints are a provider's endpoint URLs. With an issuer they are normally
// filled from discovery; without one (plain OAuth 2.0, e.g. GitHub) at least
// Authorization and Token must be set by hand.
type Endpoints struct {
	Authorization string `json:"authorization,omitempty"`
	Token         string `json:"token,omitempty"`
	UserInfo      string `json:"userinfo,omitempty"`
	Revocation    string `json:"revocation,omitempty"`
	Introspection string `json:"introspection,omitempty"`
	EndSession    string `json:"end_session,omitempty"`
	JWKS          string `json:"jwks,omitempty"`
	// DeviceAuthorization is the device authorization endpoint (RFC 8628
	// §3.1), used by the device grant only.
	DeviceAuthorization string `json:"device_authorization,omitempty"`
}

// Grant is how a profile gets its tokens: the OAuth grant its sign-in runs.
type Grant string

// Sign-in methods a profile may use. The zero value "" is
// GrantAuthorizationCode, the only one before ProfilesSchemaVersion 2.
const (
	// GrantAuthorizationCode: the system browser, a loopback (or hosted)
	// redirect and PKCE (RFC 6749 §4.1, RFC 7636, RFC 8252).
	GrantAuthorizationCode Grant = "authorization_code"
	// GrantDevice: a user code approved in a browser on any device
	// (RFC 8628), for when the loopback redirect cannot be reached.
	GrantDevice Grant = "device_code"
	// GrantClientCredentials: a service account's own token, no user and
	// no browser (RFC 6749 §4.4); needs client authentication.
	GrantClientCredentials Grant = "client_credentials"
)

// Valid reports whether g is one of the Grant constants or "".
func (g Grant) Valid() bool {
	switch g {
	case "", GrantAuthorizationCode, GrantDevice, GrantClientCredentials:
		return true
	}
	return false
}

// Param is one extra authorization request parameter, such as audience or
// prompt. Keys that the sign-in sets itself are refused by Validate.
type Param struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Profile is everything needed to sign in to one client at one provider.
//
// A Profile never holds a secret: HasClientSecret only records that a client
// secret is stored in the keychain under this profile's ID.
type Profile struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Preset  string `json:"preset,omitempty"`
	BuiltIn bool   `json:"built_in,omitempty"`

	Issuer    string    `json:"issuer,omitempty"`
	Endpoints Endpoints `json:"endpoints"`

	ClientID        string     `json:"client_id"`
	AuthMethod      AuthMethod `json:"auth_method"`
	HasClientSecret bool       `json:"has_client_secret"`

	Scopes []string `json:"scopes"`
	Params []Param  `json:"params,omitempty"`

	// Grant is the sign-in method; "" means GrantAuthorizationCode (see
	// EffectiveGrant).
	Grant Grant `json:"grant,omitempty"`

	RedirectHost string `json:"redirect_host"`
	RedirectPort int    `json:"redirect_port"`
	RedirectPath string `json:"redirect_path"`
	// HostedRedirectURI is, for the code grant, a non-loopback https
	// redirect URI registered at a provider that accepts no loopback one.
	// No listener can receive it: the user pastes the address the browser
	// ends on. "" means the loopback redirect of RedirectHost, RedirectPort
	// and RedirectPath — better whenever the provider allows it (the
	// browser hands the code straight back, RFC 8252 §7.3).
	HostedRedirectURI string `json:"redirect_uri,omitempty"`

	TimeoutSeconds int    `json:"timeout_seconds"`
	CAFile         string `json:"ca_file,omitempty"`
	KeepSignedIn   bool   `json:"keep_signed_in"`
	APIBase        string `json:"api_base,omitempty"`

	// TrustedOrigins are origins outside the issuer's that the user
	// confirmed for this profile's endpoint overrides (see ForeignEndpoints).
	// Only TrustEndpointOrigins adds to it: SaveProfile keeps the stored
	// list (emptied when the issuer changes, pruned to origins still used),
	// ImportProfiles and DuplicateProfile start it empty and ExportProfiles
	// leaves it out, because a file that carried trust could vouch for a
	// hostile host.
	TrustedOrigins []string `json:"trusted_origins,omitempty"`

	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// WithDefaults returns a copy of p in which zero-valued fields that have a
// default are filled in: auth method "none", redirect host 127.0.0.1, path
// /callback, timeout 300 s. Fields the user set are left alone.
func (p Profile) WithDefaults() Profile {
	p = p.Clone()
	if p.AuthMethod == "" {
		p.AuthMethod = AuthNone
	}
	if p.RedirectHost == "" {
		p.RedirectHost = DefaultRedirectHost
	}
	if p.RedirectPath == "" {
		p.RedirectPath = DefaultRedirectPath
	}
	if p.TimeoutSeconds == 0 {
		p.TimeoutSeconds = DefaultTimeoutSeconds
	}
	if p.Scopes == nil {
		p.Scopes = []string{}
	}
	return p
}

// Clone returns a deep copy of p: changing the copy's slices never changes p.
func (p Profile) Clone() Profile {
	p.Scopes = slices.Clone(p.Scopes)
	p.Params = slices.Clone(p.Params)
	p.TrustedOrigins = slices.Clone(p.TrustedOrigins)
	return p
}

// EffectiveGrant is p's grant with "" read as GrantAuthorizationCode.
func (p Profile) EffectiveGrant() Grant {
	if p.Grant == "" {
		return GrantAuthorizationCode
	}
	return p.Grant
}

// RedirectURI is the redirect URI this profile registers with the provider:
// the hosted redirect URI when it has one, else the loopback host in URI
// form, the fixed port when one is set, and the path (RFC 8252 §7.3). With
// port 0 the port is left out, because providers that follow RFC 8252 §7.3
// accept any port at sign-in time.
func (p Profile) RedirectURI() string {
	if u := strings.TrimSpace(p.HostedRedirectURI); u != "" {
		return u
	}
	d := p.WithDefaults()
	host := d.RedirectHost
	if host == RedirectHostIPv6 {
		host = "[::1]"
	}
	if d.RedirectPort != 0 {
		host += ":" + strconv.Itoa(d.RedirectPort)
	}
	return "http://" + host + d.RedirectPath
}
