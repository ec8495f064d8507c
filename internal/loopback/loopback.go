// Package loopback holds the one rule for which hosts never leave this
// computer: "localhost" and the loopback IP literals (127.0.0.0/8, ::1).
// RFC 8252 §8.3 and the "http only on loopback" rule are written against it.
package loopback

import (
	"net"
	"strings"
)

// IsHost reports whether host (a URL's Hostname: no port, no brackets) is
// "localhost" (any case) or a loopback IP literal.
func IsHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
