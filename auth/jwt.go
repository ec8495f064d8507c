package auth

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
)

// maxJWTBytes caps tokens we decode; real ID tokens are a few KB.
const maxJWTBytes = 64 << 10

// decodedJWT is an UNVERIFIED view of a compact JWT, for display and for
// explaining which check failed. Never trust it for decisions on its own.
type decodedJWT struct {
	Header map[string]any
	Claims map[string]any
}

var errNotJWT = errors.New("not a compact JWT (expected three base64url parts)")

// decodeJWT splits and decodes a compact JWS without verifying it.
func decodeJWT(raw string) (*decodedJWT, error) {
	if len(raw) > maxJWTBytes {
		return nil, errors.New("token too large")
	}
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return nil, errNotJWT
	}
	var d decodedJWT
	if err := decodePart(parts[0], &d.Header); err != nil {
		return nil, errors.New("token header is not base64url JSON")
	}
	if err := decodePart(parts[1], &d.Claims); err != nil {
		return nil, errors.New("token payload is not base64url JSON")
	}
	if d.Header == nil || d.Claims == nil {
		return nil, errNotJWT
	}
	return &d, nil
}

func decodePart(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// DecodeClaims returns the claims of a compact JWT WITHOUT verifying it, for
// display only (the token viewer). It reports an error for opaque tokens.
func DecodeClaims(raw string) (map[string]any, error) {
	_, claims, err := DecodeJWT(raw)
	return claims, err
}

// DecodeJWT returns the header and claims of a compact JWT WITHOUT verifying
// it, for display only (the token viewer). It reports an error for opaque
// tokens and for tokens over 64 KiB.
func DecodeJWT(raw string) (header, claims map[string]any, err error) {
	d, err := decodeJWT(raw)
	if err != nil {
		return nil, nil, err
	}
	return d.Header, d.Claims, nil
}

func (d *decodedJWT) str(key string) string {
	s, _ := d.Claims[key].(string)
	return s
}

// aud returns the aud claim as a list (it may be a string or an array).
func (d *decodedJWT) aud() []string {
	switch v := d.Claims["aud"].(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, x := range v {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func (d *decodedJWT) num(key string) (float64, bool) {
	v, ok := d.Claims[key].(float64)
	return v, ok
}
