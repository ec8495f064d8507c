package auth

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"pkcedesk/internal/origin"
	"pkcedesk/internal/redact"
)

// Errors the UI tells apart with errors.Is.
var (
	// ErrCanceled means the user (or the caller's context) canceled the sign-in.
	ErrCanceled = errors.New("sign-in canceled")
	// ErrTimeout means no valid callback arrived before Config.Timeout.
	ErrTimeout = errors.New("sign-in timed out waiting for the browser; try again and finish signing in within the time limit")
	// ErrSessionEnded means the provider no longer accepts the refresh token
	// (invalid_grant) or the session was revoked: the user must sign in again.
	ErrSessionEnded = errors.New("the session has ended; sign in again")
	// ErrPKCEUnsupported means the provider's metadata lists PKCE methods
	// without S256 (RFC 7636 §4.2); the app refuses plain.
	ErrPKCEUnsupported = errors.New("the provider does not support PKCE with S256")
	// ErrClockSkew means a token's iat is in the future or its exp passed only
	// moments ago: the most likely cause is a wrong system clock.
	ErrClockSkew = errors.New("token times do not match this computer's clock; check your clock")
	// ErrNotSupported means the provider has no endpoint for the requested
	// operation (revocation, introspection, userinfo, end-session).
	ErrNotSupported = errors.New("the provider does not offer this endpoint")
	// ErrInvalidConfig marks a configuration problem the user must fix in the profile.
	ErrInvalidConfig = errors.New("invalid provider configuration")
	// ErrInvalidResponse marks a provider response that failed a safety check.
	ErrInvalidResponse = errors.New("invalid response from the provider")
)

// maxDescriptionRunes caps provider-supplied text shown to the user.
const maxDescriptionRunes = 300

// ProviderError is an OAuth error returned by the provider, either in the
// authorization callback (RFC 6749 §4.1.2.1) or from the token, revocation or
// introspection endpoint (RFC 6749 §5.2). Description is plain text with
// control characters removed and at most 300 characters; show it as text,
// never as HTML.
type ProviderError struct {
	// Code is the OAuth error code, e.g. "invalid_grant", "access_denied".
	Code string
	// Description is error_description, sanitised and length-capped.
	Description string
	// URI is error_uri as sent (sanitised, capped); show it as text.
	URI string
	// Endpoint names where the error came from: "authorization", "token",
	// "refresh", "revocation", "introspection" or "userinfo".
	Endpoint string
	// HTTPStatus is the HTTP status for endpoint errors, 0 for callbacks.
	HTTPStatus int
}

// Error says which endpoint failed and how, in one line.
func (e *ProviderError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "the provider's %s endpoint returned %s", e.Endpoint, e.Code)
	if e.Description != "" {
		fmt.Fprintf(&b, ": %s", e.Description)
	}
	if hint := providerErrorHint(e.Code); hint != "" {
		b.WriteString(" — " + hint)
	}
	return b.String()
}

func providerErrorHint(code string) string {
	switch code {
	case "access_denied":
		return "the sign-in was declined at the provider (in the browser, or on the device that approves a device sign-in)"
	case "invalid_client", "unauthorized_client":
		return "check the client id, client secret and authentication method in the profile"
	case "invalid_scope":
		return "remove the scopes this client may not request"
	case "invalid_grant":
		return "the code or refresh token is no longer valid; sign in again"
	}
	return ""
}

// newProviderError builds a ProviderError from raw provider text, with the
// known secrets and anything shaped like a token field redacted.
func newProviderError(endpoint string, status int, code, desc, uri string, known ...string) *ProviderError {
	return &ProviderError{
		Code:        providerText(code, 64, known),
		Description: providerText(desc, maxDescriptionRunes, known),
		URI:         providerText(uri, 200, known),
		Endpoint:    endpoint,
		HTTPStatus:  status,
	}
}

// providerText is how provider-supplied text leaves the engine: secrets
// redacted first (every value in known, as sent or encoded, and anything
// shaped like a token field or a JWT, internal/redact), then cleanText.
// Redacting before the cut means a secret is never left half-shown.
func providerText(s string, max int, known []string) string {
	return cleanText(redact.Text(s, known...), max)
}

// bodySnippet is the start of an error body as redacted plain text.
func bodySnippet(body []byte, known []string) string {
	return providerText(stripTags(string(body)), 200, known)
}

// cleanText turns provider text into a single line of plain text: invalid
// UTF-8 and control characters become spaces, runs of spaces collapse, and
// the result is cut at max runes with "…".
func cleanText(s string, max int) string {
	var b strings.Builder
	n := 0
	space := false
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) {
			if !space && b.Len() > 0 {
				space = true
			}
			continue
		}
		need := 1
		if space {
			need = 2 // the pending space and this rune
		}
		if n+need > max {
			b.WriteString("…")
			return b.String()
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}

