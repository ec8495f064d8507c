package store

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
)

// newID returns a fresh random profile or history entry ID: a prefix and 24
// hex digits (96 random bits). IDs never contain "/", so they are safe inside
// keychain account names ("<profileID>/<kind>").
func newID(prefix string) string {
	return prefix + randomHex(12)
}

// validID reports whether id is non-empty and made only of letters, digits,
// "-" and "_" (what newID and the built-in demo ID produce).
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	return strings.IndexFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) < 0
}

// randomHex returns 2n lower-case hex digits from crypto/rand.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24).
	return hex.EncodeToString(b)
}
