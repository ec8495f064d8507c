package apiclient

import "encoding/json"

// appendIndentedJSON appends src indented by two spaces per level to dst and
// reports whether src is valid JSON (RFC 8259, as json.Valid decides); when
// it is not, dst is returned unchanged. The output is byte for byte what
// json.Indent(dst, src, "", "  ") writes: whitespace between tokens dropped,
// leading whitespace dropped, trailing whitespace kept, empty objects and
// arrays as {} and [], strings and numbers copied verbatim.
//
// It costs one json.Valid pass plus a copy: json.Indent runs the same
// byte-at-a-time scanner as json.Valid and also appends byte by byte, which
// on a small API answer is two to three times slower (issue 12). After
// validation the indenting only needs to know where strings start and end.
func appendIndentedJSON(dst, src []byte) ([]byte, bool) {
	if !json.Valid(src) {
		return dst, false
	}
	return appendIndentValid(dst, src), true
}

// appendIndentValid indents src, which must be valid JSON.
func appendIndentValid(dst, src []byte) []byte {
	depth := 0
	needIndent := false // after { or [: indent before the next token unless it closes
	started := false    // a token of the top-level value has been written
	for i := 0; i < len(src); {
		c := src[i]
		if isJSONSpace(c) {
			if started && depth == 0 && !needIndent {
				// Past the end of the top-level value: json.Indent keeps it.
				return append(dst, src[i:]...)
			}
			i++
			continue
		}
		if needIndent && c != '}' && c != ']' {
			needIndent = false
			depth++
			dst = appendJSONNewline(dst, depth)
		}
		started = true
		switch c {
		case '{', '[':
			needIndent = true
			dst = append(dst, c)
			i++
		case ',':
			dst = append(dst, c)
			dst = appendJSONNewline(dst, depth)
			i++
		case ':':
			dst = append(dst, ':', ' ')
			i++
		case '}', ']':
			if needIndent {
				needIndent = false
			} else {
				depth--
				dst = appendJSONNewline(dst, depth)
			}
			dst = append(dst, c)
			i++
		case '"':
			end := jsonStringEnd(src, i)
			dst = append(dst, src[i:end]...)
			i = end
		default:
			// A number or true/false/null: up to the next delimiter.
			j := i + 1
			for j < len(src) && !isJSONDelim(src[j]) {
				j++
			}
			dst = append(dst, src[i:j]...)
			i = j
		}
	}
	return dst
}

// jsonStringEnd returns the index just past the string starting at src[i]
// (a '"'), in valid JSON.
func jsonStringEnd(src []byte, i int) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '"':
			return j + 1
		case '\\':
			j++ // skip the escaped character
		}
	}
	return len(src) // unreachable for valid JSON
}

func appendJSONNewline(dst []byte, depth int) []byte {
	dst = append(dst, '\n')
	for range depth {
		dst = append(dst, ' ', ' ')
	}
	return dst
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func isJSONDelim(c byte) bool {
	switch c {
	case ',', ':', '}', ']', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}
