package auth

import (
	"maps"
	"sync"
	"time"
)

// Session is a signed-in user at one provider: its tokens, the verified
// ID-token claims, the checks that ran and the trace. All methods are safe
// for concurrent use.
type Session struct {
	c           *client
	ver         *idVerifier
	tr          *tracer
	onToken     func(TokenSet)
	openFn      Opener
	redirectURI string
	opts        LoginOptions
	grant       Grant

	mu     sync.Mutex
	tokens TokenSet
	claims *idClaims
	checks []Check
	ended  bool
	// rotatedKept is set by a refresh whose answer was rejected but whose
	// rotated refresh token was kept, so the caller announces it.
	rotatedKept bool
}

// Grant reports how this session's tokens were obtained: the Config.Grant
// it signed in with (GrantAuthorizationCode for ""; a restored session
// reports its profile's grant), or GrantTokenExchange for a session made by
// ExchangeToken.
func (s *Session) Grant() Grant { return s.grant }

// IssuedTokenType is the RFC 8693 issued_token_type of a session made by
// ExchangeToken ("urn:ietf:params:oauth:token-type:access_token", …), and
// "" for every other session.
func (s *Session) IssuedTokenType() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens.IssuedTokenType
}

// Token returns the current tokens (secrets stay wrapped).
func (s *Session) Token() TokenSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokens
}

// IDTokenClaims returns a copy of the verified ID-token claims (nil without an ID token).
func (s *Session) IDTokenClaims() map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.claims == nil {
		return nil
	}
	return maps.Clone(s.claims.All)
}

// Subject returns the verified sub, or "" for plain OAuth 2.0 sessions.
func (s *Session) Subject() string { return s.subject() }

func (s *Session) subject() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.claims == nil {
		return ""
	}
	return s.claims.Subject
}

// Checks returns the ID-token checks of the latest validation.
func (s *Session) Checks() []Check {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Check(nil), s.checks...)
}

// Trace returns every event so far (redacted unless Revealed is called on one).
func (s *Session) Trace() []Event { return s.tr.snapshot() }

// Metadata returns the resolved endpoints and provider metadata.
func (s *Session) Metadata() Metadata { return *s.c.meta }

// RedirectURI is the redirect URI used for this sign-in ("" after Restore).
func (s *Session) RedirectURI() string { return s.redirectURI }

// Ended reports whether the session was signed out or its refresh token
// was rejected; every token operation then returns ErrSessionEnded.
func (s *Session) Ended() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ended
}

// end marks the session signed out and drops its tokens; caller holds mu.
func (s *Session) endLocked() {
	s.ended = true
	s.tokens = TokenSet{}
}

// announce hands the current tokens to OnToken (outside the lock).
func (s *Session) announce() {
	if s.onToken == nil {
		return
	}
	s.onToken(s.Token())
}

// expiryLeeway refreshes a little before the access token really expires.
const expiryLeeway = 10 * time.Second

func (s *Session) validLocked() bool {
	if s.tokens.AccessToken.IsZero() {
		return false
	}
	return s.tokens.Expiry.IsZero() || s.c.now().Add(expiryLeeway).Before(s.tokens.Expiry)
}
