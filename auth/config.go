package auth

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"pkcedesk/internal/authparams"
	loopbackhost "pkcedesk/internal/loopback" // auth has a loopback type (the receiver)
)

// AuthMethod is how the client authenticates at the token, revocation and
// introspection endpoints (RFC 6749 §2.3.1). It is always explicit: the app
// never auto-detects, because auto-detection sends a failed exchange twice.
type AuthMethod string

// Client authentication methods.
const (
	// AuthNone sends client_id in the body and no secret (public client, RFC 8252 §8.4).
	AuthNone AuthMethod = "none"
	// AuthClientSecretPost sends client_id and client_secret in the body.
	AuthClientSecretPost AuthMethod = "client_secret_post"
	// AuthClientSecretBasic sends them in an HTTP Basic Authorization header.
	AuthClientSecretBasic AuthMethod = "client_secret_basic"
)

// Endpoints are a provider's URLs. With Config.Issuer set they come from
// discovery and any non-empty field here overrides the discovered one; without
// an issuer (plain OAuth 2.0, e.g. GitHub) Authorization and Token are required.
type Endpoints struct {
	Authorization string `json:"authorization_endpoint,omitempty"`
	Token         string `json:"token_endpoint,omitempty"`
	UserInfo      string `json:"userinfo_endpoint,omitempty"`
	Revocation    string `json:"revocation_endpoint,omitempty"`
	Introspection string `json:"introspection_endpoint,omitempty"`
	EndSession    string `json:"end_session_endpoint,omitempty"`
	JWKS          string `json:"jwks_uri,omitempty"`
	// DeviceAuthorization is the device authorization endpoint (RFC 8628
	// §3.1), used by GrantDevice only.
	DeviceAuthorization string `json:"device_authorization_endpoint,omitempty"`
}

// Grant is how Login obtains tokens. The zero value "" means
// GrantAuthorizationCode.
type Grant string

// Grants Login runs, and the one a token exchange reports.
const (
	// GrantAuthorizationCode is the authorization code grant with PKCE
	// through the system browser (RFC 6749 §4.1, RFC 7636, RFC 8252).
	GrantAuthorizationCode Grant = "authorization_code"
	// GrantDevice is the device authorization grant (RFC 8628): the user
	// enters a code on another screen while the app polls.
	GrantDevice Grant = "device_code"
	// GrantClientCredentials is the client credentials grant (RFC 6749
	// §4.4) for service accounts: no user, no browser.
	GrantClientCredentials Grant = "client_credentials"
	// GrantTokenExchange is what Session.Grant reports for a session made by
	// Session.ExchangeToken (RFC 8693). Login does not accept it.
	GrantTokenExchange Grant = "urn:ietf:params:oauth:grant-type:token-exchange"
)

// normalized maps "" to GrantAuthorizationCode.
func (g Grant) normalized() Grant {
	if g == "" {
		return GrantAuthorizationCode
	}
	return g
}

// Param is one extra authorization request parameter (audience, resource,
// prompt, login_hint, acr_values, ...).
type Param struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Redirect describes the loopback redirect URI (RFC 8252 §7.3).
type Redirect struct {
	// Host is "127.0.0.1" (default, when empty), "::1", or "localhost".
	// localhost requires AllowLocalhost (RFC 8252 §8.3 recommends IP literals).
	Host string `json:"host,omitempty"`
	// AllowLocalhost is the explicit opt-in for Host "localhost", for
	// providers that demand it. The listener still binds 127.0.0.1 only.
	AllowLocalhost bool `json:"allow_localhost,omitempty"`
	// Port 0 (default) picks an ephemeral port; otherwise a fixed port.
	Port int `json:"port,omitempty"`
	// Path defaults to "/callback".
	Path string `json:"path,omitempty"`
	// URI is a non-loopback https redirect URI registered at the provider,
	// for providers that allow no loopback redirect. There is no listener
	// then: the only way back is a pasted redirect (LoginOptions.Paste).
	// "" (the default) means the loopback redirect above. Loopback is
	// better: the browser hands the code straight to the app, and a hosted
	// page never sees it.
	URI string `json:"uri,omitempty"`
}

