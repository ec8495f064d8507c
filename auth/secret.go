package auth

import (
	"encoding/json"
	"log/slog"
)

// redacted is what every formatting path prints in place of a secret value.
const redacted = "[redacted]"

// Secret holds a sensitive string: an access, refresh or ID token, an
// authorization code, a PKCE verifier or a client secret.
//
// Its String, GoString, Format-via-String, LogValue and MarshalJSON all print
// "[redacted]" (or "" when empty), so a Secret may be put in a log line, an
// error or a JSON document without leaking. The only way to get the value is
// the explicit Reveal method. The zero value is the empty secret.
type Secret struct {
	v string
}

// NewSecret wraps s. It never copies s anywhere else.
func NewSecret(s string) Secret { return Secret{v: s} }

// Reveal returns the secret value. Call it only where the value must leave
// the program: an HTTP request to the provider, the keychain, or a screen the
// user explicitly asked to reveal.
func (s Secret) Reveal() string { return s.v }

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.v == "" }

// String returns "[redacted]" for a non-empty secret and "" for an empty one.
func (s Secret) String() string {
	if s.v == "" {
		return ""
	}
	return redacted
}

// GoString redacts like String, so %#v does not leak either.
func (s Secret) GoString() string { return "auth.Secret(" + s.String() + ")" }

// LogValue makes log/slog print the redacted form.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON encodes the redacted form; the value never reaches JSON.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// MarshalText encodes the redacted form, for encoders that use TextMarshaler.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Mask returns a short recognisable form for screens: the first and last
// four characters of a long value ("eyJh…Xk9w"), or "••••" for short ones.
// It reveals at most 8 characters and never a whole value shorter than 24.
func (s Secret) Mask() string {
	if s.v == "" {
		return ""
	}
	if len(s.v) < 24 {
		return "••••"
	}
	return s.v[:4] + "…" + s.v[len(s.v)-4:]
}
