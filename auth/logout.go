package auth

import (
	"fmt"
	"net/url"
)

// LogoutURL returns the RP-initiated logout URL (OpenID Connect RP-Initiated
// Logout 1.0 §2): end_session_endpoint with id_token_hint (when the session
// has an ID token), client_id and, if postLogout is non-empty,
// post_logout_redirect_uri. It returns ErrNotSupported without an
// end_session_endpoint. The URL contains the ID token: open it, never log it.
func (s *Session) LogoutURL(postLogout string) (string, error) {
	ep := s.c.meta.EndSessionEndpoint
	if ep == "" {
		return "", fmt.Errorf("logout: %w (no end_session_endpoint)", ErrNotSupported)
	}
	u, err := url.Parse(ep)
	if err != nil {
		return "", fmt.Errorf("%w: end_session_endpoint: %v", ErrInvalidResponse, err)
	}
	q := u.Query()
	s.mu.Lock()
	idt := s.tokens.IDToken
	s.mu.Unlock()
	fields := []Field{field("endpoint", ep), field("client_id", s.c.cfg.ClientID)}
	if !idt.IsZero() {
		q.Set("id_token_hint", idt.Reveal())
		fields = append(fields, secretField("id_token_hint", idt))
	}
	q.Set("client_id", s.c.cfg.ClientID)
	if postLogout != "" {
		q.Set("post_logout_redirect_uri", postLogout)
		fields = append(fields, field("post_logout_redirect_uri", postLogout))
	}
	u.RawQuery = q.Encode()
	s.tr.add(StepLogout, KindLogoutURL, "RP-initiated logout URL built", fields...)
	return u.String(), nil
}
