package auth

import (
	"context"
	"fmt"
)

// Restore rebuilds a session from a kept refresh token ("keep me signed
// in"): discovery, then one refresh_token grant. A returned ID token gets
// the full checks (no nonce: none was sent). opts.Open is not used.
// invalid_grant yields ErrSessionEnded: delete the kept token and sign in.
// A client-credentials profile needs no refresh token: Restore gets a new
// token with the client's credentials.
func Restore(ctx context.Context, cfg Config, refreshToken Secret, opts LoginOptions) (*Session, error) {
	s, err := newSession(ctx, cfg, opts)
	if err != nil {
		if s != nil {
			s.tr.fail(StepError, KindError, err.Error())
		}
		return nil, err
	}
	if refreshToken.IsZero() && s.grant != GrantClientCredentials {
		return nil, ErrNoRefreshToken
	}
	s.mu.Lock()
	s.tokens.RefreshToken = refreshToken
	err = s.refreshLocked(ctx)
	kept := s.rotatedKept
	s.mu.Unlock()
	if err != nil {
		if kept {
			s.announce() // the kept refresh token must follow the rotation
		}
		s.tr.fail(StepError, KindError, err.Error())
		return nil, fmt.Errorf("restoring the session: %w", err)
	}
	s.tr.add(StepDone, KindRestored, "session restored from the kept refresh token", field("subject", s.subject()))
	s.announce()
	return s, nil
}
