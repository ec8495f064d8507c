package desk

import (
	"fmt"
	"sync"
	"unicode/utf8"

	"pkcedesk/view"
)

// BodyPartSize is the most text one binding call carries to the page. A
// Send result holds a body of up to 10 MiB; handed over in one message,
// Wails' bridge keeps the page busy for over 100 ms while it parses it, so
// bigger bodies go in parts of this size, each its own call, and the page
// answers clicks between them.
const BodyPartSize = 1 << 20

// keptBodies is how many responses' parted bodies stay fetchable: the
// newest ones, so a page that is still fetching one response's parts when
// the next answer arrives can finish it.
const keptBodies = 2

// bodyParts keeps the big bodies of the latest responses until the page
// has fetched them, by request id.
type bodyParts struct {
	mu    sync.Mutex
	order []string
	texts map[string]map[string]string // request id → "body" | "pretty" → text
}

// split moves a big Body or PrettyBody out of r into the store, leaving
// BodyParts / PrettyParts saying how many parts the page fetches.
func (b *bodyParts) split(r *view.Response) {
	kept := map[string]string{}
	if n := partCount(r.Body); n > 1 {
		kept["body"], r.Body, r.BodyParts = r.Body, "", n
	}
	if n := partCount(r.PrettyBody); n > 1 {
		kept["pretty"], r.PrettyBody, r.PrettyParts = r.PrettyBody, "", n
	}
	if len(kept) == 0 || r.RequestID == "" {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.texts == nil {
		b.texts = map[string]map[string]string{}
	}
	if _, ok := b.texts[r.RequestID]; !ok {
		b.order = append(b.order, r.RequestID)
	}
	b.texts[r.RequestID] = kept
	for len(b.order) > keptBodies {
		delete(b.texts, b.order[0])
		b.order = b.order[1:]
	}
}

// part returns part i (0-based) of a kept text.
func (b *bodyParts) part(requestID, which string, i int) (string, error) {
	b.mu.Lock()
	text, ok := b.texts[requestID][which]
	b.mu.Unlock()
	if !ok {
		return "", fmt.Errorf("the %s of request %q is no longer kept: send the request again", which, requestID)
	}
	start, end, ok := partBounds(text, i)
	if !ok {
		return "", fmt.Errorf("part %d of the %s of request %q does not exist", i, which, requestID)
	}
	return text[start:end], nil
}

// partCount is how many parts text is sent in (1 for short texts).
func partCount(text string) int {
	n := 1
	for start := 0; ; n++ {
		_, end, _ := partBoundsFrom(text, start)
		if end >= len(text) {
			return n
		}
		start = end
	}
}

// partBounds finds part i: parts are at most BodyPartSize bytes and never
// split a UTF-8 sequence, so each is valid text on its own.
func partBounds(text string, i int) (start, end int, ok bool) {
	if i < 0 {
		return 0, 0, false
	}
	for k := 0; ; k++ {
		s, e, _ := partBoundsFrom(text, start)
		if k == i {
			return s, e, s < len(text) || (i == 0 && len(text) == 0)
		}
		if e >= len(text) {
			return 0, 0, false
		}
		start = e
	}
}

func partBoundsFrom(text string, start int) (int, int, bool) {
	end := min(start+BodyPartSize, len(text))
	for end < len(text) && end > start && !utf8.RuneStart(text[end]) {
		end--
	}
	return start, end, true
}

// ResponseBodyPart returns part i (0-based) of a response's body ("body")
// or pretty-printed body ("pretty") that Send left out because it is
// bigger than BodyPartSize (view.Response.BodyParts / PrettyParts say how
// many parts there are). The parts of the two latest such responses stay
// fetchable.
func (d *Desk) ResponseBodyPart(requestID, which string, i int) (string, error) {
	return d.bodies.part(requestID, which, i)
}
