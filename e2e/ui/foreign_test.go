package ui

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"pkcedesk/e2e/harness"
)

// TestForeignEndpointConfirmation is issue 10 item 1 in the real UI: a
// profile that keeps the demo provider's issuer but takes its JWKS from
// another origin (a proxy on another loopback port, which would decide
// which ID tokens pass). The Flow tab warns before anything happens; Sign in
// stops before anything is sent and asks in a modal naming the origin, with
// focus on Cancel. Cancel opens nothing and trusts nothing; the second time
// "Trust and sign in" confirms the origin and signs in, fetching the keys
// through the proxy. The editor then marks the JWKS field, confirmed, and
// refuses a reserved extra parameter as it is typed. Screenshots:
// ui-foreign-banner.png, ui-foreign-dialog.png, ui-foreign-confirmed.png,
// ui-foreign-editor.png, ui-reserved-param.png.
func TestForeignEndpointConfirmation(t *testing.T) {
	sb := harness.NewSystemBrowser(harness.SystemBrowserOptions{User: "alice", Decision: "allow"})
	var opened atomic.Int32
	env := harness.Start(t, harness.Options{OnOpenURL: func(u string) {
		opened.Add(1)
		sb.Open(u)
	}})
	sb.Attach(t, env.Browser)
	p := appPage{t: t, env: env}
	p.load()

	p.waitAsync("the demo provider to start",
		fmt.Sprintf(`window.go.main.App.Profiles().then(ps => ps.some(p => p.builtIn && p.issuer && p.issuer !== %q))`, demoIssuerPlaceholder),
		30*time.Second)
	var demo profileInfo
	p.evalInto(`window.go.main.App.Profiles().then(ps => ps.find(p => p.builtIn))`, &demo)
	jwks := demoJWKSURL(t, demo.Issuer)

	// The proxy serves the demo's real keys from another origin, counting
	// every request that reaches it.
	proxy, hits := newCountingProxy(t, jwks)
	foreignJWKS := proxy + jwks.Path
	if !strings.HasPrefix(proxy, "http://127.0.0.1:") || strings.HasPrefix(demo.Issuer, proxy) {
		t.Fatalf("the proxy %s must be another loopback origin than the issuer %s", proxy, demo.Issuer)
	}

	const name = "Demo keys via proxy"
	var res struct {
		Profile struct {
			ID string `json:"id"`
		} `json:"profile"`
		Errors []struct{ Field, Message string } `json:"errors"`
	}
	p.evalInto(fmt.Sprintf(`(async () => {
		const p = await window.go.main.App.NewProfile("demo");
		p.name = %q;
		p.endpoints = { ...p.endpoints, jwks: %q };
		return window.go.main.App.SaveProfile(p);
	})()`, name, foreignJWKS), &res)
	if len(res.Errors) > 0 || res.Profile.ID == "" {
		t.Fatalf("SaveProfile refused the profile: %+v", res.Errors)
	}
	id := res.Profile.ID
	p.selectProfile(id)

	// The Flow tab names the endpoint and its origin, not confirmed yet.
	banner := testid("foreign-banner")
	item := fmt.Sprintf(`%s [data-testid="foreign-item"][data-origin=%q]`, banner, proxy)
	p.waitJS("the Flow tab's foreign-endpoint banner", fmt.Sprintf(`!!document.querySelector(%q)`, item), step)
	if got := p.eval(fmt.Sprintf(`document.querySelector(%q).dataset.trusted`, item)); got != "false" {
		t.Errorf("before any answer the banner shows the origin as trusted=%s", got)
	}
	if txt := p.text(item); !strings.Contains(txt, "JWKS") || !strings.Contains(txt, "not confirmed") {
		t.Errorf("the banner's row reads %q; want the JWKS endpoint and \"not confirmed\"", txt)
	}
	p.screenshot("ui-foreign-banner.png")

	// Sign in: stopped before anything was sent, and asked.
	p.click(testid("signin-button"))
	dialogHost := fmt.Sprintf(`dialog[open] [data-testid="foreign-dialog-host"][data-origin=%q]`, proxy)
	p.waitJS("the confirmation naming the proxy's origin", fmt.Sprintf(`!!document.querySelector(%q)`, dialogHost), 30*time.Second)
	if p.eval(`document.querySelector('dialog[open]').matches(':modal')`) != "true" {
		t.Error("the confirmation is not a modal dialog")
	}
	if got := p.eval(`document.activeElement?.getAttribute("data-testid") || ""`); got != "confirm-cancel" {
		t.Errorf("focus starts on %q, want the Cancel button", got)
	}
	if txt := p.text(testid("confirm-dialog")); !strings.Contains(txt, "PKCE verifier") || !strings.Contains(txt, "did not open") {
		t.Errorf("the dialog reads %q; want what the host would get and that the browser did not open", txt)
	}
	if got := p.text(testid("confirm-ok")); got != "Trust and sign in" {
		t.Errorf("the risky button reads %q", got)
	}
	p.screenshot("ui-foreign-dialog.png")

	// Cancel: nothing opened, nothing sent to the proxy, nothing trusted.
	p.click(testid("confirm-cancel"))
	p.waitJS("the dialog to close", `!document.querySelector('dialog[open]')`, step)
	time.Sleep(1500 * time.Millisecond) // a browser hand-off would have started by now
	if n := opened.Load(); n != 0 {
		t.Fatalf("the app opened %d URL(s) in the system browser for a sign-in it stopped", n)
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the proxy got %d request(s) before the user trusted it", n)
	}
	p.waitStatus("error", step)
	if trusted := trustedOrigins(p, id); len(trusted) != 0 {
		t.Fatalf("Cancel confirmed %q", trusted)
	}

	// Again, and this time trust it: confirmed, signed in, keys via the proxy.
	p.click(testid("signin-button"))
	p.waitJS("the confirmation again", fmt.Sprintf(`!!document.querySelector(%q)`, dialogHost), 30*time.Second)
	p.click(testid("confirm-ok"))
	nextVisit(t, sb, 90*time.Second)
	p.waitStatus("signed_in", 30*time.Second)
	if trusted := trustedOrigins(p, id); !slices.Equal(trusted, []string{proxy}) {
		t.Errorf("after Trust the profile trusts %q, want exactly [%s]", trusted, proxy)
	}
	if hits.Load() == 0 {
		t.Error("signed in, but the ID token's keys never came through the confirmed JWKS URL")
	}
	p.click(testid("tab-flow"))
	p.waitJS("the banner to show the origin as confirmed",
		fmt.Sprintf(`document.querySelector(%q)?.dataset.trusted === "true"`, item), step)
	p.screenshot("ui-foreign-confirmed.png")

	// The editor says the same beside the JWKS field, now confirmed.
	p.click(testid("tab-profile"))
	note := fmt.Sprintf(`[data-testid="foreign-note"][data-origin=%q]`, proxy)
	p.waitJS("the JWKS field's warning", fmt.Sprintf(`document.querySelector(%q)?.dataset.trusted === "true"`, note), step)
	if got := p.eval(fmt.Sprintf(`document.querySelector('[data-testid="field-endpoints.jwks"]').getAttribute('aria-describedby') === document.querySelector(%q).id`, note)); got != "true" {
		t.Error("the JWKS field is not described by its warning")
	}
	if txt := p.text(note); !strings.Contains(txt, "Leaves the issuer") || !strings.Contains(txt, "confirmed") {
		t.Errorf("the JWKS field's warning reads %q", txt)
	}

	p.eval(`document.querySelector('[data-testid="field-endpoints.jwks"]').scrollIntoView({block: 'center'}), ''`)
	p.screenshot("ui-foreign-editor.png")

	// Extra parameters refuse, as typed, a name from Go's reserved list.
	p.click(testid("params-editor-add"))
	p.typeInto(`[data-testid="params-editor-row"] input[type="text"]`, "code_verifier")
	p.waitJS("the inline refusal", `!!document.querySelector('[data-testid="params-editor-error"]')`, step)
	if p.eval(`document.querySelector('[data-testid="save-button"]').disabled`) != "true" {
		t.Error("Save stays enabled with a reserved extra parameter")
	}
	if txt := p.text(testid("save-blocked")); !strings.Contains(txt, "Fix the extra parameters") {
		t.Errorf("beside the disabled Save: %q", txt)
	}
	p.screenshot("ui-reserved-param.png")
}

