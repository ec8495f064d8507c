package apiclient

import (
	"net/http"
	"net/url"

	"pkcedesk/internal/loopback"
	"pkcedesk/internal/redirects"
)

// MaxRedirects is how many redirects Do follows before failing with
// ErrTooManyRedirects.
const MaxRedirects = redirects.DefaultMax

// Redirect describes one redirect Do followed.
type Redirect struct {
	// Status is the redirect response's status code (301, 302, 303, 307, 308).
	Status int `json:"status"`
	// From and To are the URLs before and after the redirect, as sent.
	From string `json:"from"`
	To   string `json:"to"`
	// Dropped lists the credential headers (Authorization, Cookie,
	// Proxy-Authorization, DPoP) removed because To is another origin.
	Dropped []string `json:"dropped,omitempty"`
}

// redirectPolicy is the http.Client CheckRedirect for one Do call: the app's
// one origin-based policy (internal/redirects) — a POST or other non-GET
// request is not redirected (its 3xx response is shown), https never
// downgrades to http except to loopback, and credentials are dropped once
// the chain changes scheme, host or port (security rule 30) — plus the record
// of the chain for the response view.
type redirectPolicy struct {
	p    redirects.Policy
	hops []Redirect
}

// init sets rp up for one Do call; rp must not be copied afterwards.
func (rp *redirectPolicy) init() {
	rp.p = redirects.Policy{Max: MaxRedirects, OnHop: func(h redirects.Hop) {
		rp.hops = append(rp.hops, Redirect{Status: h.Status, From: h.From, To: h.To, Dropped: h.Dropped})
	}}
}

func (rp *redirectPolicy) check(req *http.Request, via []*http.Request) error {
	return rp.p.Check(req, via)
}

// tokenTransportOK reports whether a bearer token may be sent to u without
// asking: https anywhere, plain http only to loopback (security rule 31).
func tokenTransportOK(u *url.URL) bool {
	return u.Scheme == "https" || loopback.IsHost(u.Hostname())
}
