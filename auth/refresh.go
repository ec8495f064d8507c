package auth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
)

// ErrNoRefreshToken means the session has no refresh token (ask for
// offline_access, or sign in again when the access token expires).
var ErrNoRefreshToken = errors.New("no refresh token for this session; sign in again (some providers issue one only with the offline_access scope)")

// Refresh forces a refresh_token grant now (RFC 6749 §6), whatever the
// access token's expiry; a client-credentials session asks for a new token
// with its client credentials instead. It shares the token source's lock, so it never
// runs beside another refresh. See refreshLocked for the rules applied.
func (s *Session) Refresh(ctx context.Context) (TokenSet, error) {
	s.mu.Lock()
	return s.refreshUnlock(ctx)
}

// refreshUnlock refreshes with s.mu held, releases it, and announces the
// new tokens — or, after a rejected answer, the rotated refresh token that
// was kept (RefreshRejectedError), so a kept session's keychain follows.
func (s *Session) refreshUnlock(ctx context.Context) (TokenSet, error) {
	err := s.refreshLocked(ctx)
	t, kept := s.tokens, s.rotatedKept
	s.mu.Unlock()
	if err != nil {
		if kept {
			s.announce()
		}
		return TokenSet{}, err
	}
	s.announce()
	return t, nil
}

// RefreshRejectedError means the provider answered a refresh but the answer
// failed a check (its ID token changed iss, sub or aud, or did not verify).
// The new access and ID tokens were not used; the session keeps its previous
// ones. A rotated refresh token is kept all the same (KeptRotated): the
// provider has already retired the old one, so dropping it would leave the
// session with no way back but a new sign-in.
type RefreshRejectedError struct {
	// Err is the failed check (*CheckError).
	Err error
	// KeptRotated is true when the answer's new refresh token replaced the old.
	KeptRotated bool
}

// Error says what was rejected and what was kept.
func (e *RefreshRejectedError) Error() string {
	s := "refresh: the provider's answer was rejected: " + e.Err.Error() + "; the access and ID tokens were not replaced"
	if e.KeptRotated {
		s += " — its new refresh token is kept (the provider has already retired the old one), so you can refresh again or sign out"
	}
	return s
}

// Unwrap returns the failed check.
func (e *RefreshRejectedError) Unwrap() error { return e.Err }

// rejectRefreshLocked keeps what can be kept of a refresh answer that
// failed a check: only a rotated refresh token. The caller holds s.mu and
// announces the kept token (so a kept session's keychain entry follows).
func (s *Session) rejectRefreshLocked(old Secret, resp *tokenResponse, err error) error {
	rerr := &RefreshRejectedError{Err: err}
	if nt := resp.RefreshToken; !nt.IsZero() && nt.Reveal() != old.Reveal() {
		s.tokens.RefreshToken = nt
		rerr.KeptRotated, s.rotatedKept = true, true
		s.tr.fail(StepRefresh, KindRefreshFailed, "refresh answer rejected: the new access and ID tokens are discarded, the rotated refresh token is kept so the session can recover",
			secretField("refresh_token", nt))
	} else {
		s.tr.fail(StepRefresh, KindRefreshFailed, "refresh answer rejected: the new access and ID tokens are discarded; the session keeps its previous tokens")
	}
	return rerr
}

// refreshLocked sends one refresh request; the caller holds s.mu.
//   - invalid_grant ends the session (ErrSessionEnded), with no retry (security rule 23);
//   - a new refresh token replaces the old one at once; none keeps the old (security rule 22);
//   - a new ID token must keep iss, sub and aud (security rule 24, OIDC Core §12.2).
func (s *Session) refreshLocked(ctx context.Context) error {
	if s.ended {
		return ErrSessionEnded
	}
	if s.grant == GrantClientCredentials {
		return s.clientCredentialsLocked(ctx, true)
	}
	s.rotatedKept = false
	old := s.tokens.RefreshToken
	if old.IsZero() {
		return ErrNoRefreshToken
	}
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {old.Reveal()}}
	s.tr.add(StepRefresh, KindRefreshRequest, "asking for new tokens with the refresh_token grant", field("endpoint", s.c.meta.TokenEndpoint), secretField("refresh_token", old),
		field("client_auth", string(s.c.cfg.authMethod())))
	status, h, body, err := s.c.postForm(ctx, s.c.meta.TokenEndpoint, form, maxTokenBytes)
	if err != nil {
		s.tr.fail(StepRefresh, KindRefreshFailed, "refresh request failed: "+err.Error())
		return fmt.Errorf("refresh: %w", err)
	}
	resp, err := parseTokenResponse("refresh", status, h, body, s.c.now(), s.c.secretsIn(form))
	if err != nil {
		var pe *ProviderError
		if errors.As(err, &pe) && pe.Code == "invalid_grant" {
			s.endLocked()
			s.tr.fail(StepRefresh, KindSessionEnded, "the provider rejected the refresh token (invalid_grant): signed out", field("status", status))
			return fmt.Errorf("%w: %w", ErrSessionEnded, pe)
		}
		s.tr.fail(StepRefresh, KindRefreshFailed, "refresh response rejected: "+err.Error(), field("status", status))
		return fmt.Errorf("refresh: %w", err)
	}
	s.tr.add(StepRefresh, KindRefreshResponse, "refresh response accepted", resp.traceFields(status)...)
	if !resp.IDToken.IsZero() {
		if s.ver == nil {
			s.tr.add(StepRefresh, KindRefreshNote, "refresh response has an id_token but openid was not requested; ignoring it")
			resp.IDToken = Secret{}
		} else {
			claims, checks, err := s.ver.verify(ctx, resp.IDToken.Reveal(), idExpect{accessToken: resp.AccessToken.Reveal(), prev: s.claims}, s.tr)
			s.checks = checks
			if err != nil {
				return s.rejectRefreshLocked(old, resp, err)
			}
			s.claims = claims
		}
	} else {
		resp.IDToken = s.tokens.IDToken
	}
	if resp.RefreshToken.IsZero() {
		resp.RefreshToken = old
		s.tr.add(StepRefresh, KindRefreshNote, "no new refresh token: keeping the current one")
	} else if resp.RefreshToken.Reveal() != old.Reveal() {
		s.tr.add(StepRefresh, KindRefreshNote, "refresh token rotated: the new one replaces the old at once")
	}
	if resp.Scope == "" {
		resp.Scope = s.tokens.Scope
	}
	resp.IssuedTokenType = s.tokens.IssuedTokenType
	s.tokens = resp.TokenSet
	return nil
}
