package apiclient

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// MaxRedirects is how many redirects Do follows before failing with
// ErrTooManyRedirects.
const MaxRedirects = 10

// Redirect describes one redirect Do followed.
type Redirect struct {
	// Status is the redirect response's status code (301, 302, 303, 307, 308).
	Status int `json:"status"`
	// From and To are the URLs before and after the redirect, as sent.
	From string `json:"from"`
	To   string `json:"to"`
	// Dropped lists the credential headers (Authorization, Cookie,
	// Proxy-Authorization) removed because To is another origin.
	Dropped []string `json:"dropped,omitempty"`
}

// origin is the RFC 6454 origin of a URL: scheme, host and port, the port
// made explicit so that https://h and https://h:443 are the same origin.
type origin struct{ scheme, host, port string }

func originOf(u *url.URL) origin {
	port := u.Port()
	if port == "" {
		switch u.Scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return origin{scheme: strings.ToLower(u.Scheme), host: strings.ToLower(u.Hostname()), port: port}
}

// redirectPolicy is the http.Client CheckRedirect for one Do call. It records
// the chain and removes credential headers once the chain has left the
// original origin.
//
// net/http itself keeps Authorization when redirecting to a subdomain or to
// another port of the same host, and x/oauth2's Transport re-adds it on every
// hop; SECURITY.md 30 wants neither. Once any hop leaves the origin the
// credentials stay dropped for the rest of the chain, even if a later hop
// comes back: the other origin chose where that request goes.
type redirectPolicy struct {
	hops []Redirect
	left bool // a hop has left the original origin
}

func (p *redirectPolicy) check(req *http.Request, via []*http.Request) error {
	if len(via) > MaxRedirects {
		return fmt.Errorf("%w: stopped after %d", ErrTooManyRedirects, MaxRedirects)
	}
	first := originOf(via[0].URL)
	if originOf(req.URL) != first {
		p.left = true
	}
	hop := Redirect{From: via[len(via)-1].URL.String(), To: req.URL.String()}
	if req.Response != nil {
		hop.Status = req.Response.StatusCode
	}
	if p.left {
		for _, h := range credentialHeaders {
			if _, ok := req.Header[h]; ok {
				req.Header.Del(h)
				hop.Dropped = append(hop.Dropped, h)
			}
		}
	}
	p.hops = append(p.hops, hop)
	return nil
}

// isLoopbackHost reports whether host (no port) is "localhost" or a loopback
// IP literal: the hosts RFC 8252 §8.3 treats as not leaving the machine.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// tokenTransportOK reports whether a bearer token may be sent to u without
// asking: https anywhere, plain http only to loopback (SECURITY.md 31).
func tokenTransportOK(u *url.URL) bool {
	return u.Scheme == "https" || isLoopbackHost(u.Hostname())
}
