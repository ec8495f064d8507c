package apiclient

import (
	"slices"
	"strings"

	"pkcedesk/internal/redact"
	"pkcedesk/internal/redirects"
)

// Mask replaces a secret value in errors, logs, history records and the
// masked curl export. It is the engine's marker too (internal/redact).
const Mask = redact.Marker

// IsSensitiveParam reports whether a query or form parameter name is one whose
// value this package treats as a secret (access_token, code, client_secret, …).
func IsSensitiveParam(name string) bool { return redact.IsSensitiveName(name) }

// IsCredentialHeader reports whether a header carries credentials
// (Authorization, Cookie, Proxy-Authorization, DPoP, and Set-Cookie in
// responses): dropped on cross-origin redirects, stripped from history.
func IsCredentialHeader(name string) bool {
	name = strings.TrimSpace(name)
	// Case-insensitive, not by canonical key: http.CanonicalHeaderKey("DPoP")
	// is "Dpop", which the list spells "DPoP".
	return strings.EqualFold(name, "Set-Cookie") || slices.ContainsFunc(redirects.CredentialHeaders,
		func(h string) bool { return strings.EqualFold(h, name) })
}

// RedactString masks secrets in free text such as an error message: values of
// sensitive name=value pairs (access_token=…, code=…, client_secret=…) and of
// JSON members with those names, credentials after "Bearer", "DPoP" or
// "Basic", compact JWTs and passwords in URLs (the rules of internal/redact).
// It is applied to every error and log message this package produces.
func RedactString(s string) string { return redact.Text(s) }
