package auth

import (
	"errors"
	"net"
	"strconv"
	"testing"
	"time"
)

func hasIPv6Loopback(t *testing.T) bool {
	t.Helper()
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

// A localhost redirect binds the port on both 127.0.0.1 and ::1, so no
// other local process can take [::1]:P for a browser that tries ::1 first.
func TestLocalhostRedirectBindsBothLoopbackAddresses(t *testing.T) {
	if !hasIPv6Loopback(t) {
		t.Skip("no IPv6 loopback here: 127.0.0.1 alone is all localhost can reach")
	}
	r, err := Redirect{Host: "localhost", AllowLocalhost: true}.normalize()
	if err != nil {
		t.Fatal(err)
	}
	lb, err := startLoopback(r, "state", newTracer(nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	port := strconv.Itoa(lb.ln.Addr().(*net.TCPAddr).Port)
	for _, host := range []string{"127.0.0.1", "::1"} {
		c, err := net.DialTimeout("tcp", net.JoinHostPort(host, port), 2*time.Second)
		if err != nil {
			t.Errorf("nothing of ours listens on [%s]:%s: %v", host, port, err)
			continue
		}
		c.Close()
	}
	if sq, err := net.Listen("tcp", net.JoinHostPort("::1", port)); err == nil {
		sq.Close()
		t.Fatalf("another process could bind [::1]:%s beside our localhost listener", port)
	}
	lb.close()
	for _, host := range []string{"127.0.0.1", "::1"} {
		if c, err := net.DialTimeout("tcp", net.JoinHostPort(host, port), time.Second); err == nil {
			c.Close()
			t.Errorf("[%s]:%s still open after close", host, port)
		}
	}
}

// With a fixed port already taken on ::1, a localhost sign-in refuses with
// a clear error instead of listening on 127.0.0.1 alone.
func TestLocalhostRedirectRefusesWhenIPv6PortIsTaken(t *testing.T) {
	if !hasIPv6Loopback(t) {
		t.Skip("no IPv6 loopback here")
	}
	squatter, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Fatal(err)
	}
	defer squatter.Close()
	port := squatter.Addr().(*net.TCPAddr).Port
	r, _ := Redirect{Host: "localhost", AllowLocalhost: true, Port: port}.normalize()
	lb, err := startLoopback(r, "state", newTracer(nil, nil))
	if err == nil {
		lb.close()
		t.Fatalf("localhost listener started while [::1]:%d belongs to another process", port)
	}
	var pe *PortInUseError
	if !errors.As(err, &pe) || pe.Port != port {
		t.Fatalf("err = %v, want *PortInUseError for %d", err, port)
	}
	// and 127.0.0.1:port was released again
	if ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port))); err != nil {
		t.Errorf("127.0.0.1:%d left bound after the refusal: %v", port, err)
	} else {
		ln.Close()
	}
}
