// Package redirects holds the one origin-based redirect policy for every
// HTTP client of the app: the engine's (discovery, JWKS, token, userinfo,
// revocation, introspection) and the request console's.
//
// The rules:
//   - a POST (or any method but GET and HEAD) is never redirected: the
//     3xx response itself is returned, so a form carrying a code, a
//     verifier or client credentials is never re-sent somewhere else;
//   - https never downgrades to plain http, except to a loopback host;
//     with HTTPOnlyLoopback every hop to plain http must be loopback;
//   - on any change of scheme, host or port the credential headers are
//     removed, and stay removed for the rest of the chain even if a later
//     hop comes back (the other origin chose where that request goes).
//
// net/http alone keeps Authorization on a redirect to a subdomain, to
// another port of the same host and from https to http on the same host;
// x/oauth2's Transport re-adds it on every hop.
package redirects

import (
	"errors"
	"fmt"
	"net/http"

	"pkcedesk/internal/loopback"
	"pkcedesk/internal/origin"
)

// DefaultMax is how many redirects a chain may have when Policy.Max is 0.
const DefaultMax = 10

// CredentialHeaders are the request headers that carry credentials.
var CredentialHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "DPoP"}

// ErrTooMany is matched when a chain has more than the allowed redirects.
var ErrTooMany = errors.New("too many redirects")

// ErrDowngrade is matched when a redirect would leave https for plain http
// (or, with HTTPOnlyLoopback, reach plain http on a host that is not loopback).
var ErrDowngrade = errors.New("redirect to plain http refused")

// Hop is one redirect the policy let through.
type Hop struct {
	// Status is the redirect response's status code.
	Status int
	// From and To are the URLs before and after the hop, as sent.
	From, To string
	// Dropped lists the credential headers removed from the new request.
	Dropped []string
}

// Policy is an http.Client CheckRedirect for one request chain. Make a new
// one per request: it remembers whether the chain has left its origin.
type Policy struct {
	// Max redirects in a chain (0: DefaultMax).
	Max int
	// HTTPOnlyLoopback refuses any hop to plain http on a host that is not
	// loopback, even from http (the engine's "http only on loopback").
	HTTPOnlyLoopback bool
	// OnHop, if set, is told of every hop followed.
	OnHop func(Hop)

	left bool
}

// Check implements http.Client.CheckRedirect.
func (p *Policy) Check(req *http.Request, via []*http.Request) error {
	first := via[0]
	if first.Method != http.MethodGet && first.Method != http.MethodHead {
		return http.ErrUseLastResponse
	}
	max := p.Max
	if max <= 0 {
		max = DefaultMax
	}
	if len(via) > max {
		return fmt.Errorf("%w: stopped after %d", ErrTooMany, max)
	}
	prev := via[len(via)-1]
	if req.URL.Scheme != "https" && !loopback.IsHost(req.URL.Hostname()) &&
		(p.HTTPOnlyLoopback || prev.URL.Scheme == "https") {
		return fmt.Errorf("%w: %s sent the request on to %s", ErrDowngrade, origin.Of(prev.URL), origin.Of(req.URL))
	}
	if origin.Of(req.URL) != origin.Of(first.URL) {
		p.left = true
	}
	hop := Hop{From: prev.URL.String(), To: req.URL.String()}
	if req.Response != nil {
		hop.Status = req.Response.StatusCode
	}
	if p.left {
		for _, h := range CredentialHeaders {
			// Header keys are canonical ("Dpop"), the names here are as
			// specified ("DPoP"): look them up canonically.
			if _, ok := req.Header[http.CanonicalHeaderKey(h)]; ok {
				req.Header.Del(h)
				hop.Dropped = append(hop.Dropped, h)
			}
		}
	}
	if p.OnHop != nil {
		p.OnHop(hop)
	}
	return nil
}

// Client returns a shallow copy of c whose CheckRedirect applies a fresh
// Policy to each request chain (a Policy remembers its chain, so one value
// is not shared between requests).
func Client(c *http.Client, httpOnlyLoopback bool) *http.Client {
	cp := *c
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		// The policy's memory is per chain: via[0] identifies the chain, and
		// "left the origin" is recomputed from the whole chain each time.
		p := &Policy{HTTPOnlyLoopback: httpOnlyLoopback}
		for i := 1; i < len(via); i++ {
			if origin.Of(via[i].URL) != origin.Of(via[0].URL) {
				p.left = true
			}
		}
		return p.Check(req, via)
	}
	return &cp
}
