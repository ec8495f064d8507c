package apiclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"strings"
	"unicode/utf8"
	"unsafe"
)

// Body kinds in [Response.BodyKind].
const (
	// KindEmpty: the response had no body.
	KindEmpty = "empty"
	// KindJSON: the body is valid JSON, and Response.Pretty holds it
	// indented; or, when Response.Truncated, it is the start of a JSON
	// document that is valid up to the cut (Pretty is then empty: only a
	// viewer that knows where the cut is can lay it out).
	KindJSON = "json"
	// KindText: the body is text; Response.Body holds it as valid UTF-8.
	KindText = "text"
	// KindBinary: the body is not text; Response.Hex holds a hex dump.
	KindBinary = "binary"
)

// PrettyLimit is the largest JSON body Response.Pretty is made for. A larger
// one would more than double what goes to the UI, whose viewer lays JSON out
// from Body itself.
const PrettyLimit = 1 << 20

// readCapped reads r until EOF or until max bytes, whichever comes first, and
// reports whether more was available. It allocates at most about max+1 bytes
// whatever the stream's length: a declared Content-Length (hint) up to max
// sizes the buffer exactly, otherwise it grows geometrically up to the cap.
func readCapped(r io.Reader, max, hint int64) (data []byte, truncated bool, err error) {
	limit := max + 1 // one byte more tells "exactly max" from "more than max"
	size := int64(32 << 10)
	if hint >= 0 {
		size = hint + 1
	}
	size = min(size, limit)
	buf := make([]byte, 0, size)
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			grow := min(int64(cap(buf))*2, limit)
			nb := make([]byte, len(buf), grow)
			copy(nb, buf)
			buf = nb
		}
		n, rerr := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if rerr == io.EOF {
			return buf, false, nil
		}
		if rerr != nil {
			return buf, false, rerr
		}
	}
	return buf[:max], true, nil
}

// bodyView is how a body is presented: see the Response fields of the same names.
type bodyView struct {
	kind, text, pretty, hex string
	notices                 []string
}

// describeBody classifies raw (the first bytes of the body, possibly cut at
// the cap) and prepares its text forms. The content is returned verbatim as
// data: nothing is escaped or interpreted here, the UI shows it as text only
// (security rule 26).
func describeBody(raw []byte, contentType string, truncated bool) bodyView {
	if len(raw) == 0 {
		return bodyView{kind: KindEmpty}
	}
	mt, params, _ := mime.ParseMediaType(contentType)
	mt = strings.ToLower(mt)

	// A cap can split the last UTF-8 sequence; judge the text without it.
	textPart := raw
	if truncated {
		textPart = trimPartialRune(raw)
	}

	var v bodyView
	switch {
	case isJSONType(mt) || looksLikeJSON(raw):
		// json.Valid does not check UTF-8 inside strings; Body must be valid UTF-8.
		if !truncated && utf8.Valid(raw) {
			if len(raw) > PrettyLimit {
				if json.Valid(raw) {
					v.kind, v.text = KindJSON, string(raw)
					return v
				}
			} else if out, ok := appendIndentedJSON(make([]byte, 0, 2*len(raw)+64), raw); ok {
				// One pass validates and indents (byte-identical to
				// json.Indent), at a third of json.Valid + json.Indent.
				// out is this call's own buffer and is never written
				// again, so the string can share it instead of copying.
				v.kind, v.text, v.pretty = KindJSON, string(raw), unsafe.String(unsafe.SliceData(out), len(out))
				return v
			}
		}
		// Cut at the cap, a JSON body is no longer valid JSON, but it is
		// still JSON up to the cut: kind JSON, no pretty form, and no notice
		// of its own (the truncation notice already says it was cut).
		if truncated && utf8.Valid(textPart) && jsonPrefix(textPart) {
			v.kind, v.text = KindJSON, string(textPart)
			return v
		}
		if isJSONType(mt) {
			v.notices = append(v.notices, "The Content-Type says JSON, but the body is not valid JSON; it is shown as text.")
		}
	}

	switch {
	case utf8.Valid(textPart) && bytes.IndexByte(textPart, 0) < 0:
		v.kind, v.text = KindText, string(textPart)
	case isTextType(mt) && bytes.IndexByte(textPart, 0) < 0:
		// Declared text but not UTF-8 (e.g. Latin-1): readable with
		// replacement characters, exact bytes in the hex view.
		v.kind = KindText
		v.text = strings.ToValidUTF8(string(textPart), "\uFFFD")
		v.hex = HexDump(raw[:min(len(raw), HexDumpLimit)])
		cs := params["charset"]
		if cs == "" {
			cs = "none"
		}
		v.notices = append(v.notices, fmt.Sprintf("The body is not valid UTF-8 (declared charset: %s); invalid bytes are shown as \uFFFD. The hex view shows the exact bytes.", cs))
	default:
		v.kind = KindBinary
		v.hex = HexDump(raw[:min(len(raw), HexDumpLimit)])
		if len(raw) > HexDumpLimit {
			v.notices = append(v.notices, fmt.Sprintf("Binary body: the hex view shows the first %s of %s read.", formatSize(HexDumpLimit), formatSize(int64(len(raw)))))
		} else {
			v.notices = append(v.notices, "Binary body: shown as hex.")
		}
	}
	return v
}

// jsonPrefix reports whether b is the start of one JSON value, cut short:
// no syntax error before its end. A value that is complete (followed only
// by whitespace) counts too; a complete value followed by more does not.
func jsonPrefix(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	var v json.RawMessage
	switch err := dec.Decode(&v); err {
	case io.ErrUnexpectedEOF:
		return true
	case nil:
		return len(bytes.TrimLeft(b[dec.InputOffset():], " \t\r\n")) == 0
	}
	return false
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		c := b[len(b)-i]
		if utf8.RuneStart(c) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

func isJSONType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json") || mt == "text/json"
}

// looksLikeJSON: an object or array with no declared type is treated as JSON
// if it parses; a bare "123" stays text.
func looksLikeJSON(b []byte) bool {
	t := bytes.TrimLeft(b, " \t\r\n")
	return len(t) > 0 && (t[0] == '{' || t[0] == '[')
}

func isTextType(mt string) bool {
	switch {
	case strings.HasPrefix(mt, "text/"), isJSONType(mt),
		mt == "application/xml", strings.HasSuffix(mt, "+xml"),
		mt == "application/javascript", mt == "application/x-www-form-urlencoded":
		return true
	}
	return false
}

// formatSize renders a byte count for notices: "512 B", "64 KiB", "10 MiB", "1.5 MiB".
func formatSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit && exp < 3; m /= unit {
		div *= unit
		exp++
	}
	v := float64(n) / float64(div)
	s := fmt.Sprintf("%.1f", v)
	s = strings.TrimSuffix(s, ".0")
	return s + " " + []string{"KiB", "MiB", "GiB", "TiB"}[exp]
}
