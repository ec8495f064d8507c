package apiclient

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Defaults applied by Do to zero Options fields.
const (
	DefaultTimeout   = 30 * time.Second
	DefaultMaxBody   = 10 << 20 // 10 MiB
	DefaultUserAgent = "PKCE-Desk"
)

// Options tune Do. The zero value is the strict, safe behaviour.
type Options struct {
	// Timeout bounds the whole exchange, token refresh and body read
	// included. Zero or negative means DefaultTimeout.
	Timeout time.Duration
	// MaxBody caps how many body bytes are read; the rest is not downloaded.
	// Zero or negative means DefaultMaxBody.
	MaxBody int64
	// RootCAs, when set, replaces the system roots for verifying servers
	// (a profile's custom CA; see CertPoolFromPEM). Verification is always on.
	RootCAs *x509.CertPool
	// AllowInsecureToken lets the token go over plain http to a non-loopback
	// host. Set it only after the user confirmed (security rule 31).
	AllowInsecureToken bool
	// DialContext, when set, makes the TCP connections (tests, proxies).
	// Such a transport is not reused across calls.
	DialContext func(ctx context.Context, network, addr string) (net.Conn, error)
	// Logger receives debug records with secrets masked; nil means slog.Default().
	Logger *slog.Logger
	// UserAgent is sent unless the spec sets one; empty means DefaultUserAgent.
	UserAgent string
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	return o
}

// Do builds the request described by spec (see Build), attaches the access
// token from ts when spec.AttachToken is set, sends it and reads the response.
//
// Guarantees:
//   - The token is taken from ts (which refreshes it when expired) and sent as
//     "Authorization: <type> <token>" (RFC 6750 §2.1).
//   - With a token, plain http to a non-loopback host fails with an error
//     matching ErrInsecureTokenTransport before ts is asked or any connection
//     is made, unless opts.AllowInsecureToken.
//   - Up to MaxRedirects redirects are followed. Once a redirect leaves the
//     original origin (scheme, host, port) the Authorization, Cookie and
//     Proxy-Authorization headers are dropped for the rest of the chain
//     (security rule 30).
//   - TLS certificates are always verified (system roots or opts.RootCAs).
//   - Everything (token refresh, redirects, reading the body) shares one
//     opts.Timeout budget and ends with ctx; the body is read up to
//     opts.MaxBody and then the connection is closed.
//   - Errors and log records never contain the token; URLs in them have
//     secret query values masked.
//
// Errors: *SpecError / *JSONBodyError (spec invalid), ErrNoTokenSource,
// *InsecureTransportError, *TokenSourceError, context errors when ctx ends,
// and *RequestError (network, TLS, timeout, too many redirects).
// A non-2xx status is not an error: it is a Response. Do is safe for
// concurrent use.
func Do(ctx context.Context, spec Spec, ts oauth2.TokenSource, opts Options) (*Response, error) {
	opts = opts.withDefaults()
	start := time.Now()
	// One budget for token, exchange and body: the context ends at the
	// deadline. The client's Timeout below ends at the same instant, so
	// net/http adds no timer of its own (it only does when its deadline
	// comes first).
	deadline := start.Add(opts.Timeout)
	bctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	c := newCall(start)
	log := opts.Logger

	req, err := Build(httptrace.WithClientTrace(bctx, c.tm.trace()), spec)
	if err != nil {
		return nil, err
	}
	if spec.AttachToken {
		if ts == nil {
			return nil, ErrNoTokenSource
		}
		if !opts.AllowInsecureToken && !tokenTransportOK(req.URL) {
			return nil, &InsecureTransportError{Host: req.URL.Host}
		}
		tok, err := fetchToken(ctx, bctx, ts)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Authorization", tok.Type()+" "+tok.AccessToken)
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", opts.UserAgent)
	}

	transport, discard := transportFor(opts)
	if discard {
		defer transport.CloseIdleConnections()
	}
	// What the token fetch left of the budget; at least a millisecond,
	// because a zero Client.Timeout would mean no timeout at all.
	remaining := max(time.Until(deadline), time.Millisecond)
	c.client = http.Client{Transport: transport, Timeout: remaining, CheckRedirect: c.policy.check}

	debug := log.Enabled(ctx, slog.LevelDebug) // skip masking and boxing when nobody listens
	if debug {
		log.DebugContext(ctx, "apiclient: sending", "method", req.Method, "url", RedactString(req.URL.String()), "token", spec.AttachToken)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		rerr := requestError(ctx, req, err)
		if debug {
			log.DebugContext(ctx, "apiclient: failed", "err", rerr.Error())
		}
		return nil, rerr
	}
	raw, truncated, err := readCapped(resp.Body, opts.MaxBody, resp.ContentLength)
	// Closing before EOF (truncated) makes net/http drop the connection
	// instead of downloading the rest.
	resp.Body.Close()
	if err != nil {
		rerr := requestError(ctx, req, err)
		if debug {
			log.DebugContext(ctx, "apiclient: failed reading body", "err", rerr.Error())
		}
		return nil, rerr
	}
	if debug {
		for _, h := range c.policy.hops {
			if len(h.Dropped) > 0 {
				log.DebugContext(ctx, "apiclient: cross-origin redirect, credentials dropped", "to", RedactString(h.To), "dropped", h.Dropped)
			}
		}
	}
	tokenSent := spec.AttachToken && resp.Request.Header.Get("Authorization") != ""
	r := newResponse(resp, raw, truncated, c.tm.result(time.Now()), c.policy.hops, tokenSent)
	if debug {
		log.DebugContext(ctx, "apiclient: response", "status", r.Status, "bytes", r.Size, "truncated", r.Truncated, "ms", r.Timings.TotalMs)
	}
	return r, nil
}

