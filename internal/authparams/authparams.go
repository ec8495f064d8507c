// Package authparams owns the one list of authorization and token request
// parameters the sign-in sets itself. A profile's extra parameters may not
// name them: overriding state, nonce or the PKCE pair breaks the flow's
// protection, response_mode or request/request_uri change where and how the
// answer travels, and a secret typed there would sit in plain text in the
// profile file instead of the keychain.
package authparams

import (
	"slices"
	"strings"
)

// reserved are the parameters the engine sets (RFC 6749 §4.1.1, §4.1.3,
// RFC 7636 §4.3, §4.5, OpenID Connect Core §3.1.2.1, RFC 9101 §5,
// RFC 9126 §2.1) or that carry a secret.
var reserved = []string{
	"response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
	"code_challenge", "code_challenge_method", "code_verifier", "client_secret",
	"response_mode", "request", "request_uri",
}

// IsReserved reports whether key (trimmed, any case) is set by the app
// itself and so refused as an extra parameter.
func IsReserved(key string) bool {
	return slices.Contains(reserved, strings.ToLower(strings.TrimSpace(key)))
}

// Reserved returns the list, lower case, for editors that refuse the names
// as they are typed.
func Reserved() []string { return slices.Clone(reserved) }
