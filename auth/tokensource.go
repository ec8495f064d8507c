package auth

import (
	"context"

	"golang.org/x/oauth2"
)

// TokenSource returns the session's one oauth2.TokenSource (security rule 22): it
// returns the current access token while valid and otherwise refreshes. The
// session lock makes refresh single-flight: concurrent callers holding an
// expired token cause one refresh request and all get its result. After
// invalid_grant it returns ErrSessionEnded without contacting the provider.
func (s *Session) TokenSource() oauth2.TokenSource { return sessionTokenSource{s} }

type sessionTokenSource struct{ s *Session }

func (ts sessionTokenSource) Token() (*oauth2.Token, error) {
	t, err := ts.s.ValidToken(context.Background())
	if err != nil {
		return nil, err
	}
	return t.OAuth2(), nil
}

// ValidToken returns tokens whose access token is valid for at least a few
// more seconds, refreshing first if needed (single-flight).
func (s *Session) ValidToken(ctx context.Context) (TokenSet, error) {
	s.mu.Lock()
	if s.ended {
		s.mu.Unlock()
		return TokenSet{}, ErrSessionEnded
	}
	if s.validLocked() {
		t := s.tokens
		s.mu.Unlock()
		return t, nil
	}
	return s.refreshUnlock(ctx)
}
