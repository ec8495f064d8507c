package desk

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"pkcedesk/auth"
	"pkcedesk/view"
)

// maxTraceEvents bounds one flow's kept trace; a hostile provider that
// sends endless forged callbacks cannot grow it without end.
const maxTraceEvents = 500

// tracer returns the engine's Trace hook for one attempt: it keeps each
// event (secrets inside, for explicit reveal), moves the status along by the
// event's Kind (never its message, which is for people), keeps the engine's
// count of ignored callbacks, and streams the masked event to the frontend.
// Events of an attempt that is no longer the profile's current one are
// dropped. Past maxTraceEvents kept events the status and the count still
// follow the engine; only the timeline stops growing.
func (d *Desk) tracer(id string, state *profileState, attempt int) func(auth.Event) {
	return func(e auth.Event) {
		state.mu.Lock()
		if state.attempt != attempt {
			state.mu.Unlock()
			return
		}
		if n, ok := ignoredCallbacks(e); ok {
			// Callbacks are served concurrently, so their events may arrive
			// out of order: the count only grows within an attempt.
			state.ignored = max(state.ignored, n)
		}
		changed, raise := false, false
		switch e.Kind {
		case auth.KindCallbackReceived, auth.KindPasteAccepted:
			if state.status == view.StatusWaiting {
				state.status, changed = view.StatusExchanging, true
			}
			// The browser handed the sign-in back: the window comes to the
			// front (a paste happens in the window already).
			raise = e.Kind == auth.KindCallbackReceived
		case auth.KindCallbackError:
			raise = true
		case auth.KindAuthorizationURL:
			if f, ok := e.Field("url"); ok && state.handoff != nil && state.handoff.url == "" {
				state.handoff.url, changed = f.Value, true
			}
		case auth.KindBrowserFailed:
			if f, ok := e.Field("error"); ok && state.handoff != nil && state.handoff.browserErr == "" {
				state.handoff.browserErr, changed = f.Value, true
			}
		case auth.KindDeviceSlowDown:
			if n, ok := slowDownInterval(e); ok && state.device != nil {
				dv := *state.device
				dv.Interval = n
				state.device, changed = &dv, true
			}
		}
		keep := len(state.events) < maxTraceEvents
		seq := len(state.events)
		if keep {
			state.events = append(state.events, e)
		}
		started := state.started
		state.mu.Unlock()
		if keep {
			d.emit(EventTrace, view.TraceUpdate{ProfileID: id, Event: traceView(attempt, seq, e, started)})
		}
		if raise {
			d.raise()
		}
		if changed {
			// Only during a sign-in, when the profile has no session yet: the
			// engine may hold its session lock while tracing, so no session
			// method may be called here (see profileState).
			d.emit(EventSession, d.Session(id))
		}
	}
}

// ignoredCallbacks reads the engine's count of refused callbacks from the
// events that carry it: each traced ignored callback (the running count —
// the engine traces only the first 20 one by one, then every 100th), the
// accepted callback (how many came before it) and the closed listener (the
// final count).
func ignoredCallbacks(e auth.Event) (int, bool) {
	var key string
	switch e.Kind {
	case auth.KindCallbackIgnored:
		key = "ignored"
	case auth.KindCallbackReceived, auth.KindCallbackError:
		key = "ignored_before"
	case auth.KindListenerClosed:
		key = "ignored_callbacks"
	default:
		return 0, false
	}
	f, ok := e.Field(key)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(f.Value)
	return n, err == nil
}

// traceView masks an event for the timeline.
func traceView(attempt, seq int, e auth.Event, started time.Time) view.TraceEvent {
	v := view.TraceEvent{
		Attempt:  attempt,
		Seq:      seq,
		Time:     e.Time.Format("2006-01-02T15:04:05.000Z07:00"),
		OffsetMs: float64(e.Time.Sub(started).Microseconds()) / 1000,
		Step:     string(e.Step),
		Status:   "ok",
		Title:    sentence(e.Message),
		Fields:   make([]view.TraceField, 0, len(e.Fields)),
	}
	switch {
	case e.Check != nil && !e.Check.Passed:
		v.Status = "fail"
	case e.Failed && e.Step == auth.StepCallback,
		e.Kind == auth.KindBrowserFailed, e.Kind == auth.KindPasteRefused:
		v.Status = "warn" // an ignored callback, a browser that did not start, a refused paste: the flow goes on
	case e.Failed:
		v.Status = "fail"
	case e.Step == auth.StepBrowser, e.Kind == auth.KindDeviceCode, e.Kind == auth.KindDevicePending:
		v.Status = "pending"
	}
	if e.Check != nil {
		v.Title = sentence(e.Check.Name)
		v.Detail = e.Check.Detail
		v.Fields = append(v.Fields, view.TraceField{Name: "why", Value: e.Check.Why})
	}
	for _, fl := range e.Fields {
		v.Fields = append(v.Fields, view.TraceField{Name: fl.Key, Value: fl.Value, Secret: fl.Secret})
	}
	return v
}