// StepTimeoutError means the sign-in's time limit (Config.Timeout) ran out
// after the browser had returned, while the app waited for the provider.
// errors.Is(err, ErrTimeout) holds.
type StepTimeoutError struct {
	// Step says what the app was doing ("exchanging the code at the token endpoint").
	Step string
	// Limit is the sign-in's time limit.
	Limit time.Duration
}

// Error says which step ran out of time and what to do.
func (e *StepTimeoutError) Error() string {
	return fmt.Sprintf("sign-in timed out after %s while %s: the provider did not answer in time — try again, or raise the profile's timeout", e.Limit, e.Step)
}

// Unwrap returns ErrTimeout.
func (e *StepTimeoutError) Unwrap() error { return ErrTimeout }

// RedirectURIError means the provider refused the redirect URI. Register is
// the exact value to add to the client's registration.
type RedirectURIError struct {
	// Used is the redirect URI this attempt sent, port included.
	Used string
	// Register is what to register at the provider (no port when the
	// profile uses an ephemeral port, RFC 8252 §7.3).
	Register string
	// ClientID is the client whose registration needs the URI.
	ClientID string
	// AnyPort is true when the profile uses an ephemeral port.
	AnyPort bool
	// Err is the provider's error.
	Err error
}

// Error names exactly which URI to register.
func (e *RedirectURIError) Error() string {
	port := ""
	if e.AnyPort {
		port = " (any port)"
	}
	return fmt.Sprintf("the provider rejected the redirect URI %s — register %s for client %s%s", e.Used, e.Register, e.ClientID, port)
}

// Unwrap returns the provider's error.
func (e *RedirectURIError) Unwrap() error { return e.Err }

// PortInUseError means a fixed redirect port could not be bound.
type PortInUseError struct {
	Port int
	Err  error
}

// Error says which port is taken and what to do.
func (e *PortInUseError) Error() string {
	return fmt.Sprintf("port %d is in use; close the program using it or choose another redirect port", e.Port)
}

// Unwrap returns the listen error.
func (e *PortInUseError) Unwrap() error { return e.Err }

// HTTPError is a non-OAuth error response (for example an HTML 500 page).
// Snippet is the start of the body as plain text, capped.
type HTTPError struct {
	Endpoint    string
	Status      int
	ContentType string
	// Snippet is redacted: no secret the request carried, nothing shaped
	// like a token field.
	Snippet string
	// RedirectTo is the origin a 3xx answer pointed to (never followed for
	// a POST; only the origin is kept, since a Location may carry data).
	RedirectTo string
}

// newHTTPError builds an *HTTPError from a response, its body redacted.
func newHTTPError(endpoint string, status int, h http.Header, body []byte, known []string) *HTTPError {
	e := &HTTPError{Endpoint: endpoint, Status: status, ContentType: mediaType(h), Snippet: bodySnippet(body, known)}
	if status >= 300 && status < 400 {
		if o, ok := origin.Parse(h.Get("Location")); ok {
			e.RedirectTo = o.String()
		}
	}
	return e
}

// Error describes the response without echoing markup.
func (e *HTTPError) Error() string {
	s := fmt.Sprintf("the provider's %s endpoint answered HTTP %d", e.Endpoint, e.Status)
	if e.ContentType != "" {
		s += " (" + e.ContentType + ")"
	}
	if e.RedirectTo != "" {
		s += " redirecting to " + e.RedirectTo
	}
	if e.Snippet != "" {
		s += ": " + e.Snippet
	}
	return s + " — " + httpStatusHint(e.Status)
}

// httpStatusHint says what a bare HTTP error status most likely means for
// the user: a refusal of this client is not an outage.
func httpStatusHint(status int) string {
	switch {
	case status >= 300 && status < 400:
		return "the app never re-sends a request carrying a code, a verifier or client credentials to another address; put the final endpoint URL in the profile"
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return "the provider refused this client here; this endpoint may need client authentication (a confidential client) or a permission the client lacks"
	case status == http.StatusNotFound || status == http.StatusMethodNotAllowed:
		return "the endpoint URL may be wrong; check it in the profile or use Discover"
	case status >= 500:
		return "the provider had an internal error or is down; try again later"
	}
	return "the provider did not answer as OAuth 2.0 specifies; check the endpoint URL"
}

// CheckError means a check on a provider response failed (an ID-token
// check, the callback's iss, a token response field). Check names it.
type CheckError struct {
	Check  string
	Detail string
	Err    error // ErrInvalidResponse or ErrClockSkew, possibly wrapping a library error
}

// Error names the failed check and why.
func (e *CheckError) Error() string {
	return fmt.Sprintf("%s check failed: %s", e.Check, e.Detail)
}

// Unwrap returns the classifying error.
func (e *CheckError) Unwrap() error { return e.Err }

// stripTags removes anything between < and > so an HTML error page shows as text.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
