package demo

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
)

// listen opens the provider's listener on addr (already checked to be a
// loopback host:port). When addr asks for an ephemeral port (port 0) and a
// port is remembered from the last run (preferredPort > 0), that port is tried
// first on the same host, so the issuer URL clients know stays valid; if it
// cannot be had (another program took it), an ephemeral port is used and the
// new issuer is what Start reports. An explicit port in addr is used as is.
func listen(ctx context.Context, addr string, preferredPort int, log *slog.Logger) (net.Listener, error) {
	var lc net.ListenConfig
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("demo: address %q is not host:port: %w", addr, err)
	}
	if port == "0" && preferredPort > 0 && preferredPort <= 65535 {
		want := net.JoinHostPort(host, strconv.Itoa(preferredPort))
		ln, err := lc.Listen(ctx, "tcp", want)
		if err == nil {
			return ln, nil
		}
		log.Info("demo: the port of the last run is taken; using a new port, so the issuer changes", "port", preferredPort, "err", err)
	}
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("demo: listen on %s: %w (pick another port or use 127.0.0.1:0)", addr, err)
	}
	return ln, nil
}

// listenerPort returns the TCP port ln listens on.
func listenerPort(ln net.Listener) int {
	if a, ok := ln.Addr().(*net.TCPAddr); ok {
		return a.Port
	}
	return 0
}
