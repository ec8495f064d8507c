package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

// TokenKind selects which token an operation acts on; the values are the
// RFC 7009 §2.1 / RFC 7662 §2.1 token_type_hint values.
type TokenKind string

// Token kinds.
const (
	AccessToken  TokenKind = "access_token"
	RefreshToken TokenKind = "refresh_token"
)

func (s *Session) tokenOf(kind TokenKind) (Secret, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ended {
		return Secret{}, ErrSessionEnded
	}
	switch kind {
	case AccessToken:
		return s.tokens.AccessToken, nil
	case RefreshToken:
		if s.tokens.RefreshToken.IsZero() {
			return Secret{}, ErrNoRefreshToken
		}
		return s.tokens.RefreshToken, nil
	}
	return Secret{}, fmt.Errorf("unknown token kind %q", kind)
}

// Revoke asks the provider to revoke one token (RFC 7009 §2.1) with
// token_type_hint and the profile's client authentication. HTTP 200 means
// revoked (or already invalid, §2.2). Without a revocation endpoint it
// returns ErrNotSupported. The session keeps its tokens; see SignOut.
func (s *Session) Revoke(ctx context.Context, kind TokenKind) error {
	ep := s.c.meta.RevocationEndpoint
	if ep == "" {
		return fmt.Errorf("revoke: %w (no revocation_endpoint)", ErrNotSupported)
	}
	tok, err := s.tokenOf(kind)
	if err != nil {
		return err
	}
	form := url.Values{"token": {tok.Reveal()}, "token_type_hint": {string(kind)}}
	s.tr.add(StepRevoke, KindRevokeRequest, "revoking the "+string(kind), field("endpoint", ep), secretField("token", tok), field("token_type_hint", string(kind)))
	status, h, body, err := s.c.postForm(ctx, ep, form, maxJSONBytes)
	if err != nil {
		s.tr.fail(StepRevoke, KindRevokeFailed, "revocation request failed: "+err.Error())
		return fmt.Errorf("revoke: %w", err)
	}
	if status != http.StatusOK {
		err := endpointError("revocation", status, h, body, s.c.secretsIn(form))
		s.tr.fail(StepRevoke, KindRevokeFailed, "revocation refused: "+err.Error(), field("status", status))
		return err
	}
	s.tr.add(StepRevoke, KindRevoked, string(kind)+" revoked", field("status", status))
	return nil
}

// SignOut ends the session: it revokes the refresh token (which also ends
// the access token at most providers) and the access token when the provider
// has a revocation endpoint, then drops all tokens from memory (security rule 25).
// The session is ended even if revocation fails; the error says so. Deleting
// kept secrets (keychain) is the caller's part.
func (s *Session) SignOut(ctx context.Context) error {
	var errs []error
	if s.c.meta.RevocationEndpoint != "" {
		if err := s.Revoke(ctx, RefreshToken); err != nil && !errors.Is(err, ErrNoRefreshToken) && !errors.Is(err, ErrSessionEnded) {
			errs = append(errs, err)
		}
		if err := s.Revoke(ctx, AccessToken); err != nil && !errors.Is(err, ErrSessionEnded) {
			errs = append(errs, err)
		}
	} else {
		s.tr.add(StepRevoke, KindSignedOut, "the provider has no revocation endpoint; forgetting the tokens locally")
	}
	s.mu.Lock()
	s.endLocked()
	s.mu.Unlock()
	s.tr.add(StepRevoke, KindSignedOut, "signed out: tokens dropped from memory")
	if len(errs) > 0 {
		return fmt.Errorf("signed out locally, but revocation at the provider failed: %w", errors.Join(errs...))
	}
	return nil
}

// endpointError turns a non-200 response into a *ProviderError when it
// carries an OAuth error body, else an *HTTPError.
func endpointError(endpoint string, status int, h http.Header, body []byte, known []string) error {
	if _, err := parseTokenResponse(endpoint, status, h, body, timeZero, known); err != nil {
		return err
	}
	return newHTTPError(endpoint, status, h, nil, known)
}
