package auth

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"pkcedesk/internal/redact"
)

// Step names the phase an Event belongs to; the UI groups the timeline by it.
type Step string

// Trace steps, in flow order.
const (
	StepDiscovery     Step = "discovery"
	StepListener      Step = "listener"
	StepPKCE          Step = "pkce"
	StepAuthorize     Step = "authorize"
	StepBrowser       Step = "browser"
	StepCallback      Step = "callback"
	StepPaste         Step = "paste"
	StepDevice        Step = "device"
	StepTokenRequest  Step = "token_request"
	StepTokenResponse Step = "token_response"
	StepIDToken       Step = "id_token"
	StepUserInfo      Step = "userinfo"
	StepRefresh       Step = "refresh"
	StepRevoke        Step = "revoke"
	StepIntrospect    Step = "introspect"
	StepLogout        Step = "logout"
	StepExchange      Step = "exchange"
	StepDone          Step = "done"
	StepError         Step = "error"
)

// Field is one key/value of an Event. A secret field's Value holds the
// redacted form; its real value is only available through Reveal or
// Event.Revealed, never through String, LogValue or JSON.
type Field struct {
	Key    string `json:"key"`
	Value  string `json:"value"`
	Secret bool   `json:"secret,omitempty"`
	raw    Secret
}

// Reveal returns the field's real value (for secret fields the hidden value).
func (f Field) Reveal() string {
	if f.Secret {
		return f.raw.Reveal()
	}
	return f.Value
}

// Check is the outcome of one validation, with a one-line reason it matters.
type Check struct {
	Name   string `json:"name"`
	Passed bool   `json:"passed"`
	Detail string `json:"detail"`
	Why    string `json:"why"`
	// Skipped marks a check that does not apply to this grant (Passed is
	// true and Detail says why), e.g. the nonce in the device grant.
	Skipped bool `json:"skipped,omitempty"`
}

// Event is one timestamped step of a sign-in or token operation. String,
// LogValue and MarshalJSON never contain secret values.
type Event struct {
	Time time.Time `json:"time"`
	Step Step      `json:"step"`
	// Kind says what happened, for code; Message says it for people.
	Kind    EventKind `json:"kind"`
	Message string    `json:"message"`
	Fields  []Field   `json:"fields,omitempty"`
	Check   *Check    `json:"check,omitempty"`
	// Failed marks an error or ignored/failed item on the timeline.
	Failed bool `json:"failed,omitempty"`
}

// Field returns the value of the first field named key (redacted if secret).
func (e Event) Field(key string) (Field, bool) {
	for _, f := range e.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Revealed returns a copy whose secret fields carry their real values in
// Value (Secret stays true so a UI can still mask them). Use it only for an
// explicit reveal request; the copy's JSON contains the secrets.
func (e Event) Revealed() Event {
	c := e
	c.Fields = make([]Field, len(e.Fields))
	for i, f := range e.Fields {
		if f.Secret {
			f.Value = f.raw.Reveal()
		}
		c.Fields[i] = f
	}
	return c
}

// String is a one-line, redacted rendering.
func (e Event) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s [%s] %s", e.Time.Format(time.RFC3339Nano), e.Step, e.Message)
	for _, f := range e.Fields {
		v := f.Value
		if f.Secret {
			v = f.raw.String()
		}
		fmt.Fprintf(&b, " %s=%q", f.Key, v)
	}
	if e.Check != nil {
		fmt.Fprintf(&b, " check=%s passed=%t", e.Check.Name, e.Check.Passed)
	}
	return b.String()
}

// LogValue renders the event for log/slog, redacted.
func (e Event) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("step", string(e.Step)), slog.String("kind", string(e.Kind)), slog.String("msg", e.Message)}
	for _, f := range e.Fields {
		if f.Secret {
			attrs = append(attrs, slog.Any(f.Key, f.raw))
		} else {
			attrs = append(attrs, slog.String(f.Key, f.Value))
		}
	}
	if e.Check != nil {
		attrs = append(attrs, slog.String("check", e.Check.Name), slog.Bool("passed", e.Check.Passed))
	}
	return slog.GroupValue(attrs...)
}

// MarshalJSON encodes the redacted event (secret fields carry "[redacted]"
// unless this is a Revealed copy).
func (e Event) MarshalJSON() ([]byte, error) {
	type plain Event
	return json.Marshal(plain(e))
}

// f builds a plain field; sf a secret one.
func field(key string, value any) Field { return Field{Key: key, Value: fmt.Sprint(value)} }
func secretField(key string, s Secret) Field {
	return Field{Key: key, Value: s.String(), Secret: true, raw: s}
}

// tracer collects events, forwards them to the caller and logs them at debug.
type tracer struct {
	mu     sync.Mutex
	events []Event
	sink   func(Event)
	logger *slog.Logger
	now    func() time.Time
	known  []string // secret values seen in fields, redacted from messages
}

// maxKnownSecrets bounds the secrets a tracer remembers for redaction (a
// sign-in has a handful; a long session's rotated tokens push out the oldest).
const maxKnownSecrets = 64

func newTracer(sink func(Event), logger *slog.Logger) *tracer {
	if logger == nil {
		logger = slog.Default()
	}
	return &tracer{sink: sink, logger: logger, now: time.Now}
}

// emit records e. Messages and check details are the last line of defence
// for secrets: every secret value the trace has carried in a field, and
// anything shaped like a token field, is redacted from them (internal/redact).
func (t *tracer) emit(e Event) {
	if e.Time.IsZero() {
		e.Time = t.now()
	}
	t.mu.Lock()
	for _, f := range e.Fields {
		if v := f.raw.Reveal(); f.Secret && v != "" && !slices.Contains(t.known, v) {
			t.known = append(t.known, v)
			if len(t.known) > maxKnownSecrets {
				t.known = t.known[1:]
			}
		}
	}
	e.Message = redact.Text(e.Message, t.known...)
	if e.Check != nil {
		c := *e.Check
		c.Detail = redact.Text(c.Detail, t.known...)
		e.Check = &c
	}
	t.events = append(t.events, e)
	t.mu.Unlock()
	t.logger.Debug("auth trace", "event", e)
	if t.sink != nil {
		t.sink(e)
	}
}

func (t *tracer) add(step Step, kind EventKind, msg string, fields ...Field) {
	t.emit(Event{Step: step, Kind: kind, Message: msg, Fields: fields})
}

func (t *tracer) fail(step Step, kind EventKind, msg string, fields ...Field) {
	t.emit(Event{Step: step, Kind: kind, Message: msg, Fields: fields, Failed: true})
}

func (t *tracer) check(step Step, c Check) {
	msg := "✓ " + c.Name
	if !c.Passed {
		msg = "✗ " + c.Name
	}
	t.emit(Event{Step: step, Kind: KindCheck, Message: msg, Check: &c, Failed: !c.Passed})
}

func (t *tracer) snapshot() []Event {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Event(nil), t.events...)
}