// demoJWKSURL reads the demo provider's jwks_uri from its discovery document.
func demoJWKSURL(t *testing.T, issuer string) *url.URL {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatalf("demo discovery: %v", err)
	}
	defer resp.Body.Close()
	var meta struct {
		JWKS string `json:"jwks_uri"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(nil, resp.Body, 1<<20)).Decode(&meta); err != nil || meta.JWKS == "" {
		t.Fatalf("demo discovery has no jwks_uri (%v)", err)
	}
	u, err := url.Parse(meta.JWKS)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// newCountingProxy serves target's origin from a new loopback origin,
// counting requests. It returns the proxy's origin.
func newCountingProxy(t *testing.T, target *url.URL) (string, *atomic.Int32) {
	t.Helper()
	var hits atomic.Int32
	base := &url.URL{Scheme: target.Scheme, Host: target.Host}
	rp := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(base)
		r.Out.Host = base.Host
	}}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		rp.ServeHTTP(w, r)
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv.Listener = ln
	srv.Config.ReadHeaderTimeout = 5 * time.Second
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL, &hits
}

// trustedOrigins is the profile's confirmed origins as Go reports them.
func trustedOrigins(p appPage, id string) []string {
	p.t.Helper()
	var prof struct {
		TrustedOrigins []string `json:"trustedOrigins"`
	}
	p.evalInto(fmt.Sprintf(`window.go.main.App.Profiles().then(ps => ps.find(p => p.id === %q))`, id), &prof)
	return prof.TrustedOrigins
}
