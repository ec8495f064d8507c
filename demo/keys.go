package demo

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"

	jose "github.com/go-jose/go-jose/v4"
)

// signingKey is the provider's RSA key pair, generated fresh for every Server
// so that no two runs (and no two Servers in one process) share a key —
// unless Options.StateDir keeps it across runs (keyfile.go).
// It implements op.SigningKey (private half) and op.Key (public half).
type signingKey struct {
	id      string
	private *rsa.PrivateKey
}

// rsaKeyBits is the modulus size; 2048 is the minimum RFC 7518 §3.3 allows for RS256.
const rsaKeyBits = 2048

// newSigningKey generates an RS256 key with a random key id.
func newSigningKey() (*signingKey, error) {
	priv, err := rsa.GenerateKey(rand.Reader, rsaKeyBits)
	if err != nil {
		return nil, fmt.Errorf("demo: generate signing key: %w", err)
	}
	kid := make([]byte, 12)
	if _, err := rand.Read(kid); err != nil {
		return nil, fmt.Errorf("demo: generate key id: %w", err)
	}
	return &signingKey{id: base64.RawURLEncoding.EncodeToString(kid), private: priv}, nil
}

// SignatureAlgorithm implements op.SigningKey.
func (k *signingKey) SignatureAlgorithm() jose.SignatureAlgorithm { return jose.RS256 }

// Key implements op.SigningKey: the private key, used only for signing.
func (k *signingKey) Key() any { return k.private }

// ID implements op.SigningKey and op.Key.
func (k *signingKey) ID() string { return k.id }

// publicKey is the verification half published in the JWKS.
type publicKey struct{ k *signingKey }

// ID implements op.Key.
func (p publicKey) ID() string { return p.k.id }

// Algorithm implements op.Key.
func (p publicKey) Algorithm() jose.SignatureAlgorithm { return jose.RS256 }

// Use implements op.Key.
func (p publicKey) Use() string { return "sig" }

// Key implements op.Key: only the public key ever leaves this file.
func (p publicKey) Key() any { return &p.k.private.PublicKey }
