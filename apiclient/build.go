package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// assembled is a Spec resolved into what goes on the wire, before validation.
// Build validates it; Curl prints it (so the export matches what Do sends,
// even for a spec that does not validate yet).
type assembled struct {
	method      string
	url         string // with Params merged, without fragment
	headers     []KV   // enabled user headers in order (Host excluded)
	host        string // from a "Host" header row, if any
	body        string
	hasBody     bool
	contentType string // implied by BodyType; "" if the user set one or there is none
}

// assemble resolves a Spec without failing.
func assemble(spec Spec) assembled {
	a := assembled{method: strings.ToUpper(strings.TrimSpace(spec.Method))}
	if a.method == "" {
		a.method = http.MethodGet
	}

	// Merge Params into the query as typed: the existing query keeps its
	// order and encoding; params are appended in order.
	raw := strings.TrimSpace(spec.URL)
	raw, _, _ = strings.Cut(raw, "#")
	var q []string
	for _, p := range spec.Params {
		if p.active() {
			q = append(q, url.QueryEscape(p.Key)+"="+url.QueryEscape(p.Value))
		}
	}
	if len(q) > 0 {
		sep := "?"
		if strings.Contains(raw, "?") {
			sep = "&"
			if strings.HasSuffix(raw, "?") || strings.HasSuffix(raw, "&") {
				sep = ""
			}
		}
		raw += sep + strings.Join(q, "&")
	}
	a.url = raw

	userCT := false
	for _, h := range spec.Headers {
		if !h.active() {
			continue
		}
		switch http.CanonicalHeaderKey(strings.TrimSpace(h.Key)) {
		case "Host":
			a.host = strings.TrimSpace(h.Value)
			continue
		case "Content-Type":
			userCT = true
		}
		a.headers = append(a.headers, h)
	}

	switch strings.ToLower(spec.BodyType) {
	case BodyJSON:
		a.body, a.hasBody, a.contentType = spec.Body, true, "application/json"
	case BodyText:
		a.body, a.hasBody, a.contentType = spec.Body, true, "text/plain; charset=utf-8"
	case BodyForm:
		var f []string
		for _, kv := range spec.Form {
			if kv.active() {
				f = append(f, url.QueryEscape(kv.Key)+"="+url.QueryEscape(kv.Value))
			}
		}
		a.body, a.hasBody, a.contentType = strings.Join(f, "&"), true, "application/x-www-form-urlencoded"
	case "", BodyNone:
	default:
		// Unknown type: Build rejects it; Curl sends the text as typed.
		a.body, a.hasBody = spec.Body, spec.Body != ""
	}
	if userCT {
		a.contentType = ""
	}
	return a
}

// Build turns a Spec into an *http.Request bound to ctx, without sending it
// and without any credentials (Do adds the token). It guarantees:
//   - the URL is absolute, http or https, with a host; Params are appended to
//     its query in order, and the fragment is dropped;
//   - the method and header names are valid HTTP tokens and header values hold
//     no line breaks (no header injection);
//   - a BodyJSON body is valid JSON (else a *JSONBodyError with line and column);
//   - Content-Type follows BodyType unless the user set one.
//
// Errors are *SpecError or *JSONBodyError, with secrets in the URL masked.
func Build(ctx context.Context, spec Spec) (*http.Request, error) {
	a := assemble(spec)
	if !isToken(a.method) {
		return nil, &SpecError{Field: "method", Msg: fmt.Sprintf("%q is not a valid HTTP method", a.method)}
	}
	if a.url == "" {
		return nil, &SpecError{Field: "url", Msg: "enter a URL such as https://api.example.com/me"}
	}
	var body io.Reader
	if a.hasBody {
		// strings.Reader lets NewRequest set ContentLength and GetBody, so
		// 307/308 redirects can resend the body.
		body = strings.NewReader(a.body)
	}
	// NewRequest parses the URL; checkURL then checks what it parsed, so
	// the URL is parsed once. A parse error is a *url.Error.
	req, err := http.NewRequestWithContext(ctx, a.method, a.url, body)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			// url.Parse's message quotes the URL: mask it.
			return nil, &SpecError{Field: "url", Msg: "not a valid URL", Err: errors.New(RedactString(err.Error()))}
		}
		return nil, &SpecError{Field: "url", Msg: "cannot build the request", Err: err}
	}
	if err := checkURL(a.url, req.URL); err != nil {
		return nil, err
	}

	kind := strings.ToLower(spec.BodyType)
	switch kind {
	case "", BodyNone, BodyJSON, BodyText, BodyForm:
	default:
		return nil, &SpecError{Field: "bodyType", Msg: fmt.Sprintf("unknown body type %q: choose none, json, text or form", spec.BodyType)}
	}
	if kind == BodyJSON {
		if err := checkJSON(a.body); err != nil {
			return nil, err
		}
	}

	for _, h := range a.headers {
		name := strings.TrimSpace(h.Key)
		if !isToken(name) {
			return nil, &SpecError{Field: "headers", Msg: fmt.Sprintf("%q is not a valid header name (letters, digits and !#$%%&'*+-.^_`|~ only)", name)}
		}
		if strings.ContainsAny(h.Value, "\r\n\x00") {
			return nil, &SpecError{Field: "headers", Msg: fmt.Sprintf("the value of header %s contains a line break or NUL; remove it", name)}
		}
		req.Header.Add(name, h.Value)
	}
	if a.host != "" {
		if strings.ContainsAny(a.host, "\r\n\x00 /") {
			return nil, &SpecError{Field: "headers", Msg: "the Host header value is not a valid host"}
		}
		req.Host = a.host
	}
	if a.contentType != "" {
		req.Header.Set("Content-Type", a.contentType)
	}
	return req, nil
}

// checkURL requires u, parsed from raw, to be an absolute http(s) URL with
// a host; raw is quoted (masked) in the errors.
func checkURL(raw string, u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return &SpecError{Field: "url", Msg: fmt.Sprintf("the URL must start with https:// or http:// (got %q)", RedactString(raw))}
	}
	if u.Host == "" || u.Hostname() == "" {
		return &SpecError{Field: "url", Msg: fmt.Sprintf("the URL has no host: %s", RedactString(raw))}
	}
	if u.Opaque != "" {
		return &SpecError{Field: "url", Msg: fmt.Sprintf("the URL must be of the form scheme://host/path: %s", RedactString(raw))}
	}
	return nil
}

// checkJSON returns a *JSONBodyError locating the first syntax error.
func checkJSON(body string) error {
	data := []byte(body)
	if len(bytes.TrimSpace(data)) == 0 {
		return &JSONBodyError{Line: 1, Column: 1, Err: errors.New("the body is empty")}
	}
	var raw json.RawMessage
	err := json.Unmarshal(data, &raw)
	if err == nil {
		return nil
	}
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return &JSONBodyError{Line: 1, Column: 1, Err: err}
	}
	// Offset counts the bytes read including the offending one; when the
	// input simply ended, point just past its end.
	off := se.Offset - 1
	if strings.Contains(se.Error(), "unexpected end") {
		off = int64(len(data))
	}
	off = max(0, min(off, int64(len(data))))
	line, col := lineCol(data, int(off))
	return &JSONBodyError{Line: line, Column: col, Offset: off, Err: err}
}

// lineCol converts a byte offset into a 1-based line and rune column.
func lineCol(data []byte, off int) (line, col int) {
	before := data[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	col = 1 + utf8.RuneCount(before[lineStart:])
	return line, col
}

// isToken reports whether s is a non-empty RFC 9110 §5.6.2 token
// (method names and header field names).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}
