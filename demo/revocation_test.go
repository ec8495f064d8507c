package demo

import (
	"testing"

	"pkcedesk/internal/browserbot"
)

// A refresh token sent with token_type_hint=access_token is revoked all the
// same (RFC 7009 §2.1). The case op gets wrong — a value that decrypts to an
// "id:subject" shape on its access-token path — is built on purpose here, so
// the test does not depend on a 1-in-20 accident of random bytes.
func TestRefreshTokenRevokedUnderTheWrongHint(t *testing.T) {
	s := startServer(t, Options{})
	f := signIn(t, s, browserbot.New(browserbot.Options{}))
	crafted, err := s.provider.Crypto().Encrypt("made-up-id:made-up-subject")
	if err != nil {
		t.Fatal(err)
	}
	// Re-key the real grant's refresh token under the crafted value.
	s.storage.mu.Lock()
	rt := s.storage.refreshTokens[hashRefreshToken(f.token.RefreshToken)]
	if rt == nil {
		s.storage.mu.Unlock()
		t.Fatal("the sign-in's refresh token is not in storage")
	}
	delete(s.storage.refreshTokens, rt.hash)
	rt.hash = hashRefreshToken(crafted)
	s.storage.refreshTokens[rt.hash] = rt
	s.storage.mu.Unlock()

	if st := revoke(t, s, crafted, "access_token"); st != 200 {
		t.Fatalf("revoke: status %d", st)
	}
	if _, err := refresh(t, f, crafted); err == nil {
		t.Fatal("a refresh token revoked under the access_token hint still works")
	}
}
