package apiclient

import (
	"crypto/tls"
	"net/http/httptrace"
	"sync"
	"time"
)

// Timings are the phases of a request in milliseconds, measured with
// net/http/httptrace. A phase is nil when it did not happen or could not be
// measured: no DNS for an IP literal, no DNS/connect/TLS on a reused
// connection, no TLS over plain http. Phases are those of the last request of
// a redirect chain; TotalMs covers the whole chain and reading the body.
type Timings struct {
	// DNSMs is the name lookup.
	DNSMs *float64 `json:"dnsMs,omitempty"`
	// ConnectMs is the TCP connect (the successful dial).
	ConnectMs *float64 `json:"connectMs,omitempty"`
	// TLSMs is the TLS handshake.
	TLSMs *float64 `json:"tlsMs,omitempty"`
	// TTFBMs is time to first byte: from the start of the last request
	// (getting a connection) to the first response byte.
	TTFBMs *float64 `json:"ttfbMs,omitempty"`
	// WaitMs is from the request being fully written to the first response
	// byte: roughly the server's processing time.
	WaitMs *float64 `json:"waitMs,omitempty"`
	// TotalMs is from Do being called to the body being read (or the error).
	TotalMs float64 `json:"totalMs"`
	// ReusedConn is true when the last request went over a kept-alive connection.
	ReusedConn bool `json:"reusedConn"`
	// TLSVersion is e.g. "TLS 1.3" when the connection used TLS.
	TLSVersion string `json:"tlsVersion,omitempty"`
}

// timer collects httptrace events. Callbacks may run on the transport's dial
// goroutines, so every field is guarded by mu.
type timer struct {
	mu                            sync.Mutex
	start                         time.Time
	hopStart                      time.Time
	dnsStart, connStart, tlsStart time.Time
	dns, conn, tls, ttfb, wait    *float64
	wrote                         time.Time
	reused                        bool
	tlsVersion                    string
}

func ms(d time.Duration) *float64 {
	v := float64(d) / float64(time.Millisecond)
	return &v
}

// trace returns the ClientTrace feeding this timer.
func (t *timer) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		GetConn: func(string) {
			t.mu.Lock()
			defer t.mu.Unlock()
			// A new request in the chain: forget the previous hop's phases.
			t.hopStart = time.Now()
			t.dns, t.conn, t.tls, t.ttfb, t.wait = nil, nil, nil, nil, nil
			t.wrote, t.reused, t.tlsVersion = time.Time{}, false, ""
		},
		DNSStart: func(httptrace.DNSStartInfo) {
			t.mu.Lock()
			t.dnsStart = time.Now()
			t.mu.Unlock()
		},
		DNSDone: func(httptrace.DNSDoneInfo) {
			t.mu.Lock()
			if !t.dnsStart.IsZero() {
				t.dns = ms(time.Since(t.dnsStart))
			}
			t.mu.Unlock()
		},
		ConnectStart: func(string, string) {
			t.mu.Lock()
			t.connStart = time.Now()
			t.mu.Unlock()
		},
		ConnectDone: func(_, _ string, err error) {
			t.mu.Lock()
			if err == nil && !t.connStart.IsZero() {
				t.conn = ms(time.Since(t.connStart))
			}
			t.mu.Unlock()
		},
		TLSHandshakeStart: func() {
			t.mu.Lock()
			t.tlsStart = time.Now()
			t.mu.Unlock()
		},
		TLSHandshakeDone: func(cs tls.ConnectionState, err error) {
			t.mu.Lock()
			if err == nil && !t.tlsStart.IsZero() {
				t.tls = ms(time.Since(t.tlsStart))
				t.tlsVersion = tls.VersionName(cs.Version)
			}
			t.mu.Unlock()
		},
		GotConn: func(info httptrace.GotConnInfo) {
			t.mu.Lock()
			t.reused = info.Reused
			if info.Reused {
				t.dns, t.conn, t.tls = nil, nil, nil
				if cs, ok := info.Conn.(interface{ ConnectionState() tls.ConnectionState }); ok {
					t.tlsVersion = tls.VersionName(cs.ConnectionState().Version)
				}
			}
			t.mu.Unlock()
		},
		WroteRequest: func(httptrace.WroteRequestInfo) {
			t.mu.Lock()
			t.wrote = time.Now()
			t.mu.Unlock()
		},
		GotFirstResponseByte: func() {
			t.mu.Lock()
			now := time.Now()
			if !t.hopStart.IsZero() {
				t.ttfb = ms(now.Sub(t.hopStart))
			}
			if !t.wrote.IsZero() {
				t.wait = ms(now.Sub(t.wrote))
			}
			t.mu.Unlock()
		},
	}
}

// result freezes the timings at end.
func (t *timer) result(end time.Time) Timings {
	t.mu.Lock()
	defer t.mu.Unlock()
	return Timings{
		DNSMs: t.dns, ConnectMs: t.conn, TLSMs: t.tls, TTFBMs: t.ttfb, WaitMs: t.wait,
		TotalMs:    *ms(end.Sub(t.start)),
		ReusedConn: t.reused,
		TLSVersion: t.tlsVersion,
	}
}
