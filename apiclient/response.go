package apiclient

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Header is one response header line. A header sent several times appears as
// several entries with the same Name.
type Header struct {
	// Name is the canonical header name, e.g. "Content-Type".
	Name string `json:"name"`
	// Value is the value as received, unescaped and uninterpreted.
	Value string `json:"value"`
}

// Response is what the request console shows after a send. Everything is
// plain data; text fields hold the server's bytes verbatim (never escaped or
// interpreted here) and must be rendered as text only (security rules 26 and 29).
type Response struct {
	// URL is the URL of the last request in the redirect chain.
	URL string `json:"url"`
	// Status is the status code; StatusText the server's reason phrase (or
	// the standard one when the server sent none); Proto e.g. "HTTP/1.1".
	Status     int    `json:"status"`
	StatusText string `json:"statusText"`
	Proto      string `json:"proto"`
	// Headers are sorted by canonical name; repeated headers keep their
	// received order. (net/http does not keep the wire order across names.)
	Headers []Header `json:"headers"`
	// ContentType is the Content-Type header as received.
	ContentType string `json:"contentType"`

	// BodyKind is KindEmpty, KindJSON, KindText or KindBinary.
	BodyKind string `json:"bodyKind"`
	// Body is the body as text for KindJSON and KindText: always valid UTF-8
	// (invalid bytes replaced by U+FFFD, with a notice). Empty for KindBinary.
	Body string `json:"body"`
	// Pretty is the JSON body indented by two spaces, keys in received
	// order; empty for bodies over PrettyLimit and for a body cut at the cap.
	Pretty string `json:"pretty,omitempty"`
	// Hex is an xxd-style dump of the first HexDumpLimit bytes, set for
	// KindBinary and for text that was not valid UTF-8.
	Hex string `json:"hex,omitempty"`
	// Notices are sentences for the user about how the body is shown
	// (truncated, not UTF-8, binary, …), each about something different.
	// When Truncated, the first one says how much was received and that the
	// rest was cut off; it is the only one about the cut.
	Notices []string `json:"notices,omitempty"`

	// Size is the number of body bytes read (at most Options.MaxBody).
	Size int64 `json:"size"`
	// TotalSize is the body's full size when known (equal to Size when the
	// whole body was read, else Content-Length), or -1 when unknown.
	TotalSize int64 `json:"totalSize"`
	// Truncated is true when the body was longer than Options.MaxBody: only
	// the first MaxBody bytes were read and the connection was closed.
	Truncated bool `json:"truncated"`
	// Raw holds the bytes read, for saving to a file. It is not sent to the UI.
	Raw []byte `json:"-"`

	// Timings are the request's phases.
	Timings Timings `json:"timings"`
	// Redirects are the redirects followed, in order.
	Redirects []Redirect `json:"redirects,omitempty"`
	// TokenSent is true when the last request of the chain carried the
	// access token (false if it was dropped at a cross-origin redirect).
	TokenSent bool `json:"tokenSent"`
}

// newResponse assembles a Response from a finished exchange.
func newResponse(resp *http.Response, raw []byte, truncated bool, t Timings, hops []Redirect, tokenSent bool) *Response {
	r := &Response{
		URL:         resp.Request.URL.String(),
		Status:      resp.StatusCode,
		StatusText:  reasonPhrase(resp),
		Proto:       resp.Proto,
		Headers:     orderedHeaders(resp.Header),
		ContentType: resp.Header.Get("Content-Type"),
		Size:        int64(len(raw)),
		TotalSize:   int64(len(raw)),
		Truncated:   truncated,
		Raw:         raw,
		Timings:     t,
		Redirects:   hops,
		TokenSent:   tokenSent,
	}
	if truncated {
		r.TotalSize = -1
		if resp.ContentLength >= 0 {
			r.TotalSize = resp.ContentLength
			r.Notices = append(r.Notices, fmt.Sprintf("The body is %s: the first %s (the size limit) was received and is shown; the rest was cut off, not downloaded.", formatSize(r.TotalSize), formatSize(r.Size)))
		} else {
			r.Notices = append(r.Notices, fmt.Sprintf("The body is larger than the size limit: the first %s was received and is shown; the rest (size unknown) was cut off, not downloaded.", formatSize(r.Size)))
		}
	}
	v := describeBody(raw, r.ContentType, truncated)
	r.BodyKind, r.Body, r.Pretty, r.Hex = v.kind, v.text, v.pretty, v.hex
	r.Notices = append(r.Notices, v.notices...)
	return r
}

// reasonPhrase returns the server's reason phrase from "200 OK", or the
// standard text for the code when the server sent none (HTTP/2 has none).
func reasonPhrase(resp *http.Response) string {
	code := strconv.Itoa(resp.StatusCode)
	if s, ok := strings.CutPrefix(resp.Status, code); ok {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return http.StatusText(resp.StatusCode)
}

// orderedHeaders flattens h into a stable, sorted list.
func orderedHeaders(h http.Header) []Header {
	names := make([]string, 0, len(h))
	n := 0
	for k, vs := range h {
		names = append(names, k)
		n += len(vs)
	}
	slices.Sort(names)
	out := make([]Header, 0, n)
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, Header{Name: k, Value: v})
		}
	}
	return out
}
