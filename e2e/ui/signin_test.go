package ui

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// profileInfo mirrors the fields of view.Profile the tests read.
type profileInfo struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Preset  string `json:"preset"`
	BuiltIn bool   `json:"builtIn"`
	Issuer  string `json:"issuer"`
	APIBase string `json:"apiBase"`
}

// sessionInfo mirrors the fields of view.Session the tests read.
type sessionInfo struct {
	Status      string `json:"status"`
	DisplayName string `json:"displayName"`
	Subject     string `json:"subject"`
	Refreshes   int    `json:"refreshes"`
	Rotations   int    `json:"rotations"`
	Checks      []struct {
		Name string `json:"name"`
		OK   bool   `json:"ok"`
	} `json:"checks"`
}

// demoIssuerPlaceholder is the demo profile's issuer until the embedded
// demo provider runs (store.DemoIssuerPlaceholder).
const demoIssuerPlaceholder = "http://127.0.0.1/"

// TestSignInFlow is issue 5's walk through the real UI: a profile made with
// "+ New profile" from the demo preset, Sign in with the real system-browser
// hand-off (the stand-in xdg-open gives the URL to a second Chromium tab that
// clicks through the demo login and consent), then every tab: the flow's
// checks, decoded claims, an API request, Refresh now (rotation) and Sign out.
// Screenshots: ui-flow.png, ui-tokens.png, ui-requests.png, ui-small.png
// (1024×700) and ui-profiles.png.
func TestSignInFlow(t *testing.T) {
	sb := harness.NewSystemBrowser(harness.SystemBrowserOptions{User: "alice", Decision: "allow"})
	env := harness.Start(t, harness.Options{OnOpenURL: sb.Open})
	sb.Attach(t, env.Browser)
	p := appPage{t: t, env: env}
	p.load()

	// The app starts the demo provider in the background; its issuer is
	// known once it runs.
	p.waitAsync("the demo provider to start",
		fmt.Sprintf(`window.go.main.App.Profiles().then(ps => ps.some(p => p.builtIn && p.issuer && p.issuer !== %q))`, demoIssuerPlaceholder),
		30*time.Second)
	var demo profileInfo
	p.evalInto(`window.go.main.App.Profiles().then(ps => ps.find(p => p.builtIn))`, &demo)
	if !strings.HasPrefix(demo.Issuer, "http://127.0.0.1:") {
		t.Fatalf("the demo provider's issuer is %q, want http://127.0.0.1:PORT…", demo.Issuer)
	}

	// + New profile → the demo preset → name it → Save.
	p.click(testid("new-profile-button"))
	p.click(testid("preset-demo"))
	p.waitJS("the profile editor", `!!document.querySelector('[data-testid="field-name"]')`, step)
	if got := p.eval(`document.querySelector('[data-testid="field-issuer"]').value`); got != demo.Issuer {
		t.Errorf("the demo preset prefilled issuer %q, want the running demo provider %q", got, demo.Issuer)
	}
	const name = "E2E demo copy"
	p.typeInto(testid("field-name"), name)
	p.waitJS("the Save button to be enabled", `!document.querySelector('[data-testid="save-button"]').disabled`, step)
	p.click(testid("save-button"))

	var saved profileInfo
	p.waitAsync("the new profile to be saved",
		fmt.Sprintf(`window.go.main.App.Profiles().then(ps => ps.some(p => p.name === %q && !p.builtIn))`, name), step)
	p.evalInto(fmt.Sprintf(`window.go.main.App.Profiles().then(ps => ps.find(p => p.name === %q))`, name), &saved)
	if saved.Issuer != demo.Issuer || saved.APIBase == "" {
		t.Fatalf("saved profile %+v: want issuer %q and an API base", saved, demo.Issuer)
	}
	item := fmt.Sprintf(`[data-testid="profile-item"][data-profile-id=%q]`, saved.ID)
	p.click(item)
	p.waitJS("the new profile to be selected", fmt.Sprintf(`document.querySelector(%q)?.getAttribute('aria-current') === 'page'`, item), step)
	p.waitJS("the header to name the profile", fmt.Sprintf(`document.querySelector('h1')?.innerText.includes(%q)`, name), step)
	p.waitStatus("signed_out", step)

	// Sign in: the app opens the authorization URL in the "system browser".
	p.click(testid("signin-button"))
	visit := nextVisit(t, sb, 90*time.Second)
	if !slices.Equal(visit.Steps, []string{"login: alice", "consent: allow"}) {
		t.Errorf("the system browser went through %q, want the login page then the consent page", visit.Steps)
	}
	if !strings.Contains(visit.Text, "return to PKCE Desk") {
		t.Errorf("the loopback result page says %q, want it to send the person back to PKCE Desk", visit.Text)
	}
	if q := visit.CallbackQuery(); q.Get("code") == "" || q.Get("state") == "" || q.Get("iss") != demo.Issuer {
		t.Errorf("the callback carried code=%t state=%t iss=%q; want a code, the state and iss=%q (RFC 9207)",
			q.Get("code") != "", q.Get("state") != "", q.Get("iss"), demo.Issuer)
	}
	p.waitStatus("signed_in", 30*time.Second)
	if got := p.text(testid("status-text")); !strings.Contains(got, "Signed in as Alice Anders") {
		t.Errorf("status line %q, want it to say \"Signed in as Alice Anders\"", got)
	}
	if got := p.text(item); !strings.Contains(got, "signed in") {
		t.Errorf("the sidebar entry reads %q, want the signed-in marker", got)
	}

	// Flow tab: the timeline of this sign-in, every check passed.
	p.click(testid("tab-flow"))
	p.waitJS("the ID-token checks in the timeline", `document.querySelectorAll('[data-testid="check-item"]').length >= 5`, step)
	var flow struct {
		Steps  []string `json:"steps"`
		Failed []string `json:"failed"`
		Checks []struct {
			OK   string `json:"ok"`
			Text string `json:"text"`
		} `json:"checks"`
	}
	p.evalInto(`(() => ({
		steps: [...document.querySelectorAll('[data-testid="timeline-event"]')].map(e => e.dataset.step),
		failed: [...document.querySelectorAll('[data-testid="timeline-event"][data-status="fail"]')].map(e => e.innerText),
		checks: [...document.querySelectorAll('[data-testid="check-item"]')].map(e => ({ok: e.dataset.ok, text: e.innerText})),
	}))()`, &flow)
	for _, want := range []string{"discovery", "pkce", "callback", "id_token"} {
		if !slices.Contains(flow.Steps, want) {
			t.Errorf("the timeline has steps %q, want one for %q", flow.Steps, want)
		}
	}
	if len(flow.Failed) > 0 {
		t.Errorf("failed timeline rows after a good sign-in: %q", flow.Failed)
	}
	var checkText []string
	for _, c := range flow.Checks {
		checkText = append(checkText, c.Text)
		if c.OK != "true" {
			t.Errorf("check %q is not ✓ (data-ok=%q)", oneLine(c.Text), c.OK)
		}
	}
	all := strings.ToLower(strings.Join(checkText, "\n"))
	for _, want := range []string{"signature", "nonce", "at_hash", "aud", "exp"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %s check on the Flow tab; checks shown: %q", want, checkText)
		}
	}
	var sess sessionInfo
	p.evalInto(fmt.Sprintf(`window.go.main.App.Session(%q)`, saved.ID), &sess)
	if len(sess.Checks) == 0 || len(sess.Checks) != len(flow.Checks) {
		t.Errorf("Go reports %d ID-token checks, the Flow tab shows %d", len(sess.Checks), len(flow.Checks))
	}
	p.screenshot("ui-flow.png")

	// Tokens tab: the ID token decoded into a claims table.
	p.click(testid("tab-tokens"))
	idClaims := `[data-testid="token-card-id"] [data-testid="claims-table"]`
	p.waitJS("the ID token's claims", fmt.Sprintf(`!!document.querySelector(%q)`, idClaims), step)
	var claims map[string]string
	p.evalInto(fmt.Sprintf(`Object.fromEntries([...document.querySelectorAll(%q)].map(r =>
		[r.querySelector('td.name')?.textContent.trim(), r.querySelector('td.value')?.textContent.trim()]))`, idClaims+" tbody tr"), &claims)
	for _, want := range []string{"sub", "iss", "aud", "exp", "iat", "nonce", "name"} {
		if _, ok := claims[want]; !ok {
			t.Errorf("the ID token's claims table has no %s row; rows: %v", want, keys(claims))
		}
	}
	if claims["sub"] != "demo-user-alice" || claims["iss"] != demo.Issuer || claims["name"] != "Alice Anders" {
		t.Errorf("claims sub=%q iss=%q name=%q, want demo-user-alice, %q, Alice Anders", claims["sub"], claims["iss"], claims["name"], demo.Issuer)
	}
	if got := p.text(`[data-testid="token-card-id"] [data-testid="verified-badge"]`); !strings.Contains(got, "Verified") {
		t.Errorf("the ID token's badge reads %q, want Verified", got)
	}
	if masked := p.text(testid("token-value-access")); strings.Count(masked, ".") >= 2 && len(masked) > 60 {
		t.Errorf("the access token is shown in full (%d chars) before Reveal; it must be masked (SECURITY 34)", len(masked))
	}
	p.screenshot("ui-tokens.png")

	// Reveal shows the real token; presentation mode masks it again
	// (SECURITY 34).
	realAccess := p.eval(fmt.Sprintf(`window.go.main.App.RevealToken(%q, "access")`, saved.ID))
	p.click(testid("reveal-access"))
	p.waitJS("the revealed access token", fmt.Sprintf(`document.querySelector('[data-testid="token-value-access"]')?.textContent.trim() === %q`, realAccess), step)
	p.click(testid("presentation-toggle"))
	p.waitJS("presentation mode to mask the token", fmt.Sprintf(`(() => {
		const v = document.querySelector('[data-testid="token-value-access"]')?.textContent.trim() ?? '';
		return v !== '' && v !== %q && v.length < 40;
	})()`, realAccess), step)
	p.click(testid("presentation-toggle"))

	// The dark theme, for a look at contrast.
	p.eval(`(() => { const s = document.querySelector('[data-testid="theme-select"]'); s.value = 'dark';
		s.dispatchEvent(new Event('change', {bubbles: true})); return ''; })()`)
	p.waitJS("the dark theme", `document.documentElement.dataset.theme === 'dark'`, step)
	p.screenshot("ui-tokens-dark.png")
	p.eval(`(() => { const s = document.querySelector('[data-testid="theme-select"]'); s.value = 'system';
		s.dispatchEvent(new Event('change', {bubbles: true})); return ''; })()`)
	p.waitJS("the system theme", `document.documentElement.dataset.theme === undefined`, step)

	// Requests tab: GET <apiBase>/me with the token → 200, alice.
	p.click(testid("tab-requests"))
	apiBase := strings.TrimRight(saved.APIBase, "/")
	p.typeInto(testid("request-url"), apiBase+"/me")
	p.click(testid("send-button"))
	p.waitJS("the response to /me", `!!document.querySelector('[data-testid="response-status"]')`, 30*time.Second)
	if got := p.text(testid("response-status")); !strings.HasPrefix(got, "✓ 200") && !strings.Contains(got, "200") {
		t.Errorf("GET /api/me answered %q, want 200", got)
	}
	if body := p.textContent(testid("response-body")); !strings.Contains(body, "alice") {
		t.Errorf("GET /api/me body %q does not name alice", oneLine(body))
	}
	p.screenshot("ui-requests.png")

	// The same screen at the smallest supported window size (UX.md: 1024×700).
	p.viewport(1024, 700)
	var overflow struct {
		Doc   int `json:"doc"`
		Inner int `json:"inner"`
	}
	p.evalInto(`({doc: document.documentElement.scrollWidth, inner: window.innerWidth})`, &overflow)
	if overflow.Doc > overflow.Inner {
		t.Errorf("at 1024×700 the page is %d px wide: it scrolls sideways", overflow.Doc)
	}
	p.screenshot("ui-small.png")
	p.viewport(1280, 800)

	// The token lacks orders:read: the demo API refuses /orders (403).
	p.typeInto(testid("request-url"), apiBase+"/orders")
	p.click(testid("send-button"))
	p.waitJS("the response to /orders", `document.querySelector('[data-testid="response-status"]')?.innerText.includes('403')`, 30*time.Second)

	// Refresh now → a new refresh token (rotation), counted and traced.
	var before, after sessionInfo
	p.evalInto(fmt.Sprintf(`window.go.main.App.Session(%q)`, saved.ID), &before)
	oldRT := p.eval(fmt.Sprintf(`window.go.main.App.RevealToken(%q, "refresh")`, saved.ID))
	var traceBefore []struct{ Step string }
	p.evalInto(fmt.Sprintf(`window.go.main.App.Trace(%q)`, saved.ID), &traceBefore)
	p.click(testid("tab-tokens"))
	p.click(testid("refresh-button"))
	p.waitAsync("the refresh to rotate the refresh token",
		fmt.Sprintf(`window.go.main.App.Session(%q).then(s => s.rotations > %d)`, saved.ID, before.Rotations), 30*time.Second)
	p.evalInto(fmt.Sprintf(`window.go.main.App.Session(%q)`, saved.ID), &after)
	newRT := p.eval(fmt.Sprintf(`window.go.main.App.RevealToken(%q, "refresh")`, saved.ID))
	if oldRT == "" || newRT == oldRT {
		t.Errorf("Refresh now kept the same refresh token; the demo provider rotates it (RFC 9700 §4.14.2)")
	}
	if after.Rotations != before.Rotations+1 || after.Refreshes < before.Refreshes+1 || after.Status != "signed_in" {
		t.Errorf("after Refresh now: rotations %d→%d, refreshes %d→%d, status %q; want one more of each, still signed in",
			before.Rotations, after.Rotations, before.Refreshes, after.Refreshes, after.Status)
	}
	p.waitJS("the refresh card to count the rotation",
		fmt.Sprintf(`document.querySelector('[data-testid="token-card-refresh"]')?.innerText.includes('Rotated %d time')`, after.Rotations), step)
	var traceAfter []struct{ Step string }
	p.evalInto(fmt.Sprintf(`window.go.main.App.Trace(%q)`, saved.ID), &traceAfter)
	if len(traceAfter) <= len(traceBefore) {
		t.Errorf("the trace has %d events after Refresh now, %d before: the refresh left no trace", len(traceAfter), len(traceBefore))
	}

	// Sign out → signed out, tokens gone from the screen.
	p.click(testid("signout-button"))
	p.waitStatus("signed_out", 30*time.Second)
	p.waitJS("the Tokens tab to empty", `!!document.querySelector('[data-testid="tokens-empty"]')`, step)
	var out sessionInfo
	p.evalInto(fmt.Sprintf(`window.go.main.App.Session(%q)`, saved.ID), &out)
	if out.Status != "signed_out" {
		t.Errorf("Go says the session is %q after Sign out", out.Status)
	}
	if _, err := revealErr(p, saved.ID); err == "" {
		t.Errorf("RevealToken still returns a refresh token after Sign out")
	}
	// Sign out also ends the session at the provider (RP-initiated logout):
	// its end-session page opens in the system browser.
	logout := nextAnyVisit(t, sb, 30*time.Second)
	if logout.Err != nil || !strings.Contains(logout.URL, "/end_session") || !strings.Contains(strings.ToLower(logout.Text), "signed out") {
		t.Errorf("after Sign out the system browser saw %s; want the demo provider's end_session page saying you are signed out", logout)
	}

	// The Profile tab: sidebar and editor of the saved profile.
	p.click(testid("tab-profile"))
	p.waitJS("the profile editor", `!!document.querySelector('[data-testid="field-issuer"]')`, step)
	if got := p.eval(`document.querySelector('[data-testid="field-issuer"]').value`); got != demo.Issuer {
		t.Errorf("the editor shows issuer %q, want %q", got, demo.Issuer)
	}
	p.waitJS("the redirect URI to register", `!!document.querySelector('[data-testid="redirect-uri"]')`, step)
	if got := p.text(testid("redirect-uri")); got != "http://127.0.0.1/callback" {
		t.Errorf("the editor says to register %q, want http://127.0.0.1/callback (any port, RFC 8252 §7.3)", got)
	}
	p.screenshot("ui-profiles.png")
	if !env.App.Running() {
		t.Errorf("the app exited during the test")
	}
}

// revealErr asks for the refresh token and returns it and the error text.
func revealErr(p appPage, id string) (string, string) {
	var r struct {
		Value string `json:"value"`
		Err   string `json:"err"`
	}
	p.evalInto(fmt.Sprintf(`window.go.main.App.RevealToken(%q, "refresh").then(v => ({value: v, err: ''}), e => ({value: '', err: String(e)}))`, id), &r)
	return r.Value, r.Err
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}
