package desk

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"pkcedesk/store"
	"pkcedesk/view"
)

// The forged-callback count is the engine's own, not a count of the events
// it traces (it traces the first 20 one by one, then every 100th): 150
// forged callbacks before the real one show as 150.
func TestIgnoredCallbacksAreCountedPastTheTracedOnes(t *testing.T) {
	d, rec, bot := newTestDesk(t, t.TempDir(), nil, "alice")
	ctx := testCtx(t)
	const forged = 150
	d.host.OpenBrowser = func(raw string) error {
		u, err := url.Parse(raw)
		if err != nil {
			return err
		}
		redirect := u.Query().Get("redirect_uri")
		client := &http.Client{Timeout: 5 * time.Second}
		var wg sync.WaitGroup
		errs := make(chan error, forged)
		for i := range forged {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp, err := client.Get(fmt.Sprintf("%s?code=forged-%d&state=not-the-state", redirect, i))
				if err != nil {
					errs <- err
					return
				}
				resp.Body.Close()
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			return fmt.Errorf("forged callback: %w", err)
		}
		return bot.Opener()(ctx, raw)
	}
	v, err := d.SignIn(ctx, store.DemoProfileID, false)
	if err != nil || v.Status != view.StatusSignedIn {
		t.Fatalf("sign in: %v, status %q, error %+v", err, v.Status, v.Error)
	}
	if v.Ignored != forged {
		t.Errorf("ignoredCallbacks = %d, want %d", v.Ignored, forged)
	}
	traced := 0
	for _, e := range d.Trace(store.DemoProfileID) {
		if e.Status == "warn" {
			traced++
		}
	}
	if traced >= forged {
		t.Fatalf("the engine traced all %d forged callbacks; this test needs it to sample them", traced)
	}
	// The status moved to exchanging on the callback (by its Kind), once.
	var statuses []string
	for _, e := range rec.named(EventSession) {
		if s := e.(view.Session).Status; len(statuses) == 0 || statuses[len(statuses)-1] != s {
			statuses = append(statuses, s)
		}
	}
	if want := []string{view.StatusWaiting, view.StatusExchanging, view.StatusSignedIn}; !slicesEqual(statuses, want) {
		t.Errorf("status sequence %v, want %v", statuses, want)
	}
	// A new attempt starts from zero.
	d.host.OpenBrowser = func(raw string) error { return bot.Opener()(ctx, raw) }
	if v, err := d.SignIn(ctx, store.DemoProfileID, false); err != nil || v.Ignored != 0 || v.Attempt != 2 {
		t.Errorf("second sign-in: %v, ignored %d, attempt %d", err, v.Ignored, v.Attempt)
	}
}

func slicesEqual(a, b []string) bool { return strings.Join(a, "\x00") == strings.Join(b, "\x00") }

// Each trace event, streamed or read back, says which attempt it belongs to,
// and Session says which attempt is the current one.
func TestTraceEventsCarryTheirAttempt(t *testing.T) {
	d, rec, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	ctx := testCtx(t)
	if s := d.Session(store.DemoProfileID); s.Attempt != 0 {
		t.Fatalf("attempt before any sign-in: %d", s.Attempt)
	}
	for want := 1; want <= 2; want++ {
		v, err := d.SignIn(ctx, store.DemoProfileID, false)
		if err != nil || v.Attempt != want {
			t.Fatalf("sign-in %d: attempt %d, %v", want, v.Attempt, err)
		}
		tr := d.Trace(store.DemoProfileID)
		if len(tr) == 0 || tr[0].Seq != 0 {
			t.Fatalf("trace of attempt %d: %+v", want, tr)
		}
		for _, e := range tr {
			if e.Attempt != want {
				t.Errorf("Trace: event %d has attempt %d, want %d", e.Seq, e.Attempt, want)
			}
		}
	}
	seen := map[int]int{}
	for _, u := range rec.named(EventTrace) {
		seen[u.(view.TraceUpdate).Event.Attempt]++
	}
	if len(seen) != 2 || seen[1] == 0 || seen[2] == 0 {
		t.Errorf("streamed events by attempt: %v, want attempts 1 and 2", seen)
	}
}

