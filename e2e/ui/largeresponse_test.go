package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pkcedesk/e2e/harness"
)

// The big response: a JSON document of about 50 MB, of which the app reads
// the first 10 MiB (apiclient.DefaultMaxBody). Two marker keys sit in it,
// one inside the part that is read and one far past the cut.
const (
	bigJSONSize   = 50 << 20
	keyBeforeCut  = "special_key_before_cut"
	keyAfterCut   = "special_key_after_cut"
	itemBeforeCut = 30000  // about 6.5 MB in
	itemAfterCut  = 200000 // about 44 MB in
)

// bigJSONOnce builds the document once per test binary: it is the same for
// every test and benchmark, except for the nonce the server writes into it.
var bigJSONOnce = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	b.Grow(bigJSONSize + 4096)
	// The nonce is a fixed-width placeholder so each answer can differ
	// (a viewer that caches by content must not see the same body twice).
	b.WriteString(`{"meta":{"nonce":"000000000","title":"A large list","note":"caf\u00e9 \"quoted\" \\ tab\t"},"items":[`)
	for i := 0; b.Len() < bigJSONSize; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"name":"item %d","email":"user%d@example.com","tags":["alpha","beta"],"nested":{"ok":%t,"score":%d.5,"owner":null},`,
			i, i, i, i%2 == 0, i%1000)
		switch i {
		case itemBeforeCut:
			fmt.Fprintf(&b, `%q:"here",`, keyBeforeCut)
		case itemAfterCut:
			fmt.Fprintf(&b, `%q:"not received",`, keyAfterCut)
		}
		b.WriteString(`"text":"Lorem ipsum dolor sit amet, consectetur adipiscing elit"}`)
	}
	b.WriteString(`]}`)
	return b.Bytes()
})

// bigJSONServer serves the big document on 127.0.0.1 with a Content-Length,
// as application/json. Each answer carries its own nonce.
func bigJSONServer(tb testing.TB) string {
	tb.Helper()
	doc := bigJSONOnce()
	at := bytes.Index(doc, []byte(`000000000`))
	var n int64
	var mu sync.Mutex
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		nonce := fmt.Sprintf("%09d", n)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
		w.Write(doc[:at])
		w.Write([]byte(nonce))
		w.Write(doc[at+len(nonce):]) // the client hangs up at its cap: errors are expected
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv.Listener = ln
	srv.Config.ReadHeaderTimeout = 5 * time.Second
	srv.Start()
	tb.Cleanup(srv.Close)
	return srv.URL + "/big.json"
}

// lrPage drives the Requests tab for the large-response test and benchmark
// (appPage needs a *testing.T; a benchmark has a *testing.B).
type lrPage struct {
	tb  testing.TB
	env *harness.Env
}

// evalInto evaluates expr (awaiting a promise) within d and decodes the value.
func (p lrPage) evalInto(d time.Duration, expr string, out any) {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.env.Browser.Ctx, d)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.tb.Fatalf("evaluate %s: %v", expr, err)
	}
	if out == nil {
		return
	}
	if err := json.Unmarshal(raw, out); err != nil {
		p.tb.Fatalf("evaluate %s: decode %s: %v", expr, raw, err)
	}
}

// waitJS polls expr every 50 ms until it is truthy, for at most d.
func (p lrPage) waitJS(what, expr string, d time.Duration) {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.env.Browser.Ctx, d+5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[any](expr,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(d))); err != nil {
		p.tb.Fatalf("waited %s for %s (%s): %v", d, what, expr, err)
	}
}

// openRequests loads the UI, opens the Requests tab of the selected profile,
// turns the bearer token off (no sign-in needed) and enters url.
func (p lrPage) openRequests(url string) {
	p.tb.Helper()
	ctx, cancel := context.WithTimeout(p.env.Browser.Ctx, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(p.env.App.URL),
		chromedp.WaitVisible(chromedp.CSS(testid("profile-item")))); err != nil {
		p.tb.Fatalf("load the UI: %v", err)
	}
	p.evalInto(step, `document.querySelector('[data-testid="tab-requests"]').click()`, nil)
	p.waitJS("the request editor", `!!document.querySelector('[data-testid="request-url"]')`, step)
	p.evalInto(step, fmt.Sprintf(`(() => {
		const t = document.querySelector('[data-testid="attach-token"]');
		if (t.checked) t.click();
		const u = document.querySelector('[data-testid="request-url"]');
		u.value = %q;
		u.dispatchEvent(new Event('input', {bubbles: true}));
		return true;
	})()`, url), nil)
}

// jsShown is true when the JSON view shows lines of a response: the
// virtualized view once its line model is ready, or (the viewer before it)
// the plain-text fallback once it holds text.
const jsShown = `(() => {
	const v = document.querySelector('[data-testid="response-json"], [data-testid="response-body"] pre');
	if (!v) return false;
	if (v.tagName === 'PRE') return v.textContent.length > 0;
	return v.dataset.state === 'ready' && !!v.querySelector('.line');
})()`

// TestLargeJSONResponse sends a 50 MB JSON answer from the Requests tab:
// the app reads its first 10 MiB and says so in exactly one notice; the
// JSON up to the cut is shown as a tree that folds, with only the lines on
// screen in the DOM; a search finds a key deep inside it (before the cut)
// and scrolls to it, and finds nothing of what was cut off. Screenshots:
// ui-large-response.png (as shown), ui-large-response-search.png (found).
func TestLargeJSONResponse(t *testing.T) {
	url := bigJSONServer(t)
	env := harness.Start(t, harness.Options{})
	p := lrPage{tb: t, env: env}
	a := appPage{t: t, env: env}
	p.openRequests(url)
	a.click(testid("send-button"))
	p.waitJS("the big response's lines", `(() => { const v = document.querySelector('[data-testid="response-json"]'); return v && v.dataset.state === 'ready' && !!v.querySelector('.line'); })()`, 60*time.Second)

	// One notice, and it says what was received and that the rest was cut.
	var notices []string
	p.evalInto(step, `[...document.querySelectorAll('[aria-label="Response"] .warn-box')].map(e => e.innerText)`, &notices)
	if len(notices) != 1 {
		t.Fatalf("the response shows %d notices, want exactly one about the cut: %q", len(notices), notices)
	}
	for _, want := range []string{"10 MiB", "50 MiB", "cut"} {
		if !strings.Contains(notices[0], want) {
			t.Errorf("the notice %q does not say %q", notices[0], want)
		}
	}
	if got := a.eval(`document.querySelector('[data-testid="response-body"]').dataset.kind`); got != "json" {
		t.Errorf("the body is shown as %q, want json (valid JSON up to the cut)", got)
	}

	// Virtualized: a handful of rows in the DOM out of hundreds of thousands.
	var rows struct {
		DOM   int `json:"dom"`
		Lines int `json:"lines"`
	}
	p.evalInto(step, `(() => { const v = document.querySelector('[data-testid="response-json"]');
		return {dom: v.querySelectorAll('.line').length, lines: +v.dataset.lines}; })()`, &rows)
	if rows.Lines < 100000 || rows.DOM == 0 || rows.DOM > 300 {
		t.Errorf("the view has %d line elements for %d lines: want only the visible ones of more than 100000", rows.DOM, rows.Lines)
	}

	a.screenshot("ui-large-response.png")
	// Folding: the "items" array folds into one line and opens again.
	visible := func() int {
		return atoi(t, a.eval(`document.querySelector('[data-testid="response-json"]').dataset.visible`))
	}
	before := visible()
	itemsFold := `[...document.querySelectorAll('[data-testid="response-json"] .line')].find(l => l.querySelector('.key')?.textContent === '"items"')?.querySelector('button.fold')`
	a.eval(itemsFold + `.click()`)
	p.waitJS("the items array to fold", fmt.Sprintf(`+document.querySelector('[data-testid="response-json"]').dataset.visible < %d`, before), step)
	if got := a.textContent(`[data-testid="response-json"]`); !strings.Contains(got, "items") || !strings.Contains(got, "so far") {
		t.Errorf("the folded items line does not say how many items came before the cut: %q", oneLine(got))
	}
	a.eval(itemsFold + `.click()`)
	p.waitJS("the items array to open again", fmt.Sprintf(`+document.querySelector('[data-testid="response-json"]').dataset.visible === %d`, before), step)

	// Search: a key deep in a folded item, before the cut, is found and shown.
	a.typeInto(testid("response-json-search"), keyBeforeCut)
	p.waitJS("the search to find the key before the cut", fmt.Sprintf(`[...document.querySelectorAll('[data-testid="response-json"] .line.current')].some(l => l.textContent.includes(%q))`, keyBeforeCut), step)
	if got := a.text(testid("response-json-matches")); got != "1 of 1" {
		t.Errorf("the match count reads %q, want 1 of 1", got)
	}
	a.screenshot("ui-large-response-search.png")

	a.typeInto(testid("response-json-search"), keyAfterCut)
	p.waitJS("the search to report no match past the cut", `document.querySelector('[data-testid="response-json-matches"]')?.innerText.trim() === 'No matches'`, step)

	// The end of the view marks the cut.
	if n := a.eval(`document.querySelectorAll('[data-testid="response-json-cut"]').length + ''`); n != "0" && n != "1" {
		t.Errorf("%s cut markers in the DOM", n)
	}
	a.eval(`(() => { const v = document.querySelector('[data-testid="response-json"] .viewport'); v.scrollTop = v.scrollHeight; return ''; })()`)
	p.waitJS("the cut marker at the end", `!!document.querySelector('[data-testid="response-json-cut"]')`, step)
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}
