package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// loopback is the one-shot redirect receiver of RFC 8252 §7.3. It binds a
// loopback address only, answers the single request that carries the right
// state, and ignores (400/404/405) everything else while it keeps waiting.
type loopback struct {
	ln          net.Listener
	srv         *http.Server
	redirectURI string
	hostHeader  string
	path        string
	state       string
	tr          *tracer

	mu      sync.Mutex
	done    bool
	forged  int
	other   int // requests to other paths or with other methods
	result  chan callbackParams
	closeMu sync.Once
}

// Listener limits (SECURITY 8).
const (
	loopbackMaxHeaderBytes    = 8 << 10
	loopbackReadHeaderTimeout = 5 * time.Second
)

// startLoopback binds r's host (127.0.0.1 for localhost) and starts serving.
func startLoopback(r Redirect, state string, tr *tracer) (*loopback, error) {
	bind := r.Host
	if bind == "localhost" {
		bind = "127.0.0.1" // RFC 8252 §8.3: listen on the IP, never resolve a name
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(bind, strconv.Itoa(r.Port)))
	if err != nil {
		if r.Port != 0 && errors.Is(err, syscall.EADDRINUSE) {
			return nil, &PortInUseError{Port: r.Port, Err: err}
		}
		return nil, fmt.Errorf("could not open the loopback redirect listener on %s: %w", bind, err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	lb := &loopback{
		ln:          ln,
		redirectURI: "http://" + r.uriHost(port) + r.Path,
		hostHeader:  r.uriHost(port),
		path:        r.Path,
		state:       state,
		tr:          tr,
		result:      make(chan callbackParams, 1),
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
	go func() {
		_ = lb.srv.Serve(ln) // returns http.ErrServerClosed on close
	}()
	return lb, nil
}

// addr is the bound address (for tests).
func (lb *loopback) addr() string { return lb.ln.Addr().String() }

// close shuts the listener and drops every connection; the port is free
// when it returns (SECURITY 7). Pages are flushed before a result is
// delivered, so closing at once never cuts the browser's answer short.
func (lb *loopback) close() {
	lb.closeMu.Do(func() {
		_ = lb.srv.Close()
	})
}

// forgedCount is the number of ignored callbacks so far.
func (lb *loopback) forgedCount() int {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	return lb.forged
}

func writePage(w http.ResponseWriter, status int, title, body string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	// Fixed text only: nothing from the request is echoed (SECURITY 8).
	page := fmt.Sprintf("<!doctype html><html><head><meta charset=\"utf-8\"><title>%s</title></head>"+
		"<body style=\"font-family:sans-serif;margin:3em\"><h1>%s</h1><p>%s</p></body></html>", title, title, body)
	h.Set("Content-Length", strconv.Itoa(len(page)))
	h.Set("Connection", "close")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, page)
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush() // the whole page is on the wire before the listener may close
	}
}

// ServeHTTP implements the callback rules of SECURITY 3–6.
func (lb *loopback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Host != lb.hostHeader {
		n := lb.ignore()
		lb.traceIgnored(n, fmt.Sprintf("ignored a request with Host %q (expected %s): possible DNS rebinding — ignored %d forged callbacks", cleanText(r.Host, 80), lb.hostHeader, n),
			field("reason", "host mismatch"), field("ignored", n))
		writePage(w, http.StatusBadRequest, "Bad request", "This address only answers the sign-in redirect.")
		return
	}
	if r.URL.Path != lb.path {
		if n := lb.countOther(); n <= maxTracedIgnored {
			lb.tr.add(StepCallback, fmt.Sprintf("ignored %s %s (not the callback path)", cleanText(r.Method, 16), cleanText(r.URL.Path, 80)), field("reason", "other path"))
		}
		writePage(w, http.StatusNotFound, "Not found", "Nothing here.")
		return
	}
	if r.Method != http.MethodGet {
		if n := lb.countOther(); n <= maxTracedIgnored {
			lb.tr.add(StepCallback, fmt.Sprintf("ignored %s on the callback path", cleanText(r.Method, 16)), field("reason", "method not allowed"))
		}
		w.Header().Set("Allow", http.MethodGet)
		writePage(w, http.StatusMethodNotAllowed, "Method not allowed", "Use GET.")
		return
	}
	p, ok := parseCallback(r.URL.RawQuery)
	lb.mu.Lock()
	done := lb.done
	lb.mu.Unlock()
	if done {
		writePage(w, http.StatusGone, "Already finished", "This sign-in has already completed. You can close this window.")
		return
	}
	if !ok || p.State == "" || !equalConstantTime(p.State, lb.state) {
		reason := "wrong state"
		switch {
		case !ok:
			reason = "malformed or repeated parameters"
		case p.State == "":
			reason = "missing state"
		}
		n := lb.ignore()
		lb.traceIgnored(n, fmt.Sprintf("IGNORED a callback: %s (CSRF protection, RFC 6749 §10.12) — ignored %d forged callbacks", reason, n),
			field("reason", reason), field("ignored", n))
		writePage(w, http.StatusBadRequest, "Not accepted", "This request does not belong to the sign-in in progress.")
		return
	}
	if p.Code.IsZero() && p.Error == "" {
		n := lb.ignore()
		lb.traceIgnored(n, fmt.Sprintf("IGNORED a callback with the right state but neither code nor error — ignored %d forged callbacks", n),
			field("reason", "no code"), field("ignored", n))
		writePage(w, http.StatusBadRequest, "Not accepted", "The redirect carried no authorization code.")
		return
	}
	lb.mu.Lock()
	if lb.done {
		lb.mu.Unlock()
		writePage(w, http.StatusGone, "Already finished", "This sign-in has already completed. You can close this window.")
		return
	}
	lb.done = true
	lb.mu.Unlock()
	fields := []Field{field("state", "matches"), field("ignored_before", lb.forgedCount())}
	if p.HasIss {
		fields = append(fields, field("iss", cleanText(p.Iss, 200)))
	}
	if p.Error != "" {
		fields = append(fields, field("error", cleanText(p.Error, 64)), field("error_description", cleanText(p.ErrorDescription, maxDescriptionRunes)))
		lb.tr.add(StepCallback, "callback received with an error from the provider", fields...)
		writePage(w, http.StatusOK, "Sign-in not completed", "The provider returned an error. Return to PKCE Desk for details; you can close this window.")
	} else {
		fields = append(fields, secretField("code", p.Code))
		lb.tr.add(StepCallback, "callback received: authorization code with matching state", fields...)
		writePage(w, http.StatusOK, "Signed in", "You can close this window and return to PKCE Desk.")
	}
	lb.result <- p
}

// maxTracedIgnored bounds trace events for ignored requests: a local
// process hammering the port must not grow the trace without limit.
const maxTracedIgnored = 20

func (lb *loopback) ignore() int {
	lb.mu.Lock()
	defer lb.mu.Unlock()
	lb.forged++
	return lb.forged
}

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
		lb.tr.fail(StepCallback, msg, fields...)
	}
}

// wait blocks for the one valid callback, or ctx's end.
func (lb *loopback) wait(ctx context.Context) (callbackParams, error) {
	select {
	case p := <-lb.result:
		return p, nil
	case <-ctx.Done():
		return callbackParams{}, ctxErr(ctx)
	}
}

// ctxErr maps a finished context to ErrTimeout or ErrCanceled.
func ctxErr(ctx context.Context) error {
	if errors.Is(context.Cause(ctx), ErrTimeout) || errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return ErrTimeout
	}
	return ErrCanceled
}
