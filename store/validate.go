package store

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"pkcedesk/internal/authparams"
	"pkcedesk/internal/loopback"
)

// FieldError is one problem with one field of a profile, worded for the
// profile editor to show next to that field. Field is the JSON name of the
// field ("issuer", "endpoints.token", "params[2].key", …).
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error returns "field: message".
func (e FieldError) Error() string { return e.Field + ": " + e.Message }

// Validate checks p the way the profile editor needs it: every problem found,
// one FieldError each, in field order; nil when p can be saved.
//
// Zero values of fields that have a default (auth method, redirect host and
// path, timeout) are valid: SaveProfile fills them in (see WithDefaults).
//
// Rules: a name; an issuer, or both authorization and token endpoints; every
// URL absolute, and https unless its host is a loopback address (security rule
// 17); a client id; a client secret when the auth method needs one; redirect
// host 127.0.0.1, ::1 or localhost; port 0–65535; path starting with "/";
// scopes without spaces (RFC 6749 §3.3); extra parameters with a key that the
// sign-in does not set itself; a known grant, with an issuer or its own
// endpoints (device: device authorization and token; client credentials:
// token) and, for client credentials, a secret-sending auth method; a
// hosted redirect URI only for the code grant, as an https URL off this
// computer; timeout 10–3600 seconds; a CA file as a full
// path; an API base as a full http or https URL (plain http to another host
// is allowed here: the request console warns before sending a token there).
func (p Profile) Validate() []FieldError {
	return p.validate(true)
}

func (p Profile) validate(requireSecret bool) []FieldError {
	var errs []FieldError
	add := func(field, format string, args ...any) {
		errs = append(errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
	}

	if strings.TrimSpace(p.Name) == "" {
		add("name", "Give the profile a name.")
	} else if len(p.Name) > 200 {
		add("name", "The name is too long; keep it under 200 characters.")
	}

	if !p.Grant.Valid() {
		add("grant", "Choose the sign-in method: authorization_code (browser), device_code (device code) or client_credentials (service account); got %q.", string(p.Grant))
	}
	issuer := strings.TrimSpace(p.Issuer)
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	if issuer == "" {
		switch p.EffectiveGrant() {
		case GrantDevice:
			if blank(p.Endpoints.DeviceAuthorization) || blank(p.Endpoints.Token) {
				add("issuer", "Enter the issuer URL, or fill in both the device authorization and token endpoints.")
			}
		case GrantClientCredentials:
			if blank(p.Endpoints.Token) {
				add("issuer", "Enter the issuer URL, or fill in the token endpoint.")
			}
		default:
			if blank(p.Endpoints.Authorization) || blank(p.Endpoints.Token) {
				add("issuer", "Enter the issuer URL, or fill in both the authorization and token endpoints.")
			}
		}
	} else if msg := checkURL(issuer); msg != "" {
		add("issuer", "%s", msg)
	}
	for _, ep := range []struct{ field, value string }{
		{"endpoints.authorization", p.Endpoints.Authorization},
		{"endpoints.token", p.Endpoints.Token},
		{"endpoints.userinfo", p.Endpoints.UserInfo},
		{"endpoints.revocation", p.Endpoints.Revocation},
		{"endpoints.introspection", p.Endpoints.Introspection},
		{"endpoints.end_session", p.Endpoints.EndSession},
		{"endpoints.jwks", p.Endpoints.JWKS},
		{"endpoints.device_authorization", p.Endpoints.DeviceAuthorization},
	} {
		if strings.TrimSpace(ep.value) == "" {
			continue
		}
		if msg := checkURL(ep.value); msg != "" {
			add(ep.field, "%s", msg)
		}
	}

	if strings.TrimSpace(p.ClientID) == "" {
		add("client_id", "Enter the client ID your provider gave you when you registered the app.")
	}
	switch p.AuthMethod {
	case "", AuthNone, AuthClientSecretPost, AuthClientSecretBasic:
	default:
		add("auth_method", "Choose none, client_secret_post or client_secret_basic (got %q).", string(p.AuthMethod))
	}
	if p.Grant == GrantClientCredentials && !p.AuthMethod.NeedsSecret() {
		add("auth_method", "A service account proves who it is with its client secret (RFC 6749 §4.4): choose client_secret_basic or client_secret_post and enter the secret.")
	} else if requireSecret && p.AuthMethod.NeedsSecret() && !p.HasClientSecret {
		add("client_secret", "This auth method sends a client secret: enter it (it is kept in your system keychain), or switch the auth method to none.")
	}

	for i, s := range p.Scopes {
		if s == "" || strings.ContainsAny(s, " \t\r\n\"\\") {
			add(fmt.Sprintf("scopes[%d]", i), "A scope is one word without spaces, quotes or backslashes (got %q).", s)
		}
	}
	for i, prm := range p.Params {
		field := fmt.Sprintf("params[%d].key", i)
		key := strings.TrimSpace(prm.Key)
		switch {
		case key == "":
			add(field, "Give this parameter a name, or remove it.")
		case authparams.IsReserved(key):
			add(field, "PKCE Desk sets %q itself for every sign-in (or it carries a secret, which belongs in the client secret field and the keychain); remove this parameter.", key)
		case prm.Value == "":
			add(fmt.Sprintf("params[%d].value", i), "Give %q a value, or remove it.", key)
		}
	}

	switch p.RedirectHost {
	case "", RedirectHostIPv4, RedirectHostIPv6, RedirectHostLocalhost:
	default:
		add("redirect_host", "Use 127.0.0.1 (recommended), ::1 or localhost: the redirect must stay on this computer (RFC 8252 §7.3).")
	}
	if p.RedirectPort < 0 || p.RedirectPort > 65535 {
		add("redirect_port", "Use a port between 1 and 65535, or 0 to pick a free one at each sign-in.")
	}
	if p.RedirectPath != "" && !strings.HasPrefix(p.RedirectPath, "/") {
		add("redirect_path", "The redirect path starts with \"/\", for example /callback.")
	} else if strings.ContainsAny(p.RedirectPath, "?# \t") {
		add("redirect_path", "The redirect path is a plain path: no spaces, \"?\" or \"#\".")
	}

	if u := strings.TrimSpace(p.HostedRedirectURI); u != "" {
		if p.EffectiveGrant() != GrantAuthorizationCode {
			add("redirect_uri", "Only the browser sign-in uses a redirect URI; clear it for the %s method.", string(p.Grant))
		} else if msg := checkHostedRedirect(u); msg != "" {
			add("redirect_uri", "%s", msg)
		}
	}

	if p.TimeoutSeconds != 0 && (p.TimeoutSeconds < MinTimeoutSeconds || p.TimeoutSeconds > MaxTimeoutSeconds) {
		add("timeout_seconds", "Use a sign-in timeout between %d seconds and %d seconds (one hour).", MinTimeoutSeconds, MaxTimeoutSeconds)
	}
	if p.CAFile != "" && !filepath.IsAbs(p.CAFile) {
		add("ca_file", "Give the full path to the CA bundle file.")
	}
	if p.APIBase != "" {
		u, err := url.Parse(p.APIBase)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("api_base", "The API base is a full http:// or https:// URL.")
		}
	}
	return errs
}

