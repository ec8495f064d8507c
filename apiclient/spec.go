// Package apiclient is the request console's HTTP client: it builds a request
// from what the user typed, attaches the session's access token, sends it with
// safe defaults, times it, caps what it reads and returns everything as plain
// data for the UI to render as text.
//
// Security properties (security rules 26–31):
//   - The bearer token never follows a redirect to another origin
//     (scheme, host or port); see [Do]. golang.org/x/oauth2's Transport does
//     forward it, so this package does not use it for sending.
//   - A token is not sent over plain http to a non-loopback host unless the
//     caller opted in after asking the user ([ErrInsecureTokenTransport]).
//   - TLS verification is always on; a custom CA pool may be added.
//   - Response bodies are read only up to a cap; secrets are kept out of
//     errors, logs and history records.
package apiclient

// Body types accepted in [Spec.BodyType].
const (
	// BodyNone sends no body. The empty string means the same.
	BodyNone = "none"
	// BodyJSON sends Spec.Body as application/json after checking it is valid JSON.
	BodyJSON = "json"
	// BodyText sends Spec.Body as text/plain; charset=utf-8.
	BodyText = "text"
	// BodyForm sends Spec.Form as application/x-www-form-urlencoded.
	BodyForm = "form"
)

// KV is one row of a key/value table in the request editor (query parameters,
// headers or form fields). Rows with Enabled false, or with an empty Key, are
// kept for the editor but never sent.
type KV struct {
	// Key is the parameter, header or field name, sent as typed (header
	// names are canonicalised by net/http).
	Key string `json:"key"`
	// Value is sent as typed; Build URL-encodes it where needed.
	Value string `json:"value"`
	// Enabled is the row's checkbox: only enabled rows are sent.
	Enabled bool `json:"enabled"`
}

// Spec is a request as the user describes it in the request console. It holds
// no secrets of its own: the access token is added by [Do] from a token source
// when AttachToken is true.
type Spec struct {
	// Method is the HTTP method; empty means GET. It is upper-cased.
	Method string `json:"method"`
	// URL is an absolute http or https URL. Its query is kept as typed and
	// Params are appended to it; a fragment is dropped (never sent).
	URL string `json:"url"`
	// Params are query parameters appended, in order, to URL's query.
	Params []KV `json:"params"`
	// Headers are request headers, sent in order. A "Host" row sets the
	// request's Host. A Content-Type row overrides the one implied by BodyType.
	Headers []KV `json:"headers"`
	// BodyType is one of BodyNone (or ""), BodyJSON, BodyText, BodyForm.
	BodyType string `json:"bodyType"`
	// Body is the request body for BodyJSON and BodyText.
	Body string `json:"body"`
	// Form holds the fields sent for BodyForm.
	Form []KV `json:"form"`
	// AttachToken asks Do to send "Authorization: <type> <access token>"
	// (RFC 6750 §2.1) taken from the token source.
	AttachToken bool `json:"attachToken"`
}

// active reports whether a row is to be sent.
func (kv KV) active() bool { return kv.Enabled && kv.Key != "" }
