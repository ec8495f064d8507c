package apiclient

import "strings"

// appendIndentedJSON appends src indented by two spaces per level to dst and
// reports whether src is valid JSON; when it is not, dst is returned
// unchanged. Valid means what json.Valid accepts (RFC 8259, any byte from
// 0x20 up inside strings, at most 10000 levels of nesting), and the output
// is byte for byte what json.Indent(dst, src, "", "  ") writes: whitespace
// between tokens dropped, leading whitespace dropped, trailing whitespace
// kept, empty objects and arrays as {} and [], strings and numbers copied
// verbatim. Both properties are fuzzed against encoding/json.
//
// It is one pass that validates and indents at once, copying strings and
// numbers in runs: json.Valid followed by json.Indent reads the body twice
// through encoding/json's byte-at-a-time scanner and appends byte by byte,
// which on a small API answer costs several times as much (issue 12).
func appendIndentedJSON(dst, src []byte) ([]byte, bool) {
	ind := indenter{src: src, dst: dst, maxDepth: maxJSONDepth}
	if !ind.run() {
		return dst, false
	}
	return ind.dst, true
}

// maxJSONDepth is encoding/json's nesting limit (its scanner's maxNestingDepth).
const maxJSONDepth = 10000

type indenter struct {
	src      []byte
	dst      []byte
	i        int
	stack    []byte // open containers: '{' or '['
	maxDepth int    // most containers open at once
}

func (p *indenter) run() bool {
	p.skipSpace()
	const (
		value = iota // a value is expected
		key          // an object member name is expected
		after        // a value just ended
	)
	state := value
	for {
		switch state {
		case key:
			p.skipSpace()
			if !p.str() {
				return false
			}
			p.skipSpace()
			if p.i >= len(p.src) || p.src[p.i] != ':' {
				return false
			}
			p.i++
			p.dst = append(p.dst, ':', ' ')
			p.skipSpace()
			state = value
		case value:
			if p.i >= len(p.src) {
				return false
			}
			switch c := p.src[p.i]; c {
			case '{', '[':
				if len(p.stack) >= p.maxDepth {
					return false
				}
				p.i++
				p.dst = append(p.dst, c)
				p.skipSpace()
				closer := c + 2 // '}' is '{'+2, ']' is '['+2
				if p.i < len(p.src) && p.src[p.i] == closer {
					p.i++
					p.dst = append(p.dst, closer)
					state = after
					break
				}
				p.stack = append(p.stack, c)
				p.newline()
				if c == '{' {
					state = key
				}
			case '"':
				if !p.str() {
					return false
				}
				state = after
			case 't':
				if !p.literal("true") {
					return false
				}
				state = after
			case 'f':
				if !p.literal("false") {
					return false
				}
				state = after
			case 'n':
				if !p.literal("null") {
					return false
				}
				state = after
			default:
				if !p.number() {
					return false
				}
				state = after
			}
		case after:
			if len(p.stack) == 0 {
				// Only whitespace may follow the top-level value; json.Indent
				// copies it.
				rest := p.src[p.i:]
				for _, c := range rest {
					if !isJSONSpace(c) {
						return false
					}
				}
				p.dst = append(p.dst, rest...)
				return true
			}
			p.skipSpace()
			if p.i >= len(p.src) {
				return false
			}
			top := p.stack[len(p.stack)-1]
			switch c := p.src[p.i]; {
			case c == ',':
				p.i++
				p.dst = append(p.dst, ',')
				p.newline()
				if top == '{' {
					state = key
				} else {
					p.skipSpace()
					state = value
				}
			case c == top+2:
				p.i++
				p.stack = p.stack[:len(p.stack)-1]
				p.newline()
				p.dst = append(p.dst, c)
			default:
				return false
			}
		}
	}
}

func (p *indenter) skipSpace() {
	for p.i < len(p.src) && isJSONSpace(p.src[p.i]) {
		p.i++
	}
}

// indentRun is copied in runs to indent a line: two spaces per level.
var indentRun = strings.Repeat(" ", 256)

// newline starts a line indented for the current depth.
func (p *indenter) newline() {
	p.dst = append(p.dst, '\n')
	for n := 2 * len(p.stack); n > 0; {
		k := min(n, len(indentRun))
		p.dst = append(p.dst, indentRun[:k]...)
		n -= k
	}
}

// str copies the string starting at p.i (which must be '"').
func (p *indenter) str() bool {
	src, start := p.src, p.i
	if start >= len(src) || src[start] != '"' {
		return false
	}
	for i := start + 1; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '"':
			p.dst = append(p.dst, src[start:i+1]...)
			p.i = i + 1
			return true
		case c < 0x20:
			return false
		case c == '\\':
			i++
			if i >= len(src) {
				return false
			}
			switch src[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(src) {
					return false
				}
				for _, h := range src[i+1 : i+5] {
					if !isHex(h) {
						return false
					}
				}
				i += 4
			default:
				return false
			}
		}
	}
	return false
}

// number copies the number starting at p.i: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (p *indenter) number() bool {
	src, i := p.src, p.i
	if i < len(src) && src[i] == '-' {
		i++
	}
	switch {
	case i < len(src) && src[i] == '0':
		i++
	case i < len(src) && src[i] >= '1' && src[i] <= '9':
		i = digits(src, i+1)
	default:
		return false
	}
	if i < len(src) && src[i] == '.' {
		j := digits(src, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		j := digits(src, i)
		if j == i {
			return false
		}
		i = j
	}
	p.dst = append(p.dst, src[p.i:i]...)
	p.i = i
	return true
}

func (p *indenter) literal(word string) bool {
	if len(p.src)-p.i < len(word) || string(p.src[p.i:p.i+len(word)]) != word {
		return false
	}
	p.dst = append(p.dst, word...)
	p.i += len(word)
	return true
}

func digits(src []byte, i int) int {
	for i < len(src) && src[i] >= '0' && src[i] <= '9' {
		i++
	}
	return i
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