// Config describes one provider and client. The zero value of every optional
// field is the strict behaviour: S256 only, TLS verification on, http only on
// loopback, no extra parameters, 127.0.0.1 with an ephemeral port.
type Config struct {
	// Issuer enables OIDC discovery (cached per issuer) and ID-token checks.
	Issuer string
	// Endpoints are manual endpoints (required without Issuer; overrides with it).
	Endpoints Endpoints
	// ClientID is the registered client id.
	ClientID string
	// ClientSecret is optional; with it AuthMethod must not be AuthNone.
	ClientSecret Secret
	// AuthMethod defaults to AuthNone without a secret; with a secret it must be set.
	AuthMethod AuthMethod
	// Scopes requested; "openid" makes an ID token mandatory.
	Scopes []string
	// Params are extra authorization parameters; reserved keys are refused.
	Params []Param
	// Redirect is the loopback redirect.
	Redirect Redirect
	// Grant is how Login obtains tokens ("" = GrantAuthorizationCode).
	Grant Grant
	// Timeout bounds the wait for the browser; default 5 minutes. The
	// device grant waits as long as the provider's expires_in instead.
	Timeout time.Duration
	// CAPEM is an optional PEM bundle added to the system roots.
	CAPEM []byte
	// HTTPClient replaces the client built from CAPEM (tests). If its Timeout
	// is zero a 30 s timeout is used on a copy.
	HTTPClient *http.Client
	// AllowedTenants optionally restricts the Entra multi-tenant tid values.
	AllowedTenants []string
	// TrustedOrigins are origins ("https://proxy.example.com") outside the
	// issuer that the user confirmed for endpoint overrides. An override
	// whose origin is neither the issuer's, nor listed by its discovery
	// document, nor here stops Login with a *ForeignEndpointsError.
	TrustedOrigins []string
}

// DefaultTimeout is the sign-in wait when Config.Timeout is zero.
const DefaultTimeout = 5 * time.Minute

// DefaultRedirectPath is the callback path when Redirect.Path is empty.
const DefaultRedirectPath = "/callback"

// hasOpenID reports whether the openid scope is requested.
func (c *Config) hasOpenID() bool { return slices.Contains(c.Scopes, "openid") }

// authMethod returns the effective method.
func (c *Config) authMethod() AuthMethod {
	if c.AuthMethod == "" {
		return AuthNone
	}
	return c.AuthMethod
}

func (c *Config) timeout() time.Duration {
	if c.Timeout <= 0 {
		return DefaultTimeout
	}
	return c.Timeout
}

// Validate checks the configuration without network access. Every problem is
// an ErrInvalidConfig with a message saying what to change.
func (c *Config) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalidConfig}, a...)...)
	}
	if strings.TrimSpace(c.ClientID) == "" {
		return bad("the client id is empty; copy it from the provider's app registration")
	}
	switch c.AuthMethod {
	case "", AuthNone:
		if !c.ClientSecret.IsZero() {
			return bad("a client secret is set but the authentication method is none; choose client_secret_post or client_secret_basic")
		}
	case AuthClientSecretPost, AuthClientSecretBasic:
		if c.ClientSecret.IsZero() {
			return bad("authentication method %s needs a client secret", c.AuthMethod)
		}
	default:
		return bad("unknown authentication method %q; use none, client_secret_post or client_secret_basic", c.AuthMethod)
	}
	grant := c.Grant.normalized()
	switch grant {
	case GrantAuthorizationCode, GrantDevice:
	case GrantClientCredentials:
		if c.ClientSecret.IsZero() || c.authMethod() == AuthNone {
			return bad("a service account (client credentials) needs a client secret: set the client secret and choose client_secret_basic or client_secret_post")
		}
	default:
		return bad("unknown grant %q; use authorization_code, device_code or client_credentials", c.Grant)
	}
	if c.Issuer == "" {
		switch grant {
		case GrantAuthorizationCode:
			if c.Endpoints.Authorization == "" || c.Endpoints.Token == "" {
				return bad("set an issuer for discovery, or both the authorization and token endpoints")
			}
		case GrantDevice:
			if c.Endpoints.DeviceAuthorization == "" || c.Endpoints.Token == "" {
				return bad("the device grant needs a device authorization endpoint and a token endpoint: set an issuer for discovery, or both endpoints")
			}
		case GrantClientCredentials:
			if c.Endpoints.Token == "" {
				return bad("set an issuer for discovery, or the token endpoint")
			}
		}
		if c.hasOpenID() && grant != GrantClientCredentials {
			return bad("the openid scope needs an issuer to check the ID token; set the issuer")
		}
	} else if err := checkEndpointURL("issuer", c.Issuer); err != nil {
		return err
	}
	for _, e := range [][2]string{
		{"authorization endpoint", c.Endpoints.Authorization}, {"token endpoint", c.Endpoints.Token},
		{"userinfo endpoint", c.Endpoints.UserInfo}, {"revocation endpoint", c.Endpoints.Revocation},
		{"introspection endpoint", c.Endpoints.Introspection}, {"end-session endpoint", c.Endpoints.EndSession},
		{"JWKS URL", c.Endpoints.JWKS}, {"device authorization endpoint", c.Endpoints.DeviceAuthorization},
	} {
		if e[1] == "" {
			continue
		}
		if err := checkEndpointURL(e[0], e[1]); err != nil {
			return err
		}
	}
	for _, p := range c.Params {
		k := strings.TrimSpace(p.Key)
		if k == "" {
			return bad("an extra parameter has an empty name")
		}
		if authparams.IsReserved(k) || (grant != GrantAuthorizationCode && slices.Contains(tokenBodyReserved, strings.ToLower(k))) {
			return bad("the extra parameter %q is set by the app itself and cannot be overridden; remove it", k)
		}
	}
	if _, err := c.Redirect.normalize(); err != nil {
		return err
	}
	if grant == GrantAuthorizationCode && c.Redirect.URI != "" {
		if err := checkPasteRedirectURI(c.Redirect.URI); err != nil {
			return err
		}
	}
	return nil
}