// sentence upper-cases the first letter of an engine message.
func sentence(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Trace is the profile's last flow, masked.
func (d *Desk) Trace(id string) []view.TraceEvent {
	state := d.stateFor(id)
	state.mu.Lock()
	defer state.mu.Unlock()
	out := make([]view.TraceEvent, 0, len(state.events))
	for i, e := range state.events {
		out = append(out, traceView(state.traceAttempt, i, e, state.started))
	}
	return out
}

// RevealTraceField returns one secret value of a trace event, on the user's
// explicit click. Presentation mode refuses.
func (d *Desk) RevealTraceField(id string, seq int, field string) (string, error) {
	if d.presentationMode() {
		return "", errPresentation
	}
	state := d.stateFor(id)
	state.mu.Lock()
	defer state.mu.Unlock()
	if seq < 0 || seq >= len(state.events) {
		return "", fmt.Errorf("there is no step %d in this flow", seq)
	}
	for _, fl := range state.events[seq].Fields {
		if fl.Key == field {
			return fl.Reveal(), nil
		}
	}
	return "", fmt.Errorf("step %d has no field %q", seq, field)
}

var errPresentation = errors.New("presentation mode is on: secrets stay masked (turn it off in the sidebar to reveal)")

// ExportTrace renders the profile's last flow as "markdown" (for bug reports
// and slides) or "json", with every secret masked.
func (d *Desk) ExportTrace(id, format string) (string, error) {
	events := d.Trace(id)
	if len(events) == 0 {
		return "", errors.New("there is no flow to export yet: sign in first")
	}
	switch format {
	case "json":
		b, err := json.MarshalIndent(events, "", "  ")
		return string(b), err
	case "markdown", "md":
		return traceMarkdown(d.profileName(id), events), nil
	}
	return "", fmt.Errorf("unknown export format %q: use markdown or json", format)
}

var statusMark = map[string]string{"ok": "✓", "fail": "✗", "warn": "⚠", "pending": "…", "info": "·"}

// traceMarkdown renders a masked trace as Markdown: a heading, a table of
// the steps, then each step's fields. Every text that may come from a
// provider or a user (the profile name, titles, details, field names and
// values) goes through mdEscape or mdCode, so it cannot break the table or
// turn into markup when the report is rendered.
func traceMarkdown(name string, events []view.TraceEvent) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Sign-in flow — %s\n\n", mdEscape(name))
	fmt.Fprintf(&b, "Recorded by PKCE Desk on %s. Secrets are masked.\n\n", mdEscape(events[0].Time))
	b.WriteString("| # | +ms | Step | | What happened |\n|---|---:|---|---|---|\n")
	for _, e := range events {
		title := e.Title
		if e.Detail != "" {
			title += " — " + e.Detail
		}
		fmt.Fprintf(&b, "| %d | %.1f | %s | %s | %s |\n", e.Seq+1, e.OffsetMs, mdEscape(e.Step), statusMark[e.Status], mdEscape(title))
	}
	for _, e := range events {
		if len(e.Fields) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %d. %s\n\n", e.Seq+1, mdEscape(e.Title))
		for _, fl := range e.Fields {
			fmt.Fprintf(&b, "- **%s**: %s\n", mdEscape(fl.Name), mdCode(fl.Value))
		}
	}
	return b.String()
}

// lineBreaks are what may end a line of Markdown (a new line could start a
// heading, a list item or a new table row), each replaced by a space.
var lineBreaks = []string{"\r\n", " ", "\n", " ", "\r", " ", "\u2028", " ", "\u2029", " "}

// mdEscaper turns text into plain Markdown text on one line: line breaks
// become spaces, and every ASCII punctuation character Markdown may read as
// markup — emphasis, code, links and images, raw HTML, entities, headings,
// table cells — is backslash-escaped (CommonMark §2.4), so "<script>" shows
// as text and "|" stays inside its cell.
var mdEscaper = strings.NewReplacer(append(slices.Clone(lineBreaks),
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "~", `\~`, "[", `\[`, "]", `\]`, "(", `\(`, ")", `\)`,
	"<", `\<`, ">", `\>`, "&", `\&`, "|", `\|`, "#", `\#`, "!", `\!`)...)

// mdEscape keeps provider-supplied text from breaking the Markdown (see
// mdEscaper).
func mdEscape(s string) string { return mdEscaper.Replace(s) }

// mdCodeReplacer keeps a value inside one inline code span: a backtick would
// end the span and a line break the list item.
var mdCodeReplacer = strings.NewReplacer(append(slices.Clone(lineBreaks), "`", "'")...)

// mdCode renders a field value as inline code, shown exactly as text:
// inside a code span nothing is markup.
func mdCode(s string) string { return "`" + mdCodeReplacer.Replace(s) + "`" }

func (d *Desk) profileName(id string) string {
	if d.st() != nil {
		if p, err := d.st().Profile(id); err == nil {
			return p.Name
		}
	}
	return id
}
