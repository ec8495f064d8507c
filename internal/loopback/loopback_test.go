package loopback

import "testing"

func TestIsHost(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LOCALHOST": true, "127.0.0.1": true, "127.9.8.7": true, "::1": true,
		"[::1]": false, "localhost.evil.example": false, "127.0.0.1.nip.io": false, "10.0.0.1": false,
		"::ffff:127.0.0.1": true, "0.0.0.0": false, "": false, "example.com": false,
	} {
		if got := IsHost(host); got != want {
			t.Errorf("IsHost(%q) = %v, want %v", host, got, want)
		}
	}
}
