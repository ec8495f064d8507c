package auth

import (
	"errors"
	"net/url"
	"strings"
	"sync"
)

// ErrNothingWaiting means a redirect was pasted while no sign-in of this
// PasteBox is waiting for one.
var ErrNothingWaiting = errors.New("no sign-in is waiting for a redirect; start the sign-in first")

// PasteError is a pasted redirect that was refused. Reason says why in
// words for the user ("the state does not match this sign-in: …").
type PasteError struct{ Reason string }

// Error returns the reason.
func (e *PasteError) Error() string { return "pasted redirect refused: " + e.Reason }

// PasteBox hands a waiting code-grant sign-in the redirect the browser
// could not deliver (the loopback was unreachable, or the profile uses a
// hosted https redirect URI). Pass one in LoginOptions.Paste. One box
// serves one sign-in at a time; a newer sign-in takes it over. The zero
// value is unusable: make one with NewPasteBox. Safe for concurrent use.
type PasteBox struct {
	mu   sync.Mutex
	cur  *pasteTarget
	last *pasteTarget // the previous sign-in, to explain a reused URL
}

// pasteTarget is the sign-in a box feeds.
type pasteTarget struct {
	g   *gate
	tr  *tracer
	iss string // expected issuer, for the reason of a refused paste
}

// NewPasteBox returns an empty box.
func NewPasteBox() *PasteBox { return &PasteBox{} }

// attach makes t the sign-in this box feeds; detach undoes it (only if t is
// still the current one).
func (b *PasteBox) attach(t *pasteTarget) {
	b.mu.Lock()
	b.cur = t
	b.mu.Unlock()
}

func (b *PasteBox) detach(t *pasteTarget) {
	b.mu.Lock()
	if b.cur == t {
		b.cur, b.last = nil, t
	}
	b.mu.Unlock()
}

// Submit hands the waiting sign-in a pasted redirect: the full URL from
// the browser's address bar, or only its query ("?code=…&state=…" or
// "code=…&state=…"). It runs the loopback receiver's own checks (state,
// code or error, one use) and the RFC 9207 iss check synchronously: nil
// means accepted and the sign-in goes on to the code exchange; a
// *PasteError says why it was refused while the sign-in keeps waiting (or,
// when iss names another provider, stops); ErrNothingWaiting when no
// sign-in is waiting.
func (b *PasteBox) Submit(raw string) error {
	b.mu.Lock()
	t, last := b.cur, b.last
	b.mu.Unlock()
	if t == nil {
		if last != nil {
			if q, ok := pastedQuery(raw); ok {
				if p, ok := parseCallback(q); ok && p.State != "" && equalConstantTime(p.State, last.g.state) {
					return &PasteError{Reason: reasonUsed}
				}
			}
		}
		return ErrNothingWaiting
	}
	return t.submit(raw)
}

// submit runs one paste through the sign-in's gate and traces the verdict.
func (t *pasteTarget) submit(raw string) error {
	q, ok := pastedQuery(raw)
	if !ok {
		return t.refuse("paste the whole address from the browser's address bar (it has ?code=… and state=… in it), or just its query")
	}
	out, reason, acc := t.g.offer(q, "paste")
	switch out {
	case outcomeUsed:
		return t.refuse(reason)
	case outcomeRefused:
		return t.refuse(reason)
	}
	if acc.err != nil {
		t.tr.fail(StepPaste, KindPasteRefused, "pasted redirect refused: "+acc.err.Error(), field("reason", acc.err.Error()))
		t.g.deliver(acc)
		return &PasteError{Reason: acc.err.Error()}
	}
	t.tr.add(StepPaste, KindPasteAccepted, "pasted redirect accepted: state matches this sign-in")
	t.g.deliver(acc)
	return nil
}

// maxTracedRefusals bounds trace events for refused pastes.
const maxTracedRefusals = 20

func (t *pasteTarget) refuse(reason string) error {
	if n := t.g.countRefused(); n <= maxTracedRefusals {
		t.tr.fail(StepPaste, KindPasteRefused, "pasted redirect refused: "+reason+"; still waiting", field("reason", reason), field("refused", n))
	}
	return &PasteError{Reason: reason}
}

// pastedQuery extracts the query of a pasted redirect: a whole URL (its
// query; a fragment is ignored, as response_mode=query puts nothing there),
// "?a=b&…", or "a=b&…". Surrounding spaces and quotes are trimmed.
func pastedQuery(raw string) (string, bool) {
	s := strings.Trim(strings.TrimSpace(raw), `"'<>`)
	if s == "" || len(s) > maxCallbackQuery+2048 {
		return "", false
	}
	if i := strings.Index(s, "://"); i > 0 && !strings.ContainsAny(s[:i], "?&=") {
		u, err := url.Parse(s)
		if err != nil {
			return "", false
		}
		if u.RawQuery == "" {
			return "", false
		}
		return u.RawQuery, true
	}
	if h := strings.IndexByte(s, '#'); h >= 0 {
		s = s[:h]
	}
	s = strings.TrimPrefix(s, "?")
	if !strings.Contains(s, "=") {
		return "", false
	}
	return s, true
}
