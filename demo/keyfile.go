package demo

import (
	"crypto/rsa"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"

	jose "github.com/go-jose/go-jose/v4"

	"pkcedesk/internal/atomicfile"
	"pkcedesk/internal/regularfile"
)

// maxKeyFileBytes caps reading the key file; a 2048- to 4096-bit private JWK
// is a few kilobytes.
const maxKeyFileBytes = 64 << 10

// maxKeyIDLen bounds the key id read from the file.
const maxKeyIDLen = 128

// loadOrCreateSigningKey returns the signing key kept in the state directory,
// so that tokens signed before a restart still verify after it. A missing
// file gets a fresh key, written atomically with mode 0600. A file that is not
// a usable RS256 private key (damaged, truncated, a public key, too short) is
// set aside as demo-key.json.corrupt and replaced by a fresh key: Start never
// fails because of the file's content, only when the directory cannot be read
// or written.
func loadOrCreateSigningKey(d *stateDir, log *slog.Logger) (*signingKey, error) {
	path := d.file(keyFileName)
	data, err := regularfile.Read(path, maxKeyFileBytes)
	switch {
	case err == nil:
		k, perr := parseSigningKey(data)
		if perr == nil {
			// A copy readable by others (after a backup restore, say) is
			// made the owner's again.
			if _, err := atomicfile.Tighten(path, atomicfile.FileMode); err != nil {
				return nil, fmt.Errorf("%w: %w", ErrStateDir, err)
			}
			return k, nil
		}
		aside, serr := setAside(path)
		if serr != nil {
			return nil, fmt.Errorf("%w: the signing key file is unusable (%w) and could not be moved away: %w", ErrStateDir, perr, serr)
		}
		log.Warn("demo: the signing key file was unusable; set it aside and made a new key (tokens signed with the old key no longer verify)",
			"file", path, "set_aside_as", aside, "reason", perr)
	case errors.Is(err, regularfile.ErrTooLarge):
		aside, serr := setAside(path)
		if serr != nil {
			return nil, fmt.Errorf("%w: %w, and it could not be moved away: %w", ErrStateDir, err, serr)
		}
		log.Warn("demo: the signing key file was too large; set it aside and made a new key", "file", path, "set_aside_as", aside)
	case errors.Is(err, fs.ErrNotExist):
	default:
		return nil, fmt.Errorf("%w: read the signing key: %w (fix its permissions or delete it)", ErrStateDir, err)
	}

	k, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	data, err = marshalSigningKey(k)
	if err != nil {
		return nil, err
	}
	if err := atomicfile.Write(path, data); err != nil {
		return nil, fmt.Errorf("%w: save the signing key: %w", ErrStateDir, err)
	}
	return k, nil
}

// marshalSigningKey encodes k as a private JWK (RFC 7517 §4, RFC 7518 §6.3.2).
func marshalSigningKey(k *signingKey) ([]byte, error) {
	jwk := jose.JSONWebKey{Key: k.private, KeyID: k.id, Algorithm: string(jose.RS256), Use: "sig"}
	data, err := jwk.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("demo: encode signing key: %w", err)
	}
	return data, nil
}

// parseSigningKey decodes a private JWK written by marshalSigningKey and
// accepts it only as an RS256 signing key: an RSA private key that passes
// its consistency checks, at least rsaKeyBits long, with a key id.
func parseSigningKey(data []byte) (*signingKey, error) {
	var jwk jose.JSONWebKey
	if err := jwk.UnmarshalJSON(data); err != nil {
		return nil, fmt.Errorf("not a JSON Web Key: %w", err)
	}
	priv, ok := jwk.Key.(*rsa.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("holds a %T, want an RSA private key", jwk.Key)
	}
	if err := priv.Validate(); err != nil {
		return nil, fmt.Errorf("RSA key fails its checks: %w", err)
	}
	if n := priv.N.BitLen(); n < rsaKeyBits {
		return nil, fmt.Errorf("RSA key has %d bits, want at least %d (RFC 7518 §3.3)", n, rsaKeyBits)
	}
	if jwk.Algorithm != string(jose.RS256) {
		return nil, fmt.Errorf("key algorithm %q, want RS256", jwk.Algorithm)
	}
	if jwk.KeyID == "" || len(jwk.KeyID) > maxKeyIDLen {
		return nil, fmt.Errorf("key id missing or longer than %d characters", maxKeyIDLen)
	}
	priv.Precompute()
	return &signingKey{id: jwk.KeyID, private: priv}, nil
}
