package auth

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// loopback is the one-shot redirect receiver of RFC 8252 §7.3. It binds a
// loopback address only, answers the single request that carries the right
// state, and ignores (400/404/405) everything else while it keeps waiting.
type loopback struct {
	ln          net.Listener   // the first listener (127.0.0.1 for localhost)
	lns         []net.Listener // every bound address
	srv         *http.Server
	redirectURI string
	hostHeader  string
	path        string
	tr          *tracer
	g           *gate
	page        pageInfo

	mu      sync.Mutex
	other   int // requests to other paths or with other methods
	closeMu sync.Once
}

// Listener limits (security rule 8).
const (
	loopbackMaxHeaderBytes    = 8 << 10
	loopbackReadHeaderTimeout = 5 * time.Second
)

// startLoopback binds r's host and starts serving, with a gate of its own
// for state and no iss verdict (tests).
func startLoopback(r Redirect, state string, tr *tracer) (*loopback, error) {
	return startLoopbackGate(r, newGate(state, tr, nil), pageInfo{}, tr)
}

// startLoopbackGate binds r's host and starts serving callbacks to g. For
// "localhost" it binds the same port on both 127.0.0.1 and [::1] (see
// listenLocalhost).
func startLoopbackGate(r Redirect, g *gate, page pageInfo, tr *tracer) (*loopback, error) {
	var lns []net.Listener
	var err error
	if r.Host == "localhost" {
		lns, err = listenLocalhost(r.Port, tr)
	} else {
		var ln net.Listener
		ln, err = listenOne(r.Host, r.Port)
		lns = []net.Listener{ln}
	}
	if err != nil {
		return nil, err
	}
	ln := lns[0]
	port := ln.Addr().(*net.TCPAddr).Port
	lb := &loopback{
		ln:          ln,
		lns:         lns,
		redirectURI: "http://" + r.uriHost(port) + r.Path,
		hostHeader:  r.uriHost(port),
		path:        r.Path,
		tr:          tr,
		g:           g,
		page:        page,
	}
	lb.srv = &http.Server{
		Handler:           lb,
		ReadHeaderTimeout: loopbackReadHeaderTimeout,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		IdleTimeout:       10 * time.Second,
		MaxHeaderBytes:    loopbackMaxHeaderBytes,
		ErrorLog:          nil,
	}
	for _, l := range lns {
		go func() {
			_ = lb.srv.Serve(l) // returns http.ErrServerClosed on close
		}()
	}
	return lb, nil
}

// listenOne binds one loopback IP literal, with a clear error for a taken
// fixed port.
func listenOne(ip string, port int) (net.Listener, error) {
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, strconv.Itoa(port)))
	if err != nil {
		if port != 0 && errors.Is(err, syscall.EADDRINUSE) {
			return nil, &PortInUseError{Port: port, Err: err}
		}
		return nil, fmt.Errorf("could not open the loopback redirect listener on %s: %w", ip, err)
	}
	return ln, nil
}

// localhostBindAttempts bounds the search for an ephemeral port that is
// free on both 127.0.0.1 and ::1.
const localhostBindAttempts = 10

// listenLocalhost binds port on 127.0.0.1 and on ::1. A browser may resolve
// localhost to ::1 first; if another local process held [::1]:port it would
// receive the code and state (RFC 8252 §8.3 is why IP literals are the
// default). The name is never resolved: both IP literals are bound. When
// this machine has no IPv6 loopback at all, nobody can bind [::1] either and
// 127.0.0.1 alone is safe; otherwise both bind or the sign-in stops.
func listenLocalhost(port int, tr *tracer) ([]net.Listener, error) {
	for attempt := 0; attempt < localhostBindAttempts; attempt++ {
		v4, err := listenOne("127.0.0.1", port)
		if err != nil {
			return nil, err
		}
		p := v4.Addr().(*net.TCPAddr).Port
		v6, err := net.Listen("tcp", net.JoinHostPort("::1", strconv.Itoa(p)))
		if err == nil {
			return []net.Listener{v4, v6}, nil
		}
		switch {
		case errors.Is(err, syscall.EADDRNOTAVAIL) || errors.Is(err, syscall.EAFNOSUPPORT):
			tr.add(StepListener, KindListenerNote, "this computer has no IPv6 loopback (::1): listening on 127.0.0.1 only, which is all localhost can reach")
			return []net.Listener{v4}, nil
		case errors.Is(err, syscall.EADDRINUSE) && port == 0:
			v4.Close() // another program has [::1] on this port: try another port
			continue
		case errors.Is(err, syscall.EADDRINUSE):
			v4.Close()
			return nil, &PortInUseError{Port: port, Err: fmt.Errorf("[::1]:%d is taken by another program: %w", port, err)}
		default:
			v4.Close()
			return nil, fmt.Errorf("could not open the loopback redirect listener on [::1]:%d (a localhost redirect needs both 127.0.0.1 and ::1): %w", p, err)
		}
	}
	return nil, fmt.Errorf("could not find a port free on both 127.0.0.1 and [::1] after %d tries; close programs holding loopback ports or use the 127.0.0.1 redirect", localhostBindAttempts)
}