// tokenBodyReserved are the token request parameters the engine sets, or
// that carry a secret, refused as extra parameters of the grants that send
// Config.Params in a token or device request body.
var tokenBodyReserved = []string{"grant_type", "device_code", "code", "refresh_token", "subject_token",
	"subject_token_type", "actor_token", "actor_token_type", "client_assertion", "client_assertion_type"}

// checkPasteRedirectURI allows a non-loopback redirect URI only over https:
// the code travels in it, and a loopback address is better served by the
// listener (RFC 8252 §7.3).
func checkPasteRedirectURI(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || !u.IsAbs() {
		return fmt.Errorf("%w: the redirect URI %q is not an absolute URL", ErrInvalidConfig, raw)
	}
	if u.Fragment != "" || strings.Contains(raw, "#") {
		return fmt.Errorf("%w: the redirect URI %q must not contain a fragment (RFC 6749 §3.1.2)", ErrInvalidConfig, raw)
	}
	if loopbackhost.IsHost(u.Hostname()) || strings.EqualFold(u.Hostname(), "localhost") {
		return fmt.Errorf("%w: the redirect URI %s is a loopback address: leave the redirect URI empty and the app listens on the loopback itself (RFC 8252 §7.3) — the URI field is only for providers that demand a hosted https redirect", ErrInvalidConfig, raw)
	}
	if u.Scheme != "https" {
		return fmt.Errorf("%w: the redirect URI %s must use https:// — the authorization code travels in it; use the loopback redirect (leave the URI empty) where the provider allows it", ErrInvalidConfig, raw)
	}
	return nil
}

// checkEndpointURL enforces https, or http on a loopback host only (security rule 17).
func checkEndpointURL(name, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%w: the %s %q is not an absolute URL", ErrInvalidConfig, name, raw)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if loopbackhost.IsHost(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%w: the %s %s uses http:// on a non-loopback host; use https://", ErrInvalidConfig, name, raw)
	}
	return fmt.Errorf("%w: the %s %q must use https://", ErrInvalidConfig, name, raw)
}

// normalize fills defaults and checks the redirect.
func (r Redirect) normalize() (Redirect, error) {
	switch r.Host {
	case "":
		r.Host = "127.0.0.1"
	case "127.0.0.1", "::1":
	case "[::1]":
		r.Host = "::1"
	case "localhost":
		if !r.AllowLocalhost {
			return r, fmt.Errorf("%w: redirect host localhost needs the explicit opt-in (RFC 8252 §8.3 prefers 127.0.0.1)", ErrInvalidConfig)
		}
	default:
		return r, fmt.Errorf("%w: redirect host %q is not allowed; use 127.0.0.1, ::1 or localhost", ErrInvalidConfig, r.Host)
	}
	if r.Port < 0 || r.Port > 65535 {
		return r, fmt.Errorf("%w: redirect port %d is out of range 0–65535", ErrInvalidConfig, r.Port)
	}
	if r.Path == "" {
		r.Path = DefaultRedirectPath
	}
	if !strings.HasPrefix(r.Path, "/") || strings.ContainsAny(r.Path, "?#") {
		return r, fmt.Errorf("%w: redirect path %q must start with / and contain no ? or #", ErrInvalidConfig, r.Path)
	}
	return r, nil
}

// uriHost is the host part as written in a URI.
func (r Redirect) uriHost(port int) string {
	h := r.Host
	if h == "::1" {
		h = "[::1]"
	}
	if port == 0 {
		return h
	}
	return net.JoinHostPort(r.Host, strconv.Itoa(port))
}

// RedirectURIToRegister returns the redirect URI the user should register at
// the provider for r: host and path, with no port when the port is ephemeral
// (RFC 8252 §7.3 lets the provider ignore the port), with the port when fixed.
// Example: "http://127.0.0.1/callback".
func RedirectURIToRegister(r Redirect) (string, error) {
	n, err := r.normalize()
	if err != nil {
		return "", err
	}
	return "http://" + n.uriHost(n.Port) + n.Path, nil
}
