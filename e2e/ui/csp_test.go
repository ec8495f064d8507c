package ui

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"pkcedesk/e2e/harness"
)

// TestPageConnectsOnlyToItsOwnOrigin checks the narrowed connect-src in
// Chromium with the live dev bridge: the page's own origin (HTTP, and the
// WebSocket the Wails dev bridge uses, which CSP3 'self' matches) is
// reachable and the bindings work, while fetch and WebSocket to another
// loopback origin are refused by the CSP before a byte is sent.
func TestPageConnectsOnlyToItsOwnOrigin(t *testing.T) {
	var hits atomic.Int32
	other := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Access-Control-Allow-Origin", "*")
		fmt.Fprint(w, "reached")
	}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	other.Listener = ln
	other.Start()
	t.Cleanup(other.Close)

	env := harness.Start(t, harness.Options{})
	p := appPage{t: t, env: env}
	p.load()

	if got := directive(p.eval(`document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.content ?? ''`), "connect-src"); got != "connect-src 'self'" {
		t.Errorf("the page's connect-src is %q, want exactly connect-src 'self'", got)
	}
	p.waitAsync("a binding call over the live bridge", `window.go.main.App.Profiles().then(ps => ps.length > 0)`, step)

	var res struct {
		SameHTTP  string   `json:"sameHTTP"`
		SameWS    string   `json:"sameWS"`
		OtherHTTP string   `json:"otherHTTP"`
		OtherWS   string   `json:"otherWS"`
		Violated  []string `json:"violated"`
	}
	otherWS := "ws" + strings.TrimPrefix(other.URL, "http") + "/"
	p.evalInto(fmt.Sprintf(`(async () => {
		const violated = [];
		document.addEventListener('securitypolicyviolation', e => violated.push(e.violatedDirective + ' ' + e.blockedURI));
		const ws = (url) => new Promise(resolve => {
			let s;
			try { s = new WebSocket(url); } catch (e) { resolve('threw ' + e.name); return; }
			s.onopen = () => { s.close(); resolve('open'); };
			s.onerror = () => resolve('error');
			setTimeout(() => resolve('timeout'), 3000);
		});
		const http = (url) => fetch(url).then(r => 'status ' + r.status, e => 'refused ' + e.name);
		const out = {
			sameHTTP: await http(location.origin + '/'),
			sameWS: await ws((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/wails/ipc'),
			otherHTTP: await http(%q),
			otherWS: await ws(%q),
		};
		await new Promise(r => setTimeout(r, 200));
		return { ...out, violated };
	})()`, other.URL+"/", otherWS), &res)

	if res.SameHTTP != "status 200" || res.SameWS != "open" {
		t.Errorf("the page's own origin: fetch %s, WebSocket to the dev bridge %s; want both allowed ('self')", res.SameHTTP, res.SameWS)
	}
	if !strings.HasPrefix(res.OtherHTTP, "refused") || res.OtherWS == "open" {
		t.Errorf("another loopback origin: fetch %s, WebSocket %s; want both refused", res.OtherHTTP, res.OtherWS)
	}
	var connect int
	for _, v := range res.Violated {
		if strings.HasPrefix(v, "connect-src") {
			connect++
		}
	}
	if connect < 2 {
		t.Errorf("CSP violations reported: %q; want connect-src for both the fetch and the WebSocket", res.Violated)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the other origin got %d request(s): the CSP let them out", n)
	}
	p.waitAsync("the bridge to still work", `window.go.main.App.Profiles().then(ps => ps.length > 0)`, step)
}
