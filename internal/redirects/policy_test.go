package redirects

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"testing"
)

// chain builds the via slice for a redirect chain and the next request,
// which carries the credential headers net/http would copy onto it.
func chain(t *testing.T, method string, urls ...string) (*http.Request, []*http.Request) {
	t.Helper()
	var via []*http.Request
	for _, raw := range urls[:len(urls)-1] {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		via = append(via, &http.Request{Method: method, URL: u, Header: http.Header{}})
	}
	next, err := url.Parse(urls[len(urls)-1])
	if err != nil {
		t.Fatal(err)
	}
	req := &http.Request{Method: method, URL: next, Header: http.Header{
		"Authorization": {"Bearer AT"}, "Cookie": {"c=1"}, "X-Other": {"kept"},
	}}
	req.Header.Set("DPoP", "proof") // stored canonically, as "Dpop"
	return req, via
}

func TestPostIsNeverRedirected(t *testing.T) {
	for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		req, via := chain(t, m, "https://op.example/token", "https://op.example/token2")
		if err := (&Policy{}).Check(req, via); !errors.Is(err, http.ErrUseLastResponse) {
			t.Errorf("%s redirect: %v, want ErrUseLastResponse (the 3xx is the answer)", m, err)
		}
	}
}

func TestNoDowngradeExceptLoopback(t *testing.T) {
	cases := []struct {
		from, to         string
		httpOnlyLoopback bool
		refused          bool
	}{
		{"https://op.example/a", "http://op.example/b", false, true},      // same host, plain http
		{"https://op.example/a", "http://sub.op.example/b", false, true},  // subdomain
		{"https://op.example/a", "http://127.0.0.1:8080/b", false, false}, // loopback is allowed
		{"https://op.example/a", "http://localhost/b", true, false},       // loopback, engine rule
		{"http://127.0.0.1:1/a", "http://api.example/b", false, false},    // console: http stays http
		{"http://127.0.0.1:1/a", "http://api.example/b", true, true},      // engine: http only on loopback
		{"https://op.example/a", "https://other.example/b", true, false},  // https anywhere
		{"https://op.example/a", "ftp://op.example/b", false, true},       // not https, not loopback
	}
	for _, c := range cases {
		req, via := chain(t, http.MethodGet, c.from, c.to)
		err := (&Policy{HTTPOnlyLoopback: c.httpOnlyLoopback}).Check(req, via)
		if got := errors.Is(err, ErrDowngrade); got != c.refused {
			t.Errorf("%s → %s (httpOnlyLoopback %v): err %v, refused %v want %v", c.from, c.to, c.httpOnlyLoopback, err, got, c.refused)
		}
	}
}

func TestCredentialsDroppedOnAnyOriginChange(t *testing.T) {
	cases := []struct {
		from, to string
		dropped  bool
	}{
		{"https://op.example/a", "https://op.example/b", false},
		{"https://op.example/a", "https://OP.example:443/b", false},
		{"https://op.example/a", "https://op.example:8443/b", true}, // port
		{"https://op.example/a", "https://api.op.example/b", true},  // subdomain
		{"http://127.0.0.1:1/a", "http://127.0.0.1:2/b", true},      // other port, same IP
		{"http://localhost/a", "https://localhost/b", true},         // scheme
	}
	for _, c := range cases {
		req, via := chain(t, http.MethodGet, c.from, c.to)
		var hops []Hop
		p := &Policy{OnHop: func(h Hop) { hops = append(hops, h) }}
		if err := p.Check(req, via); err != nil {
			t.Fatalf("%s → %s: %v", c.from, c.to, err)
		}
		has := req.Header.Get("Authorization") != "" || req.Header.Get("Cookie") != "" || req.Header.Get("DPoP") != ""
		if has == c.dropped {
			t.Errorf("%s → %s: credentials kept %v, want dropped %v", c.from, c.to, has, c.dropped)
		}
		if req.Header.Get("X-Other") != "kept" {
			t.Errorf("%s → %s: other headers must stay", c.from, c.to)
		}
		if c.dropped && (len(hops) != 1 || !slices.Equal(hops[0].Dropped, []string{"Authorization", "Cookie", "DPoP"})) {
			t.Errorf("%s → %s: hops %+v", c.from, c.to, hops)
		}
	}
}

func TestCredentialsStayDroppedAfterComingBack(t *testing.T) {
	p := &Policy{}
	req, via := chain(t, http.MethodGet, "https://a.example/1", "https://b.example/2")
	if err := p.Check(req, via); err != nil {
		t.Fatal(err)
	}
	back, via2 := chain(t, http.MethodGet, "https://a.example/1", "https://b.example/2", "https://a.example/3")
	if err := p.Check(back, via2); err != nil {
		t.Fatal(err)
	}
	if back.Header.Get("Authorization") != "" {
		t.Error("A → B → A put the credentials back")
	}
	// Client's per-chain policy works the same from the chain alone.
	c := Client(&http.Client{}, true)
	back, via2 = chain(t, http.MethodGet, "https://a.example/1", "https://b.example/2", "https://a.example/3")
	if err := c.CheckRedirect(back, via2); err != nil || back.Header.Get("Authorization") != "" {
		t.Errorf("Client policy: err %v, Authorization %q", err, back.Header.Get("Authorization"))
	}
}

func TestTooManyRedirects(t *testing.T) {
	urls := []string{}
	for i := 0; i <= 3; i++ {
		urls = append(urls, "https://a.example/"+string(rune('a'+i)))
	}
	req, via := chain(t, http.MethodGet, append(urls, "https://a.example/z")...)
	if err := (&Policy{Max: 3}).Check(req, via); !errors.Is(err, ErrTooMany) {
		t.Errorf("err %v, want ErrTooMany", err)
	}
}
