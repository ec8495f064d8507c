package auth

import "golang.org/x/oauth2"

// PKCEMethod is the only code challenge method the app sends (RFC 7636 §4.2);
// "plain" is never used.
const PKCEMethod = "S256"

// pkce is one attempt's verifier and challenge.
type pkce struct {
	verifier  Secret
	challenge string
}

// newPKCE makes a fresh verifier with oauth2.GenerateVerifier (32 random
// octets, 43 base64url characters, RFC 7636 §4.1) and its S256 challenge.
func newPKCE() pkce {
	v := oauth2.GenerateVerifier()
	return pkce{verifier: NewSecret(v), challenge: S256Challenge(v)}
}

// S256Challenge returns BASE64URL(SHA256(ASCII(verifier))) without padding
// (RFC 7636 §4.2).
func S256Challenge(verifier string) string {
	return oauth2.S256ChallengeFromVerifier(verifier)
}
