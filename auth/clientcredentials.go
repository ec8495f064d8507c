package auth

// The client credentials grant (RFC 6749 §4.4), written here rather than
// with golang.org/x/oauth2/clientcredentials: that package parses the token
// answer itself (no Bearer check, no capped and redacted error text), traces
// nothing, and with its default auth style sends a failed request twice
// (security rule 15). The request is one form POST, like the code exchange.

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// loginClientCredentials gets the session's first token: no browser, no
// listener, no user (so no ID token).
func (s *Session) loginClientCredentials(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.clientCredentialsLocked(ctx, false)
}

// clientCredentialsLocked sends one client_credentials grant with the
// profile's scope and extra parameters (audience, resource) and stores the
// answer; renew says it replaces an expiring token (Refresh, TokenSource).
// The caller holds s.mu.
//   - a refresh_token in the answer is dropped and the trace says so: RFC 6749
//     §4.4.3 says none should be issued, and a new token comes from the
//     client's own credentials anyway;
//   - an id_token is dropped with a note: there is no user to identify.
func (s *Session) clientCredentialsLocked(ctx context.Context, renew bool) error {
	if s.ended {
		return ErrSessionEnded
	}
	c, tr := s.c, s.tr
	form := url.Values{"grant_type": {"client_credentials"}}
	fields := []Field{field("endpoint", c.meta.TokenEndpoint), field("grant_type", "client_credentials"),
		field("client_id", c.cfg.ClientID), field("client_auth", string(c.cfg.authMethod()))}
	fields = c.grantForm(form, fields)
	reqStep, respStep, respKind, failKind := StepTokenRequest, StepTokenResponse, KindTokenResponse, KindTokenRejected
	msg := "POST to the token endpoint with the client's own credentials (client_credentials, RFC 6749 §4.4)"
	if renew {
		reqStep, respStep, respKind, failKind = StepRefresh, StepRefresh, KindRefreshResponse, KindRefreshFailed
		msg = "asking for a new token with the client_credentials grant (a service account has no refresh token)"
	}
	tr.add(reqStep, KindClientCredentialsRequest, msg, fields...)
	status, h, body, err := c.postFormRepeatable(ctx, c.meta.TokenEndpoint, form, maxTokenBytes)
	if err != nil {
		tr.fail(respStep, failKind, "client credentials request failed: "+err.Error())
		if ctx.Err() != nil {
			return fmt.Errorf("%w: %w", ctxErr(ctx), err)
		}
		return err
	}
	resp, err := parseTokenResponse("token", status, h, body, c.now(), c.secretsIn(form))
	if err != nil {
		tr.fail(respStep, failKind, "token response rejected: "+err.Error(), field("status", status))
		return err
	}
	tr.add(respStep, respKind, "token response accepted", resp.traceFields(status)...)
	if !resp.RefreshToken.IsZero() {
		tr.add(respStep, KindRefreshNote, "the answer carries a refresh token, which is ignored: a client-credentials session gets each new token with its own credentials (RFC 6749 §4.4.3 says none should be issued)",
			field("ignored", "refresh_token"))
		resp.RefreshToken = Secret{}
	}
	if !resp.IDToken.IsZero() {
		tr.add(respStep, KindRefreshNote, "the answer carries an ID token, which is ignored: the client credentials grant signs in no user")
		resp.IDToken = Secret{}
	}
	if resp.Scope != "" {
		tr.add(respStep, KindScopeGranted, "granted scope", field("scope", strings.ReplaceAll(resp.Scope, ",", " ")))
	} else if renew {
		resp.Scope = s.tokens.Scope
	}
	s.tokens = resp.TokenSet
	return nil
}