// call is the per-call state of Do, in one allocation: the timings, the
// redirect policy with its record of hops, and the client using both.
type call struct {
	tm     timer
	policy redirectPolicy
	client http.Client
}

func newCall(start time.Time) *call {
	c := &call{tm: timer{start: start}}
	c.policy.init()
	return c
}

// fetchToken asks ts for a token, giving up when ctx (the caller's) ends or
// when budget (ctx with Do's deadline) does. oauth2.TokenSource takes no
// context: a refresh still running is left to finish on its own client's
// timeout and its result dropped.
func fetchToken(ctx, budget context.Context, ts oauth2.TokenSource) (*oauth2.Token, error) {
	type result struct {
		tok *oauth2.Token
		err error
	}
	ch := make(chan result, 1)
	go func() {
		t, err := ts.Token()
		ch <- result{t, err}
	}()
	select {
	case <-budget.Done():
		if ctx.Err() != nil {
			return nil, fmt.Errorf("canceled while getting an access token: %w", ctx.Err())
		}
		return nil, &TokenSourceError{Err: fmt.Errorf("the token source did not answer in time: %w", ErrTimeout)}
	case r := <-ch:
		switch {
		case r.err != nil:
			return nil, &TokenSourceError{Err: r.err}
		case r.tok == nil || r.tok.AccessToken == "":
			return nil, &TokenSourceError{Err: errors.New("the token source returned no access token")}
		case !validHeaderValue(r.tok.AccessToken) || !validHeaderValue(r.tok.Type()):
			return nil, &TokenSourceError{Err: errors.New("the access token contains characters not allowed in an HTTP header")}
		}
		return r.tok, nil
	}
}

// validHeaderValue: visible ASCII and spaces only (RFC 6750 §2.1 b64token is stricter).
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] == 0x7f {
			return false
		}
	}
	return true
}

// requestError wraps a client error with the method and masked URL, masks
// the URL inside a *url.Error, and classifies timeouts.
func requestError(ctx context.Context, req *http.Request, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		ue.URL = RedactString(ue.URL)
		err = ue.Err
	}
	re := &RequestError{Method: req.Method, URL: RedactString(req.URL.String()), Err: err}
	var te interface{ Timeout() bool }
	if ctx.Err() == nil && (errors.As(err, &te) && te.Timeout() || errors.Is(err, context.DeadlineExceeded)) {
		re.Timeout = true
	}
	return re
}

// CertPoolFromPEM returns the system roots plus the PEM certificates in pem,
// for Options.RootCAs. It fails if pem holds no certificate.
func CertPoolFromPEM(pem []byte) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("the CA file holds no PEM certificate: export it as PEM (-----BEGIN CERTIFICATE-----)")
	}
	return pool, nil
}

// transports keeps one transport per CA pool so kept-alive connections are
// reused across sends. It is bounded: past maxTransports it starts over.
var transports struct {
	sync.Mutex
	m map[*x509.CertPool]*http.Transport
}

const maxTransports = 8

// transportFor returns the transport for opts; discard is true when the
// caller must close it after use (a custom dialer is never cached).
func transportFor(opts Options) (t *http.Transport, discard bool) {
	if opts.DialContext != nil {
		return newTransport(opts.RootCAs, opts.DialContext), true
	}
	transports.Lock()
	defer transports.Unlock()
	if t := transports.m[opts.RootCAs]; t != nil {
		return t, false
	}
	if transports.m == nil || len(transports.m) >= maxTransports {
		for _, old := range transports.m {
			old.CloseIdleConnections()
		}
		transports.m = make(map[*x509.CertPool]*http.Transport)
	}
	t = newTransport(opts.RootCAs, nil)
	transports.m[opts.RootCAs] = t
	return t, false
}

// newTransport builds a transport like http.DefaultTransport but with TLS
// verification pinned on (TLS 1.2+), optional custom roots, a header size cap
// and no dependence on the mutable global.
func newTransport(roots *x509.CertPool, dial func(context.Context, string, string) (net.Conn, error)) *http.Transport {
	if dial == nil {
		dial = (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	}
	return &http.Transport{
		Proxy:                  http.ProxyFromEnvironment,
		DialContext:            dial,
		ForceAttemptHTTP2:      true,
		TLSClientConfig:        &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout:    10 * time.Second,
		MaxIdleConns:           32,
		IdleConnTimeout:        90 * time.Second,
		ExpectContinueTimeout:  time.Second,
		MaxResponseHeaderBytes: 1 << 20,
	}
}