// Provider and user text in the Markdown export cannot break the table or
// inject markup: pipes, backticks, HTML, brackets, emphasis and line breaks
// come out as escaped text on their own line.
func TestTraceMarkdownEscapesProviderText(t *testing.T) {
	hostile := "a|b `code` <script>alert(1)</script> [x](javascript:alert(1)) *em* _u_ ~s~ #h &amp; !\n| 9 | 0 | fake | ✓ | row |\r\n# heading\u2028line"
	events := []view.TraceEvent{
		{Seq: 0, Time: "2026-11-25T13:00:00.000Z", Step: "callback", Status: "warn", Title: hostile, Detail: hostile,
			Fields: []view.TraceField{{Name: hostile, Value: hostile}, {Name: "error_description", Value: "x`y\n- item\n<img src=x onerror=alert(1)>"}}},
		{Seq: 1, Time: "2026-11-25T13:00:00.001Z", Step: "done", Status: "ok", Title: "Signed in"},
	}
	md := traceMarkdown(hostile, events)
	lines := strings.Split(strings.TrimSuffix(md, "\n"), "\n")

	// Exactly the lines the structure makes: heading, blank, note, blank,
	// the table (header, rule, one row per event), blank, the step heading,
	// blank, one list item per field.
	want := 4 + 2 + len(events) + 3 + len(events[0].Fields)
	if len(lines) != want {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), want, md)
	}
	unescapedPipe := regexp.MustCompile(`(^|[^\\])\|`)
	for i, l := range lines[4 : 6+len(events)] {
		// Each row has the table's 6 cell borders, no more.
		if n := len(unescapedPipe.FindAllStringIndex(strings.ReplaceAll(l, "||", "| |"), -1)); n != 6 {
			t.Errorf("table line %d has %d cell borders, want 6: %q", i, n, l)
		}
	}
	// Outside code spans, markup characters are escaped.
	prose := regexp.MustCompile("(?m)`[^`]*`$").ReplaceAllString(strings.Join(lines, "\n"), "")
	for _, c := range []string{"<", ">", "`", "*", "_", "[", "]", "~", "&", "!"} {
		for i := 0; i < len(prose); i++ {
			if strings.HasPrefix(prose[i:], c) && (i == 0 || prose[i-1] != '\\') && !isOurMarkup(prose, i) {
				t.Errorf("unescaped %q at %q", c, prose[max(0, i-20):min(len(prose), i+20)])
				break
			}
		}
	}
	for _, l := range lines {
		if strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "# Sign-in flow — ") && !strings.HasPrefix(l, "### 1. ") {
			t.Errorf("provider text made a heading: %q", l)
		}
	}
	// Field values stay whole inside one code span.
	for _, l := range lines[len(lines)-len(events[0].Fields):] {
		if !strings.HasPrefix(l, "- **") || strings.Count(l, "`")-strings.Count(l, "\\`") != 2 || !strings.HasSuffix(l, "`") {
			t.Errorf("field line %q: want one list item with the value in one code span", l)
		}
	}
}

// isOurMarkup reports the markup traceMarkdown writes itself: the bold
// field names ("- **name**:") and the code span that opens a field value.
func isOurMarkup(s string, i int) bool {
	lineStart := strings.LastIndex(s[:i], "\n") + 1
	line := s[lineStart:]
	if end := strings.IndexByte(line, '\n'); end >= 0 {
		line = line[:end]
	}
	pos := i - lineStart
	if !strings.HasPrefix(line, "- **") {
		return false
	}
	if pos == 2 || pos == 3 { // the opening **
		return true
	}
	// The closing ** before ": ".
	close := strings.LastIndex(line, "**: ")
	return pos == close || pos == close+1
}

func TestExportTraceOfAHostileProfileName(t *testing.T) {
	d, _, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	p := d.Profiles()[0]
	p.Name = "Demo | <b>bold</b>\n# not a heading"
	if res, err := d.SaveProfile(p); err != nil || len(res.Errors) > 0 {
		t.Fatalf("save: %v %+v", err, res.Errors)
	}
	if _, err := d.SignIn(ctx, store.DemoProfileID, false); err != nil {
		t.Fatal(err)
	}
	md, err := d.ExportTrace(store.DemoProfileID, "markdown")
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(md, "\n")
	if first != `# Sign-in flow — Demo \| \<b\>bold\</b\> \# not a heading` {
		t.Errorf("heading %q", first)
	}
}