// checkHostedRedirect returns "" when raw may be a hosted redirect URI: an
// absolute https URL off this computer, without a fragment (RFC 6749
// §3.1.2). A loopback one belongs in the loopback settings, where the app
// listens for it.
func checkHostedRedirect(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || !u.IsAbs():
		return fmt.Sprintf("%q is not a full URL; a hosted redirect URI looks like https://app.example.com/callback.", raw)
	case loopback.IsHost(u.Hostname()):
		return "This is a loopback address: leave this field empty and set the redirect host, port and path instead, so PKCE Desk listens there and the browser comes straight back."
	case u.Scheme != "https":
		return fmt.Sprintf("A hosted redirect URI must use https (got %q): the code travels in it.", raw)
	case u.User != nil:
		return fmt.Sprintf("Remove the user name or password from %q.", u.Redacted())
	case u.Fragment != "" || strings.HasSuffix(raw, "#"):
		return fmt.Sprintf("A redirect URI has no #fragment (RFC 6749 §3.1.2); remove it from %q.", raw)
	}
	return ""
}

// checkURL returns "" when raw is an absolute URL that may carry OAuth
// traffic: https, or http only to a loopback host (security rule 17).
func checkURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return fmt.Sprintf("%q is not a full URL; it should look like https://login.example.com/…", raw)
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback.IsHost(u.Hostname()) {
			return fmt.Sprintf("%q uses plain http; use https (http is allowed only for 127.0.0.1, ::1 and localhost).", raw)
		}
	default:
		return fmt.Sprintf("%q must start with https://.", raw)
	}
	if u.User != nil {
		return fmt.Sprintf("Remove the user name or password from %q.", u.Redacted())
	}
	if u.Fragment != "" {
		return fmt.Sprintf("Remove the #fragment from %q.", raw)
	}
	return ""
}
