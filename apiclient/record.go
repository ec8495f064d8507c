package apiclient

import (
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a Record: what one history entry may hold at most.
const (
	// RecordBodyLimit caps the request body kept in a Record (64 KiB).
	RecordBodyLimit = 64 << 10
	// RecordURLLimit caps the URL kept in a Record (8 KiB).
	RecordURLLimit = 8 << 10
	// RecordHeaderLimit is the most request headers a Record keeps.
	RecordHeaderLimit = 100
	// RecordHeaderValueLimit caps one header value (8 KiB).
	RecordHeaderValueLimit = 8 << 10

	recordMethodLimit   = 32
	recordBodyTypeLimit = 256
)

// Record is one request of the request console as its history keeps it:
// what was sent, resolved the way Do sends it (Params merged into the URL,
// form fields encoded into Body, only enabled rows), and how it went. It is
// the one shape of a history entry: the store persists exactly this (with an
// id and a profile), and the console loads it back with Spec.
//
// A Record never holds credentials. NewRecord makes it so and Sanitized
// keeps it so:
//   - request headers that carry credentials (Authorization, Cookie,
//     Proxy-Authorization, DPoP; see IsCredentialHeader) are dropped — the
//     token is added afresh at every send; headers whose name suggests a
//     secret (…token…, …secret…, …api-key…, …password…, …session…, …auth…)
//     keep their name with the value masked;
//   - query parameters and form fields with secret names (access_token, code,
//     client_secret, password, …; see IsSensitiveParam) are masked, and every
//     other secret the rules of RedactString find in the URL, the body or a
//     header value (a bearer credential, a JWT, a password in the URL);
//   - the URL, the body and the headers are capped (the Record*Limit
//     constants), at a UTF-8 character boundary.
//
// The JSON names are those of history.json (store.HistoryFile); changing one
// changes that file's format.
type Record struct {
	// Time is when the request was sent.
	Time time.Time `json:"time"`
	// Method is the HTTP method, upper case.
	Method string `json:"method"`
	// URL is the URL as sent (Params merged, fragment dropped), secrets masked.
	URL string `json:"url"`
	// Headers are the enabled request headers in order, credentials dropped.
	Headers []Header `json:"headers,omitempty"`
	// Body is the request body: the text for BodyJSON and BodyText, the
	// encoded fields for BodyForm. Secrets are masked and it is at most
	// RecordBodyLimit bytes; BodyTruncated says whether it was cut.
	Body          string `json:"body,omitempty"`
	BodyType      string `json:"body_type,omitempty"`
	BodyTruncated bool   `json:"body_truncated,omitempty"`
	// Status is the response's HTTP status, 0 if no response came.
	Status int `json:"status"`
	// DurationMs is the total time of the request in whole milliseconds.
	DurationMs int64 `json:"duration_ms"`
	// Size is the number of response body bytes read.
	Size int64 `json:"size"`
}

// NewRecord turns a sent (or failed) request into a history-safe Record;
// resp is nil when no response came. See Record for what is removed.
func NewRecord(spec Spec, resp *Response, at time.Time) Record {
	// Mask secret parameters and fields while they are still rows: the row
	// is the unit the user typed, whatever its encoding in the URL.
	spec.Params = maskKVs(spec.Params)
	spec.Form = maskKVs(spec.Form)
	a := assemble(spec)
	r := Record{Time: at, Method: a.method, URL: a.url, BodyType: spec.BodyType, Body: spec.Body}
	if strings.EqualFold(spec.BodyType, BodyForm) {
		r.Body = a.body
	}
	for _, h := range spec.Headers {
		if h.active() {
			r.Headers = append(r.Headers, Header{Name: h.Key, Value: h.Value})
		}
	}
	if resp != nil {
		r.Status, r.Size = resp.Status, resp.Size
		r.DurationMs = int64(resp.Timings.TotalMs)
	}
	return r.Sanitized()
}

// Sanitized returns r without credentials and within the limits (see
// Record). NewRecord's result already is; Sanitized changes nothing in it
// again, and is for a Record that comes from elsewhere (a history file
// edited by hand).
func (r Record) Sanitized() Record {
	r.Method = capText(strings.ToUpper(strings.TrimSpace(r.Method)), recordMethodLimit)
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	r.URL = capText(RedactString(r.URL), RecordURLLimit)
	r.BodyType = capText(r.BodyType, recordBodyTypeLimit)
	redacted := RedactString(r.Body)
	r.Body = capText(redacted, RecordBodyLimit)
	r.BodyTruncated = r.BodyTruncated || len(r.Body) < len(redacted)
	var hs []Header
	for _, h := range r.Headers {
		name := strings.TrimSpace(h.Name)
		if name == "" || IsCredentialHeader(name) {
			continue
		}
		if len(hs) == RecordHeaderLimit {
			break
		}
		value := RedactString(h.Value)
		if secretLookingHeader(name) && value != "" {
			value = Mask
		}
		hs = append(hs, Header{Name: name, Value: capText(value, RecordHeaderValueLimit)})
	}
	r.Headers = hs
	return r
}

// Spec is the request again, for the console to load: the URL as sent (its
// query holds what were Params), the headers as enabled rows, and for
// BodyForm the fields decoded from Body in their order. Masked values stay
// masked; the user fills them in before sending again. AttachToken is true:
// a Record never keeps the token, only that one was sent.
func (r Record) Spec() Spec {
	s := Spec{Method: r.Method, URL: r.URL, BodyType: r.BodyType, Body: r.Body, AttachToken: true,
		Params: []KV{}, Headers: []KV{}, Form: []KV{}}
	if s.BodyType == "" {
		s.BodyType = BodyNone
	}
	for _, h := range r.Headers {
		s.Headers = append(s.Headers, KV{Key: h.Name, Value: h.Value, Enabled: true})
	}
	if strings.EqualFold(s.BodyType, BodyForm) {
		s.Form, s.Body = decodeForm(r.Body), ""
	}
	return s
}

// decodeForm splits an encoded form into its fields in order (url.ParseQuery
// would return a map, losing the order the user typed).
func decodeForm(body string) []KV {
	out := []KV{}
	for _, pair := range strings.Split(body, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		value, err := url.QueryUnescape(v)
		if err != nil {
			value = v
		}
		out = append(out, KV{Key: key, Value: value, Enabled: true})
	}
	return out
}

// maskKVs copies kvs, masking the values of rows whose key is secret.
func maskKVs(kvs []KV) []KV {
	if kvs == nil {
		return nil
	}
	out := make([]KV, len(kvs))
	for i, kv := range kvs {
		if IsSensitiveParam(strings.TrimSpace(kv.Key)) && kv.Value != "" {
			kv.Value = Mask
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
func capText(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
