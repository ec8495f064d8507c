package demo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// Token exchange (RFC 8693) for the demo's two clients. op parses the
// request, authenticates the client (guardToken turns a form client_id
// into the HTTP Basic op wants) and verifies the subject token's signature,
// issuer and expiry; the rules below are this provider's:
//
//   - the subject token is an access token this Server issued and still
//     honours (not revoked, not expired: the storage record decides) or an
//     ID token it signed; refresh tokens and actor tokens are refused;
//   - the asking client is the one the subject token was issued to, or the
//     service client (a back end exchanging a token presented to it);
//   - scope never widens: a requested scope the subject token lacks is
//     invalid_scope naming what it has; no scope means the subject token's.
//     An ID token grants identity scopes only (openid, and profile or
//     email when it carries those claims): exchange the access token for
//     API scopes;
//   - the new token's audience is what the request named (guardToken), any
//     value; the demo API honours only its own (see acceptedAudience);
//   - requested_token_type access_token (the default; jwt gets an access
//     token, which is a JWT here, and says so in issued_token_type) or
//     id_token (for a person, not a service account); never refresh_token.

var _ op.TokenExchangeStorage = (*storage)(nil)

// identityScopes are what an ID token can vouch for.
var identityScopes = []string{oidc.ScopeOpenID, oidc.ScopeProfile, oidc.ScopeEmail}

// ValidateTokenExchangeRequest implements op.TokenExchangeStorage.
func (s *storage) ValidateTokenExchangeRequest(_ context.Context, req op.TokenExchangeRequest) error {
	clientID := req.GetClientID()
	if clientID != s.client.id && (s.service == nil || clientID != s.service.id) {
		return oidc.ErrUnauthorizedClient().WithDescription("this client may not exchange tokens")
	}
	if req.GetExchangeActor() != "" || req.GetExchangeActorTokenIDOrToken() != "" {
		return oidc.ErrInvalidRequest().WithDescription("the demo provider does not support delegation: send no actor_token")
	}

	var owner string     // the client the subject token was issued to
	var granted []string // the scopes it carries
	switch req.GetExchangeSubjectTokenType() {
	case oidc.AccessTokenType:
		t, err := s.activeAccessToken(req.GetExchangeSubjectTokenIDOrToken())
		if err != nil {
			return oidc.ErrInvalidRequest().WithDescription("the subject_token is not a live access token of this provider: %s", strings.TrimPrefix(err.Error(), "demo: "))
		}
		if t.subject != req.GetExchangeSubject() {
			return oidc.ErrInvalidRequest().WithDescription("the subject_token does not match its record")
		}
		owner, granted = t.clientID, t.scopes
	case oidc.IDTokenType:
		c, ok := idTokenFacts(req.GetExchangeSubjectTokenIDOrToken())
		if !ok || c.Subject != req.GetExchangeSubject() {
			return oidc.ErrInvalidRequest().WithDescription("the subject_token is not an ID token of this provider")
		}
		if _, isUser := s.users.byID(c.Subject); !isUser {
			return oidc.ErrInvalidRequest().WithDescription("the subject_token names no demo user")
		}
		owner = c.AuthorizedParty
		if owner == "" && len(c.Audience) > 0 {
			owner = c.Audience[0]
		}
		granted = []string{oidc.ScopeOpenID}
		if c.Name != "" || c.PreferredUsername != "" {
			granted = append(granted, oidc.ScopeProfile)
		}
		if c.Email != "" {
			granted = append(granted, oidc.ScopeEmail)
		}
	default:
		return oidc.ErrInvalidRequest().WithDescription("subject_token_type must be %s or %s", oidc.AccessTokenType, oidc.IDTokenType)
	}
	if owner != clientID && (s.service == nil || clientID != s.service.id) {
		return oidc.ErrInvalidGrant().WithDescription("the subject_token was issued to another client")
	}

	_, isUser := s.users.byID(req.GetExchangeSubject())
	switch req.GetRequestedTokenType() {
	case "", oidc.AccessTokenType, oidc.JWTTokenType:
		req.SetRequestedTokenType(oidc.AccessTokenType)
	case oidc.IDTokenType:
		if !isUser {
			return oidc.ErrInvalidRequest().WithDescription("a service account has no ID token: ask for an access token")
		}
	case oidc.RefreshTokenType:
		return oidc.ErrInvalidRequest().WithDescription("the demo provider issues access tokens and ID tokens by token exchange, not refresh tokens")
	default:
		return oidc.ErrInvalidRequest().WithDescription("requested_token_type is not supported")
	}

	asked := req.GetScopes()
	if len(asked) == 0 {
		req.SetCurrentScopes(slices.Clone(granted))
	} else {
		var wider []string
		for _, sc := range asked {
			if !slices.Contains(granted, sc) {
				wider = append(wider, sc)
			}
		}
		if len(wider) > 0 {
			why := "the subject_token was not granted " + strings.Join(safeList(wider), " ") +
				"; ask for at most: " + strings.Join(granted, " ")
			if req.GetExchangeSubjectTokenType() == oidc.IDTokenType {
				why += " (an ID token carries identity scopes only: exchange the access token for API scopes)"
			}
			return oidc.ErrInvalidScope().WithDescription("%s", why)
		}
		req.SetCurrentScopes(dedupe(asked))
	}
	for _, a := range req.GetAudience() {
		if !validAudience(a) {
			return oidc.ErrInvalidTarget().WithDescription("an audience value is empty, too long or not printable ASCII")
		}
	}
	if len(req.GetAudience()) == 0 {
		return oidc.ErrInvalidTarget().WithDescription("name the audience of the new token")
	}
	return nil
}

// CreateTokenExchangeRequest implements op.TokenExchangeStorage; nothing is
// kept beyond the access token record CreateAccessToken makes.
func (s *storage) CreateTokenExchangeRequest(context.Context, op.TokenExchangeRequest) error {
	return nil
}

// GetPrivateClaimsFromTokenExchangeRequest implements op.TokenExchangeStorage:
// the same `scope` and `roles` claims as every access token.
func (s *storage) GetPrivateClaimsFromTokenExchangeRequest(_ context.Context, req op.TokenExchangeRequest) (map[string]any, error) {
	return s.accessTokenClaims(req.GetSubject(), req.GetScopes())
}

// SetUserinfoFromTokenExchangeRequest implements op.TokenExchangeStorage for
// an exchanged ID token: the claims its scopes allow.
func (s *storage) SetUserinfoFromTokenExchangeRequest(_ context.Context, info *oidc.UserInfo, req op.TokenExchangeRequest) error {
	return s.fillUserinfo(info, req.GetSubject(), req.GetScopes())
}

// idTokenClaimsSeen are the ID token claims the exchange rules read.
type idTokenClaimsSeen struct {
	Subject           string        `json:"sub"`
	Audience          oidc.Audience `json:"aud"`
	AuthorizedParty   string        `json:"azp"`
	Name              string        `json:"name"`
	PreferredUsername string        `json:"preferred_username"`
	Email             string        `json:"email"`
}

// idTokenFacts reads the payload of an ID token op has already verified
// (signature, issuer, expiry).
func idTokenFacts(raw string) (idTokenClaimsSeen, bool) {
	var c idTokenClaimsSeen
	parts := strings.Split(raw, ".")
	if len(parts) != 3 {
		return c, false
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil || json.Unmarshal(b, &c) != nil {
		return c, false
	}
	return c, c.Subject != ""
}
