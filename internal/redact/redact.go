// Package redact is the one place that decides what secret-looking text
// looks like and what replaces it. The engine runs every provider text
// (error bodies, error descriptions) through Text before it becomes an
// error, a trace event, a log record or CLI output; the request console uses
// the same rules for its errors, history and masked curl export.
package redact

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Marker replaces every secret value.
const Marker = "[redacted]"

// sensitiveNames are parameter and JSON member names whose values are
// secrets: tokens (RFC 6749, RFC 6750 §2.3, RFC 7009, RFC 8693, RFC 8628),
// authorization codes, PKCE verifiers (RFC 7636), client credentials and
// common API-key names.
var sensitiveNames = []string{
	"access_token", "id_token", "refresh_token", "token",
	"code", "code_verifier", "device_code",
	"client_secret", "client_assertion", "assertion",
	"subject_token", "actor_token", "registration_access_token",
	"password", "api_key", "apikey", "key",
}

// IsSensitiveName reports whether a parameter or member name (any case)
// carries a secret value.
func IsSensitiveName(name string) bool {
	return slices.ContainsFunc(sensitiveNames, func(n string) bool { return strings.EqualFold(n, name) })
}

var (
	names = strings.Join(sensitiveNames, "|")
	// name=value as in a query or form body; the name must start the text
	// or follow a separator, so "error_code=" is not taken for "code=".
	paramPattern = regexp.MustCompile(`(?i)(^|[?&;\s"'(,<>])(` + names + `)=([^&\s"'#;,)<>]*)`)
	// "name": "value" in JSON text; the value may be a string or a number.
	jsonPattern    = regexp.MustCompile(`(?i)("(?:` + names + `)"\s*:\s*)"(?:[^"\\]|\\.)*"`)
	jsonNumPattern = regexp.MustCompile(`(?i)("(?:` + names + `)"\s*:\s*)[0-9][0-9.eE+-]*`)
	// name: value / name = value in a form-ish or YAML-ish error page, e.g.
	// "client_secret: abc" or "code_verifier = xyz".
	labelPattern = regexp.MustCompile(`(?i)(^|[\s"'(,;<>])(` + names + `)(\s*[:=]\s+|\s+[:=]\s*)([^\s"'<>,;&)]+)`)
	// "Bearer <token>", "DPoP <token>", "Basic <credentials>".
	schemePattern = regexp.MustCompile(`(?i)\b(bearer|dpop|basic)\s+[A-Za-z0-9\-._~+/]+=*`)
	// A compact JWS/JWT anywhere in the text.
	jwtPattern = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*`)
	// user:password@ in a URL.
	userinfoPattern = regexp.MustCompile(`(://[^/?#@\s:]*):[^/?#@\s]*@`)
)

// minKnown is the shortest known secret replaced by value: shorter ones
// would match ordinary words (a test canary "s" is not a secret).
const minKnown = 6

// Text returns s with secrets replaced by Marker: every occurrence of a
// known value (as sent, URL-encoded, or inside base64 Basic credentials),
// values of sensitive name=value pairs, JSON members and "name: value"
// labels, credentials after Bearer/DPoP/Basic, compact JWTs, and passwords
// in URLs.
func Text(s string, known ...string) string {
	for _, k := range variants(known) {
		s = strings.ReplaceAll(s, k, Marker)
	}
	// Each pattern runs only where the text holds what it needs to match
	// (a cheap scan first): most text — a history of ordinary API bodies —
	// holds none, and the regexps cost ~1000× the scan.
	if strings.Contains(s, "eyJ") {
		s = jwtPattern.ReplaceAllString(s, Marker)
	}
	lower := strings.ToLower(s)
	if containsAny(lower, nameStems) {
		s = paramPattern.ReplaceAllString(s, "${1}${2}="+Marker)
		s = jsonPattern.ReplaceAllString(s, "${1}\""+Marker+"\"")
		s = jsonNumPattern.ReplaceAllString(s, "${1}\""+Marker+"\"")
		s = labelPattern.ReplaceAllStringFunc(s, func(m string) string {
			sub := labelPattern.FindStringSubmatch(m)
			if sub[4] == Marker || strings.HasPrefix(sub[4], "[redacted") {
				return m
			}
			return sub[1] + sub[2] + sub[3] + Marker
		})
	}
	if containsAny(lower, schemeNames) {
		s = schemePattern.ReplaceAllString(s, "${1} "+Marker)
	}
	if strings.Contains(s, "://") && strings.Contains(s, "@") {
		s = userinfoPattern.ReplaceAllString(s, "${1}:"+Marker+"@")
	}
	return s
}

// nameStems holds a part of every name in sensitiveNames
// (TestNameStemsCoverEverySensitiveName): text whose lower case holds none
// of them cannot match the name patterns.
var nameStems = []string{"token", "code", "secret", "assertion", "password", "key"}

// schemeNames are the Authorization schemes schemePattern matches.
var schemeNames = []string{"bearer", "dpop", "basic"}

func containsAny(s string, subs []string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return strings.Contains(s, sub) })
}

// variants lists the known secrets in every encoding a provider might echo
// them in, longest first so a longer match is never split by a shorter one.
func variants(known []string) []string {
	var out []string
	add := func(v string) {
		if len(v) >= minKnown && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, k := range known {
		add(k)
		add(url.QueryEscape(k))
		add(url.PathEscape(k))
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// BasicCredentials returns the Authorization header value RFC 6749 §2.3.1
// builds from a client id and secret (form-encoded, then base64), so that a
// provider echoing the header can be redacted too.
func BasicCredentials(clientID, secret string) string {
	return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(clientID) + ":" + url.QueryEscape(secret)))
}