// addr is the first bound address (for tests).
func (lb *loopback) addr() string { return lb.ln.Addr().String() }

// addrs lists every bound address, for the trace.
func (lb *loopback) addrs() string {
	s := make([]string, len(lb.lns))
	for i, l := range lb.lns {
		s[i] = l.Addr().String()
	}
	return strings.Join(s, " and ")
}

// close shuts the listener and drops every connection; the port is free
// when it returns (security rule 7). Pages are flushed before a result is
// delivered, so closing at once never cuts the browser's answer short.
func (lb *loopback) close() {
	lb.closeMu.Do(func() {
		_ = lb.srv.Close()
		// Close closes only the listeners Serve has started tracking; a
		// Serve goroutine not yet scheduled would close its listener later.
		// Closing them here makes the port free when close returns.
		for _, l := range lb.lns {
			_ = l.Close()
		}
	})
}

// forgedCount is the number of ignored callbacks so far.
func (lb *loopback) forgedCount() int { return lb.g.forgedCount() }

// ServeHTTP implements the callback rules, security rules 3–6; the
// state, code and one-use rules are the gate's (shared with a paste).
func (lb *loopback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	pg := lb.page
	if r.Host != lb.hostHeader {
		n := lb.ignore()
		lb.traceIgnored(n, fmt.Sprintf("ignored a request with Host %q (expected %s): possible DNS rebinding — ignored %d forged callbacks", cleanText(r.Host, 80), lb.hostHeader, n),
			field("reason", "host mismatch"), field("ignored", n))
		writePage(w, http.StatusBadRequest, pg, pageProblem, "Bad request", "This address only answers the sign-in redirect.")
		return
	}
	if r.URL.Path != lb.path {
		if n := lb.countOther(); n <= maxTracedIgnored {
			lb.tr.add(StepCallback, KindRequestIgnored, fmt.Sprintf("ignored %s %s (not the callback path)", cleanText(r.Method, 16), cleanText(r.URL.Path, 80)), field("reason", "other path"))
		}
		writePage(w, http.StatusNotFound, pg, pageProblem, "Not found", "Nothing here.")
		return
	}
	if r.Method != http.MethodGet {
		if n := lb.countOther(); n <= maxTracedIgnored {
			lb.tr.add(StepCallback, KindRequestIgnored, fmt.Sprintf("ignored %s on the callback path", cleanText(r.Method, 16)), field("reason", "method not allowed"))
		}
		w.Header().Set("Allow", http.MethodGet)
		writePage(w, http.StatusMethodNotAllowed, pg, pageProblem, "Method not allowed", "Use GET.")
		return
	}
	out, reason, acc := lb.g.offer(r.URL.RawQuery, "loopback")
	switch out {
	case outcomeUsed:
		writePage(w, http.StatusGone, pg, pageNeutral, "Already finished", "This sign-in has already completed. You can close this window.")
		return
	case outcomeRefused:
		short := map[string]string{reasonMalformed: "malformed or repeated parameters", reasonNoState: "missing state",
			reasonBadState: "wrong state", reasonNoCode: "no code"}[reason]
		n := lb.ignore()
		msg := fmt.Sprintf("IGNORED a callback: %s (CSRF protection, RFC 6749 §10.12) — ignored %d forged callbacks", short, n)
		body := "This request does not belong to the sign-in in progress."
		if reason == reasonNoCode {
			msg = fmt.Sprintf("IGNORED a callback with the right state but neither code nor error — ignored %d forged callbacks", n)
			body = "The redirect carried no authorization code."
		}
		lb.traceIgnored(n, msg, field("reason", short), field("ignored", n))
		writePage(w, http.StatusBadRequest, pg, pageProblem, "Not accepted", body)
		return
	}
	switch {
	case acc.err != nil:
		writePage(w, http.StatusOK, pg, pageProblem, "Sign-in not completed", "The response did not come from the expected provider. Return to "+pg.app()+" for details; you can close this window.")
	case acc.p.Error != "":
		writePage(w, http.StatusOK, pg, pageProblem, "Sign-in not completed", "The provider returned an error. Return to "+pg.app()+" for details; you can close this window.")
	default:
		writePage(w, http.StatusOK, pg, pageSuccess, "Signed in", "You can close this window and return to "+pg.app()+".")
	}
	lb.g.deliver(acc)
}

// maxTracedIgnored bounds trace events for ignored requests: a local
// process hammering the port must not grow the trace without limit.
const maxTracedIgnored = 20

func (lb *loopback) ignore() int { return lb.g.countForged() }

func (lb *loopback) countOther() int {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	lb.other++
	return lb.other
}

// traceIgnored records an ignored request: the first maxTracedIgnored one
// by one, then every 100th with the running count.
func (lb *loopback) traceIgnored(n int, msg string, fields ...Field) {
	if n <= maxTracedIgnored || n%100 == 0 {
		lb.tr.fail(StepCallback, KindCallbackIgnored, msg, fields...)
	}
}

// ctxErr maps a finished context to ErrTimeout or ErrCanceled.
func ctxErr(ctx context.Context) error {
	if errors.Is(context.Cause(ctx), ErrTimeout) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return ErrTimeout
	}
	return ErrCanceled
}
