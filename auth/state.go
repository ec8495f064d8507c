package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
)

// randomToken returns 32 bytes from crypto/rand, base64url-encoded: enough
// entropy that state and nonce cannot be guessed (RFC 6749 §10.10).
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error (Go ≥ 1.24)
	return base64.RawURLEncoding.EncodeToString(b)
}

// equalConstantTime compares two protocol values without leaking timing.
func equalConstantTime(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
