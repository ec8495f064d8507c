package store

import "fmt"

// SecretKind names which secret of a profile is meant.
type SecretKind string

// Secret kinds.
const (
	// ClientSecret is the OAuth client secret (RFC 6749 §2.3.1).
	ClientSecret SecretKind = "client_secret"
	// RefreshToken is a refresh token the user chose to keep (RFC 6749 §1.5).
	RefreshToken SecretKind = "refresh_token"
)

// SecretKinds lists every kind, for DeleteAll.
var SecretKinds = []SecretKind{ClientSecret, RefreshToken}

// Secrets stores per-profile secrets. Implementations never put a secret
// value into an error, a log line or a file of their own.
type Secrets interface {
	// Set stores value, replacing any earlier value of that kind
	// (a rotated refresh token replaces the old one at once).
	Set(profileID string, kind SecretKind, value string) error
	// Get returns the stored value, or an error wrapping ErrNotFound.
	Get(profileID string, kind SecretKind) (string, error)
	// Delete removes the value; deleting a missing value is not an error.
	Delete(profileID string, kind SecretKind) error
	// DeleteAll removes every kind of secret for the profile.
	DeleteAll(profileID string) error
	// Persistent reports whether values survive the app quitting (true for
	// the OS keychain, false for memory only).
	Persistent() bool
}

// checkSecretKey validates the (profile, kind) pair used as a key.
func checkSecretKey(profileID string, kind SecretKind) error {
	if !validID(profileID) {
		return fmt.Errorf("secret key: profile ID %q is not valid", profileID)
	}
	switch kind {
	case ClientSecret, RefreshToken:
		return nil
	}
	return fmt.Errorf("secret key: unknown secret kind %q", string(kind))
}
