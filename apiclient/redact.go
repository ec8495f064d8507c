package apiclient

import (
	"net/http"
	"regexp"
	"strings"
)

// Mask replaces a secret value in errors, logs, history records and the
// masked curl export.
const Mask = "***"

// sensitiveNames are query/form/JSON parameter names whose values are
// secrets: tokens (RFC 6749, RFC 6750 §2.3, RFC 7009, RFC 8693), authorization
// codes, PKCE verifiers (RFC 7636), client credentials and common API-key names.
var sensitiveNames = []string{
	"access_token", "id_token", "refresh_token", "token",
	"code", "code_verifier", "device_code",
	"client_secret", "client_assertion", "assertion",
	"subject_token", "actor_token",
	"password", "api_key", "apikey", "key",
}

// credentialHeaders are request headers that carry credentials. They are
// dropped on cross-origin redirects and stripped from history records.
var credentialHeaders = []string{"Authorization", "Cookie", "Proxy-Authorization"}

// IsSensitiveParam reports whether a query or form parameter name is one whose
// value this package treats as a secret (access_token, code, client_secret, …).
func IsSensitiveParam(name string) bool {
	for _, n := range sensitiveNames {
		if strings.EqualFold(name, n) {
			return true
		}
	}
	return false
}

// IsCredentialHeader reports whether a header carries credentials
// (Authorization, Cookie, Proxy-Authorization, and Set-Cookie in responses).
func IsCredentialHeader(name string) bool {
	c := http.CanonicalHeaderKey(name)
	for _, h := range credentialHeaders {
		if c == h {
			return true
		}
	}
	return c == "Set-Cookie"
}

var (
	names = strings.Join(sensitiveNames, "|")
	// name=value pairs, as in a URL query or a form body, where the name is
	// sensitive. The name must start the string or follow a separator so
	// that "error_code=" is not mistaken for "code=".
	paramPattern = regexp.MustCompile(`(?i)(^|[?&;\s"'(,])(` + names + `)=([^&\s"'#;,)]*)`)
	// "Bearer <token>" / "DPoP <token>" as in an Authorization header.
	schemePattern = regexp.MustCompile(`(?i)\b(bearer|dpop|basic)\s+[A-Za-z0-9\-._~+/]+=*`)
	// "name": "value" in JSON text (a token response in an error or body).
	jsonPattern = regexp.MustCompile(`(?i)("(?:` + names + `)"\s*:\s*)"(?:[^"\\]|\\.)*"`)
	// user:password@ in a URL.
	userinfoPattern = regexp.MustCompile(`(://[^/?#@\s:]*):[^/?#@\s]*@`)
)

// RedactString masks secrets in free text such as an error message: values of
// sensitive name=value pairs (access_token=…, code=…, client_secret=…) and of
// JSON members with those names, credentials after "Bearer", "DPoP" or
// "Basic", and passwords in URLs. It is applied to every error and log
// message this package produces.
func RedactString(s string) string {
	s = paramPattern.ReplaceAllString(s, "${1}${2}="+Mask)
	s = jsonPattern.ReplaceAllString(s, "${1}\""+Mask+"\"")
	s = schemePattern.ReplaceAllString(s, "${1} "+Mask)
	s = userinfoPattern.ReplaceAllString(s, "${1}:"+Mask+"@")
	return s
}
