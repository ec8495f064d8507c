package apiclient

import (
	"errors"
	"fmt"

	"pkcedesk/internal/redirects"
)

// ErrInsecureTokenTransport is matched (with errors.Is) by the error Do
// returns when a token would be sent over plain http to a host that is not a
// loopback address. The UI asks the user and, if they agree, retries with
// Options.AllowInsecureToken set (security rule 31, RFC 6750 §5.3).
var ErrInsecureTokenTransport = errors.New("apiclient: refusing to send the access token over plain http to a non-loopback host")

// ErrTimeout is matched (with errors.Is) by a *RequestError when the request
// did not complete within Options.Timeout.
var ErrTimeout = errors.New("apiclient: request timed out")

// ErrTooManyRedirects is matched (with errors.Is) when a response chain has
// more than MaxRedirects redirects.
var ErrTooManyRedirects = redirects.ErrTooMany

// ErrRedirectDowngrade is matched when a redirect would take the request from
// https to plain http on a host that is not loopback; it is not followed.
var ErrRedirectDowngrade = redirects.ErrDowngrade

// ErrNoTokenSource is returned when Spec.AttachToken is set but Do was given
// no token source (typically: the profile is not signed in).
var ErrNoTokenSource = errors.New("apiclient: no access token available: sign in first, or untick \"attach token\"")

// InsecureTransportError says the token was not sent because the URL uses
// plain http to a non-loopback host. It matches ErrInsecureTokenTransport.
// Nothing was sent and no connection was made when it is returned.
type InsecureTransportError struct {
	// Host is the host[:port] the request was addressed to.
	Host string
}

// Error says what happened and what to do.
func (e *InsecureTransportError) Error() string {
	return fmt.Sprintf("not sent: the access token would travel unencrypted over plain http to %s; use https, or confirm that you want to send it anyway", e.Host)
}

// Is makes errors.Is(err, ErrInsecureTokenTransport) true.
func (e *InsecureTransportError) Is(target error) bool { return target == ErrInsecureTokenTransport }

// SpecError says which part of a Spec cannot be turned into a request.
type SpecError struct {
	// Field is the editor field at fault: "method", "url", "params",
	// "headers", "bodyType", "body" or "form".
	Field string
	// Msg says what is wrong and how to fix it. It never contains secrets
	// (URL query values such as access_token are masked).
	Msg string
	// Err is an underlying error, if any.
	Err error
}

// Error says what is wrong and where.
func (e *SpecError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %s", e.Field, e.Msg, RedactString(e.Err.Error()))
	}
	return e.Field + ": " + e.Msg
}

// Unwrap returns the underlying error.
func (e *SpecError) Unwrap() error { return e.Err }

// JSONBodyError says where a BodyJSON body stops being valid JSON.
// Line and Column are 1-based; Column counts characters (runes), not bytes.
type JSONBodyError struct {
	// Line and Column locate the error (1-based; Column in characters).
	Line, Column int
	// Offset is the 0-based byte offset of the offending byte.
	Offset int64
	// Err is the error from encoding/json.
	Err error
}

// Error says where the JSON is broken.
func (e *JSONBodyError) Error() string {
	return fmt.Sprintf("body is not valid JSON at line %d, column %d: %v; fix it or choose body type \"text\"", e.Line, e.Column, e.Err)
}

// Unwrap returns the encoding/json error.
func (e *JSONBodyError) Unwrap() error { return e.Err }

// TokenSourceError says the token source could not provide an access token,
// for example because the refresh token was rejected (invalid_grant). Err is
// the token source's error (often *oauth2.RetrieveError), for errors.As.
type TokenSourceError struct {
	// Err is the token source's error.
	Err error
}

// Error says what happened and what to do, with secrets masked.
func (e *TokenSourceError) Error() string {
	return "could not get an access token (nothing was sent): " + RedactString(e.Err.Error()) + "; sign in again"
}

// Unwrap returns the token source's error.
func (e *TokenSourceError) Unwrap() error { return e.Err }

// RequestError says sending the request or reading its response failed.
// URL has secrets masked, and so does the wrapped error's text.
type RequestError struct {
	// Method is the request method.
	Method string
	// URL is the request URL with secret query values masked.
	URL string
	// Timeout is true when Options.Timeout expired; errors.Is(err, ErrTimeout) is then true.
	Timeout bool
	// Err is the cause (any *url.Error unwrapped, its URL masked).
	Err error
}

// Error says what failed.
func (e *RequestError) Error() string {
	what := "failed"
	if e.Timeout {
		what = "timed out (raise the timeout or check that the server answers)"
	}
	return fmt.Sprintf("%s %s %s: %s", e.Method, e.URL, what, RedactString(e.Err.Error()))
}

// Unwrap returns the underlying error (context.Canceled when the caller
// canceled, ErrTooManyRedirects, a *url.Error with its URL masked, …).
func (e *RequestError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrTimeout) true for timeouts.
func (e *RequestError) Is(target error) bool { return target == ErrTimeout && e.Timeout }
