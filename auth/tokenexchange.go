package auth

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Token type identifiers (RFC 8693 §3).
const (
	TokenTypeAccessToken  = "urn:ietf:params:oauth:token-type:access_token"
	TokenTypeRefreshToken = "urn:ietf:params:oauth:token-type:refresh_token"
	TokenTypeIDToken      = "urn:ietf:params:oauth:token-type:id_token"
	TokenTypeJWT          = "urn:ietf:params:oauth:token-type:jwt"
)

// ExchangeRequest is one RFC 8693 token exchange of a session's token.
type ExchangeRequest struct {
	// SubjectToken names which of the session's tokens is exchanged:
	// "access_token" (the default, "") or "id_token".
	SubjectToken string
	// Audience and Resource name where the new token is to be used
	// (RFC 8693 §2.1; each value is sent as its own parameter).
	Audience []string
	Resource []string
	// Scopes asked for the new token (none: the provider decides).
	Scopes []string
	// RequestedTokenType is a urn:ietf:params:oauth:token-type:* value, or
	// "" to let the provider choose.
	RequestedTokenType string
}

// ErrNoSubjectToken means the session has no token of the kind named in
// ExchangeRequest.SubjectToken.
var ErrNoSubjectToken = errors.New("the session has no such token to exchange")

// ExchangeToken trades one of s's tokens for a new one at the token
// endpoint (RFC 8693 §2.1) with the profile's client authentication, and
// returns a NEW session holding the issued token: its Grant is
// GrantTokenExchange, IssuedTokenType is the answer's issued_token_type, it
// has no ID-token claims (the issued token is for another audience), and
// its trace goes to opts.Trace (opts.Open is not used; opts.OnToken gets
// its tokens). A refresh token in the answer makes the new session
// refreshable; otherwise its Refresh returns ErrNoRefreshToken. s is not
// changed. The subject token is traced as a secret field. Errors are
// *ProviderError, *HTTPError, *CheckError, ErrCanceled, ErrNoSubjectToken
// or ErrSessionEnded.
func (s *Session) ExchangeToken(ctx context.Context, r ExchangeRequest, opts LoginOptions) (*Session, error) {
	tr := newTracer(opts.Trace, opts.Logger)
	if opts.Now != nil {
		tr.now = opts.Now
	}
	ns := &Session{c: s.c, tr: tr, onToken: opts.OnToken, opts: opts, grant: GrantTokenExchange}
	if err := ns.exchange(ctx, s, r); err != nil {
		if ctx.Err() != nil && !errors.Is(err, ErrCanceled) && !errors.Is(err, ErrTimeout) {
			err = fmt.Errorf("%w: %w", ctxErr(ctx), err)
		}
		tr.fail(StepError, KindError, err.Error())
		return nil, err
	}
	tr.add(StepDone, KindSignedIn, "exchanged token ready", field("issued_token_type", ns.IssuedTokenType()), field("grant", string(ns.grant)))
	ns.announce()
	return ns, nil
}

func (ns *Session) exchange(ctx context.Context, s *Session, r ExchangeRequest) error {
	s.mu.Lock()
	ended, cur := s.ended, s.tokens
	s.mu.Unlock()
	if ended {
		return ErrSessionEnded
	}
	var subject Secret
	var subjectType string
	switch r.SubjectToken {
	case "", "access_token":
		subject, subjectType = cur.AccessToken, TokenTypeAccessToken
	case "id_token":
		subject, subjectType = cur.IDToken, TokenTypeIDToken
	default:
		return fmt.Errorf("%w: subject token %q: choose access_token or id_token", ErrInvalidConfig, r.SubjectToken)
	}
	if subject.IsZero() {
		return fmt.Errorf("%w: this session has no %s", ErrNoSubjectToken, strings.TrimPrefix(subjectType, "urn:ietf:params:oauth:token-type:"))
	}
	if t := r.RequestedTokenType; t != "" && !strings.HasPrefix(t, "urn:") {
		return fmt.Errorf("%w: requested token type %q is not a URN such as %s", ErrInvalidConfig, t, TokenTypeAccessToken)
	}
	c, tr := ns.c, ns.tr
	form := url.Values{"grant_type": {string(GrantTokenExchange)}, "subject_token": {subject.Reveal()}, "subject_token_type": {subjectType}}
	fields := []Field{field("endpoint", c.meta.TokenEndpoint), field("grant_type", string(GrantTokenExchange)),
		secretField("subject_token", subject), field("subject_token_type", subjectType)}
	add := func(k string, vs ...string) {
		for _, v := range vs {
			if v = strings.TrimSpace(v); v != "" {
				form.Add(k, v)
				fields = append(fields, field(k, v))
			}
		}
	}
	add("audience", r.Audience...)
	add("resource", r.Resource...)
	if len(r.Scopes) > 0 {
		add("scope", strings.Join(r.Scopes, " "))
	}
	add("requested_token_type", r.RequestedTokenType)
	fields = append(fields, field("client_id", c.cfg.ClientID), field("client_auth", string(c.cfg.authMethod())))
	if !c.cfg.ClientSecret.IsZero() {
		fields = append(fields, secretField("client_secret", c.cfg.ClientSecret))
	}
	tr.add(StepExchange, KindTokenExchangeRequest, "POST to the token endpoint: token exchange (RFC 8693 §2.1)", fields...)
	status, h, body, err := c.postForm(ctx, c.meta.TokenEndpoint, form, maxTokenBytes)
	if err != nil {
		tr.fail(StepExchange, KindTokenRejected, "token exchange request failed: "+err.Error())
		return err
	}
	resp, err := parseTokenAnswer("token exchange", status, h, body, c.now(), c.secretsIn(form), true)
	if err != nil {
		tr.fail(StepExchange, KindTokenRejected, "token exchange answer rejected: "+err.Error(), field("status", status))
		return err
	}
	if resp.IssuedTokenType == "" {
		// RFC 8693 §2.2.1 requires it; say so, and read the token as an access token.
		resp.IssuedTokenType = TokenTypeAccessToken
		tr.add(StepExchange, KindRefreshNote, "the answer has no issued_token_type (RFC 8693 §2.2.1 requires one): treating the token as an access token")
	}
	fs := append(resp.traceFields(status), field("issued_token_type", resp.IssuedTokenType))
	tr.add(StepExchange, KindTokenExchanged, "token exchanged: "+resp.IssuedTokenType, fs...)
	if !resp.IDToken.IsZero() {
		tr.add(StepExchange, KindRefreshNote, "the answer carries an ID token beside the issued token, which is ignored: the issued token is the result")
		resp.IDToken = Secret{}
	}
	if resp.Scope != "" {
		tr.add(StepExchange, KindScopeGranted, "granted scope", field("scope", strings.ReplaceAll(resp.Scope, ",", " ")))
	}
	ns.mu.Lock()
	ns.tokens = resp.TokenSet
	ns.mu.Unlock()
	return nil
}
