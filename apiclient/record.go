package apiclient

import (
	"net/http"
	"strings"
	"time"
	"unicode/utf8"
)

// RecordBodyLimit caps the request and response bodies kept in a Record.
const RecordBodyLimit = 64 << 10

// Record is one history entry of the request console, safe to write to disk
// and to show again later. NewRecord guarantees it holds no credentials:
//   - request headers Authorization, Cookie and Proxy-Authorization keep their
//     name but lose their value and are disabled; headers whose name suggests a
//     secret (…token…, …secret…, …api-key…, …password…, …session…) are masked;
//   - query parameters and form fields with secret names (access_token, code,
//     client_secret, password, …; see IsSensitiveParam) are masked, in the URL
//     too, as is a password in the URL;
//   - response Set-Cookie values are masked;
//   - bodies are capped at RecordBodyLimit and JSON members / name=value pairs
//     with secret names are masked in them.
//
// The access token itself is never part of a Spec, so it cannot leak through
// one; Redacted lists what was removed so the UI can say so.
type Record struct {
	// At is when the request was sent.
	At time.Time `json:"at"`
	// Spec is the request, sanitized; load it back into the editor to resend
	// (masked values must then be filled in again).
	Spec Spec `json:"spec"`
	// Status and StatusText are zero/empty when the send failed (see Error).
	Status     int    `json:"status"`
	StatusText string `json:"statusText"`
	// Error is the send error's message (already free of secrets).
	Error string `json:"error,omitempty"`
	// DurationMs is Timings.TotalMs of the response.
	DurationMs float64 `json:"durationMs"`
	// Size is the number of response body bytes read.
	Size int64 `json:"size"`
	// BodyKind is the Response's BodyKind.
	BodyKind string `json:"bodyKind"`
	// ResponseHeaders are the response headers, Set-Cookie masked.
	ResponseHeaders []Header `json:"responseHeaders,omitempty"`
	// ResponseBody is the body text (hex dump for binary), capped.
	ResponseBody string `json:"responseBody,omitempty"`
	// BodyCapped is true when the request or response body was cut to fit.
	BodyCapped bool `json:"bodyCapped,omitempty"`
	// Redacted lists what was removed or masked, e.g. "header Authorization".
	Redacted []string `json:"redacted,omitempty"`
}

// NewRecord turns a sent (or failed) request into a history-safe Record.
// resp may be nil when sendErr is set. See Record for what is removed.
func NewRecord(spec Spec, resp *Response, sendErr error, at time.Time) Record {
	r := Record{At: at}
	s := Spec{
		Method:      spec.Method,
		URL:         RedactString(spec.URL),
		BodyType:    spec.BodyType,
		AttachToken: spec.AttachToken,
	}
	if s.URL != spec.URL {
		r.Redacted = append(r.Redacted, "secret values in the URL")
	}
	s.Params = r.maskKVs(spec.Params, "parameter", IsSensitiveParam)
	s.Form = r.maskKVs(spec.Form, "form field", IsSensitiveParam)
	for _, h := range spec.Headers {
		name := strings.TrimSpace(h.Key)
		switch {
		case IsCredentialHeader(name):
			if h.Value != "" {
				r.Redacted = append(r.Redacted, "header "+http.CanonicalHeaderKey(name))
			}
			h.Value, h.Enabled = "", false
		case secretLookingHeader(name) && h.Value != "":
			r.Redacted = append(r.Redacted, "header "+http.CanonicalHeaderKey(name))
			h.Value = Mask
		}
		s.Headers = append(s.Headers, h)
	}
	var capped bool
	s.Body, capped = capText(RedactString(spec.Body), RecordBodyLimit)
	r.BodyCapped = capped
	r.Spec = s

	if sendErr != nil {
		r.Error = RedactString(sendErr.Error())
	}
	if resp != nil {
		r.Status, r.StatusText = resp.Status, resp.StatusText
		r.DurationMs, r.Size, r.BodyKind = resp.Timings.TotalMs, resp.Size, resp.BodyKind
		for _, h := range resp.Headers {
			if IsCredentialHeader(h.Name) {
				h.Value = Mask
			}
			r.ResponseHeaders = append(r.ResponseHeaders, h)
		}
		body := resp.Body
		if resp.BodyKind == KindBinary {
			body = resp.Hex
		}
		body, capped = capText(RedactString(body), RecordBodyLimit)
		r.ResponseBody = body
		r.BodyCapped = r.BodyCapped || capped || resp.Truncated
	}
	return r
}

// maskKVs copies kvs, masking values whose key is secret.
func (r *Record) maskKVs(kvs []KV, what string, secret func(string) bool) []KV {
	if kvs == nil {
		return nil
	}
	out := make([]KV, len(kvs))
	for i, kv := range kvs {
		if secret(strings.TrimSpace(kv.Key)) && kv.Value != "" {
			kv.Value = Mask
			r.Redacted = append(r.Redacted, what+" "+kv.Key)
		}
		out[i] = kv
	}
	return out
}

// secretLookingHeader reports header names that by convention carry secrets
// (X-Api-Key, X-Auth-Token, X-Client-Secret, X-Session-Id, …).
func secretLookingHeader(name string) bool {
	n := strings.ToLower(name)
	for _, w := range []string{"token", "secret", "api-key", "apikey", "api_key", "password", "session", "auth"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// capText cuts s to at most limit bytes on a rune boundary.
func capText(s string, limit int) (string, bool) {
	if len(s) <= limit {
		return s, false
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut], true
}
