package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// errNotFound is returned for unknown or expired requests, codes and tokens.
var errNotFound = errors.New("demo: not found or expired")

// maxPending caps each in-memory table so a misbehaving client cannot grow
// the demo provider without bound; expired entries are swept first.
const maxPending = 10000

// storage is the demo provider's op.Storage: everything lives in memory and
// belongs to one Server, so two Servers never see each other's requests,
// tokens or keys. With a state writer (Options.StateDir) the refresh-token
// grants are also written to disk after every change, before the change is
// answered (see unlockAndPersist).
type storage struct {
	mu sync.Mutex

	// state writes the grants to the state file; nil keeps everything in
	// memory only.
	state *stateWriter
	// changed records, while mu is held, that refresh-token records changed
	// and must be written when mu is released.
	changed bool
	// version counts the snapshots taken for the state writer.
	version uint64

	now             func() time.Time
	key             *signingKey
	users           *userDirectory
	client          *demoClient
	service         *serviceClient // the confidential client (service.go); nil in some unit tests
	accessLifetime  time.Duration
	authRequests    map[string]*authRequest // by request id
	codes           map[string]string       // code → request id
	accessTokens    map[string]*accessToken // by jti
	refreshTokens   map[string]*refreshToken
	browserSessions map[string]browserSession // by session cookie value

	// Device authorization grant (device.go).
	devicePollInterval time.Duration
	devices            map[string]*deviceAuth // by device code
	userCodes          map[string]string      // normalized user code → device code
	wrongUserCodes     []time.Time            // when wrong user codes were typed, oldest first
}

// browserSession is a signed-in browser (the login page's cookie).
type browserSession struct {
	userID   string
	authTime time.Time
}

var (
	_ op.Storage                        = (*storage)(nil)
	_ op.CanSetUserinfoFromRequest      = (*storage)(nil)
	_ op.CanGetPrivateClaimsFromRequest = (*storage)(nil)
)

func newStorage(key *signingKey, users *userDirectory, client *demoClient, accessLifetime time.Duration) *storage {
	return &storage{
		now:             time.Now,
		key:             key,
		users:           users,
		client:          client,
		accessLifetime:  accessLifetime,
		authRequests:    map[string]*authRequest{},
		codes:           map[string]string{},
		accessTokens:    map[string]*accessToken{},
		refreshTokens:   map[string]*refreshToken{}, // by hashRefreshToken(value)
		browserSessions: map[string]browserSession{},

		devicePollInterval: DefaultDevicePollInterval,
		devices:            map[string]*deviceAuth{},
		userCodes:          map[string]string{},
	}
}

// randomID returns 32 random bytes, base64url encoded (256 bits: unguessable).
func randomID() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("demo: read random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// sweep drops expired entries. Callers hold s.mu.
func (s *storage) sweep(now time.Time) {
	for id, ar := range s.authRequests {
		if now.Sub(ar.createdAt) > authRequestLifetime {
			delete(s.authRequests, id)
			if ar.code != "" {
				delete(s.codes, ar.code)
			}
		}
	}
	for id, t := range s.accessTokens {
		if now.After(t.expiresAt.Add(time.Hour)) {
			delete(s.accessTokens, id)
		}
	}
	for id, t := range s.refreshTokens {
		if now.After(t.expiresAt) {
			delete(s.refreshTokens, id)
		}
	}
	s.sweepDevicesLocked(now)
}

// --- authorization requests (op.AuthStorage) ---

// CreateAuthRequest stores a validated authorization request. The authorize
// guard already enforced PKCE S256 and the redirect URI on the raw
// parameters; checkStorable enforces them again on the values op parsed,
// which are the values stored and later used, so a bypass of the guard
// cannot store plain PKCE or another redirect URI.
func (s *storage) CreateAuthRequest(_ context.Context, req *oidc.AuthRequest, userID string) (op.AuthRequest, error) {
	if err := checkStorable(req, s.client.id); err != nil {
		return nil, err
	}
	id, err := randomID()
	if err != nil {
		return nil, err
	}
	ar := &authRequest{
		id:            id,
		createdAt:     s.now(),
		clientID:      req.ClientID,
		redirectURI:   req.RedirectURI,
		scopes:        slices.Clone([]string(req.Scopes)),
		state:         req.State,
		nonce:         req.Nonce,
		responseType:  req.ResponseType,
		responseMode:  req.ResponseMode,
		prompt:        slices.Clone([]string(req.Prompt)),
		loginHint:     req.LoginHint,
		codeChallenge: &oidc.CodeChallenge{Challenge: req.CodeChallenge, Method: req.CodeChallengeMethod},
	}
	_ = userID // id_token_hint subject: the login page always asks who is signing in.
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(ar.createdAt)
	if len(s.authRequests) >= maxPending {
		return nil, oidc.ErrServerError().WithDescription("too many pending sign-ins; try again in a few minutes")
	}
	s.authRequests[id] = ar
	return ar.clone(), nil
}

// authRequest returns a copy of the pending request id, if it has not expired.
func (s *storage) authRequest(id string) (*authRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, ok := s.authRequests[id]
	if !ok || s.now().Sub(ar.createdAt) > authRequestLifetime {
		return nil, fmt.Errorf("authorization request: %w", errNotFound)
	}
	return ar.clone(), nil
}

// AuthRequestByID implements op.AuthStorage. A request standing for a
// device authorization is not op's: it is never found here.
func (s *storage) AuthRequestByID(_ context.Context, id string) (op.AuthRequest, error) {
	ar, err := s.authRequest(id)
	if err != nil {
		return nil, err
	}
	if ar.deviceCode != "" {
		return nil, fmt.Errorf("authorization request: %w", errNotFound)
	}
	return ar, nil
}

// AuthRequestByCode implements op.AuthStorage; a code is valid for codeLifetime.
func (s *storage) AuthRequestByCode(_ context.Context, code string) (op.AuthRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.codes[code]
	if !ok {
		return nil, fmt.Errorf("authorization code: %w", errNotFound)
	}
	ar, ok := s.authRequests[id]
	if !ok || ar.deviceCode != "" || s.now().Sub(ar.codeCreatedAt) > codeLifetime {
		return nil, fmt.Errorf("authorization code: %w", errNotFound)
	}
	return ar.clone(), nil
}

// SaveAuthCode implements op.AuthStorage.
func (s *storage) SaveAuthCode(_ context.Context, id, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, ok := s.authRequests[id]
	if !ok || ar.deviceCode != "" {
		return fmt.Errorf("authorization request: %w", errNotFound)
	}
	if ar.code != "" {
		delete(s.codes, ar.code)
	}
	ar.code = code
	ar.codeCreatedAt = s.now()
	s.codes[code] = id
	return nil
}

// DeleteAuthRequest implements op.AuthStorage; it also retires the code, so
// a code can be exchanged only once (RFC 6749 §4.1.2).
func (s *storage) DeleteAuthRequest(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ar, ok := s.authRequests[id]; ok && ar.code != "" {
		delete(s.codes, ar.code)
	}
	delete(s.authRequests, id)
	return nil
}

// completeLogin records who signed in for request id, in which browser session.
func (s *storage) completeLogin(id, userID, sessionID string, authTime time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, ok := s.authRequests[id]
	if !ok {
		return fmt.Errorf("authorization request: %w", errNotFound)
	}
	ar.userID, ar.sessionID, ar.authTime, ar.consented = userID, sessionID, authTime, false
	return nil
}

// grantConsent marks request id as allowed by the person.
func (s *storage) grantConsent(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, ok := s.authRequests[id]
	if !ok || ar.userID == "" || ar.deviceCode != "" {
		return fmt.Errorf("authorization request: %w", errNotFound)
	}
	ar.consented = true
	return nil
}

// --- browser sessions (the login page's cookie) ---

func (s *storage) createBrowserSession(userID string, at time.Time) (string, error) {
	id, err := randomID()
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.browserSessions) >= maxPending {
		clear(s.browserSessions)
	}
	s.browserSessions[id] = browserSession{userID: userID, authTime: at}
	return id, nil
}

func (s *storage) browserSession(id string) (browserSession, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.browserSessions[id]
	return b, ok
}

func (s *storage) endBrowserSession(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.browserSessions, id)
}

// --- tokens ---

// newAccessToken records a fresh access token. Callers hold s.mu.
func (s *storage) newAccessToken(clientID, subject string, scopes, audience []string, family string) (*accessToken, error) {
	id, err := randomID()
	if err != nil {
		return nil, err
	}
	t := &accessToken{
		id: id, clientID: clientID, subject: subject,
		scopes: slices.Clone(scopes), audience: slices.Clone(audience),
		expiresAt: s.now().Add(s.accessLifetime), family: family,
	}
	s.accessTokens[id] = t
	return t, nil
}

// CreateAccessToken implements op.AuthStorage for grants without a refresh token.
func (s *storage) CreateAccessToken(_ context.Context, req op.TokenRequest) (string, time.Time, error) {
	clientID := s.client.id
	switch r := req.(type) {
	case *authRequest:
		clientID = r.clientID
	case interface{ GetClientID() string }:
		// Client credentials, token exchange, device grant.
		clientID = r.GetClientID()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(s.now())
	if len(s.accessTokens) >= maxPending {
		return "", time.Time{}, oidc.ErrServerError().WithDescription("too many live tokens; try again later")
	}
	t, err := s.newAccessToken(clientID, req.GetSubject(), req.GetScopes(), req.GetAudience(), "")
	if err != nil {
		return "", time.Time{}, err
	}
	return t.id, t.expiresAt, nil
}

// CreateAccessAndRefreshTokens implements op.AuthStorage. With a current
// refresh token it rotates: the presented token is marked used in the same
// critical section that checks it, so two concurrent refreshes with one
// token cannot both succeed, and the old token never works again
// (RFC 9700 §4.14.2).
//
// With a StateDir the new grant state is on disk before the token is
// returned, so a token the client received survives a crash or restart.
func (s *storage) CreateAccessAndRefreshTokens(_ context.Context, req op.TokenRequest, current string) (string, string, time.Time, error) {
	now := s.now()
	s.mu.Lock()
	defer s.unlockAndPersist()
	s.sweep(now)
	if len(s.accessTokens) >= maxPending || len(s.refreshTokens) >= maxPending {
		return "", "", time.Time{}, oidc.ErrServerError().WithDescription("too many live tokens; try again later")
	}

	rt := &refreshToken{
		subject:   req.GetSubject(),
		scopes:    slices.Clone(req.GetScopes()),
		audience:  slices.Clone(req.GetAudience()),
		expiresAt: now.Add(refreshTokenLifetime),
	}
	switch r := req.(type) {
	case *authRequest:
		rt.clientID, rt.amr, rt.authTime = r.clientID, r.GetAMR(), r.authTime
	case *refreshTokenRequest:
		rt.clientID, rt.amr, rt.authTime = r.client, r.GetAMR(), r.auth
	case *op.DeviceAuthorizationState:
		rt.clientID, rt.amr, rt.authTime = r.ClientID, slices.Clone(r.AMR), r.AuthTime
	default:
		return "", "", time.Time{}, oidc.ErrUnsupportedGrantType()
	}

	var old *refreshToken
	if current != "" {
		var ok bool
		old, ok = s.refreshTokens[hashRefreshToken(current)]
		if !ok || !old.active(now) || old.clientID != rt.clientID {
			if ok && old.used {
				s.revokeFamily(old.family)
			}
			return "", "", time.Time{}, oidc.ErrInvalidGrant().WithDescription("the refresh token was already used, revoked or has expired; sign in again")
		}
		rt.family = old.family
	} else {
		family, err := randomID()
		if err != nil {
			return "", "", time.Time{}, err
		}
		rt.family = family
	}

	value, err := randomID()
	if err != nil {
		return "", "", time.Time{}, err
	}
	rt.hash = hashRefreshToken(value)
	at, err := s.newAccessToken(rt.clientID, rt.subject, rt.scopes, rt.audience, rt.family)
	if err != nil {
		return "", "", time.Time{}, err
	}
	if old != nil {
		old.used = true // only now: a failure above leaves the presented token usable
	}
	s.refreshTokens[rt.hash] = rt
	s.changed = true
	return at.id, value, at.expiresAt, nil
}

// TokenRequestByRefreshToken implements op.AuthStorage. A refresh token that
// was already rotated away is a sign of theft: its whole family is revoked
// (RFC 9700 §4.14.2) and the request fails with invalid_grant.
func (s *storage) TokenRequestByRefreshToken(_ context.Context, value string) (op.RefreshTokenRequest, error) {
	s.mu.Lock()
	defer s.unlockAndPersist()
	rt, ok := s.refreshTokens[hashRefreshToken(value)]
	if !ok {
		return nil, fmt.Errorf("refresh token: %w", errNotFound)
	}
	if rt.used {
		s.revokeFamily(rt.family)
		return nil, fmt.Errorf("refresh token was already used (rotated); its family is revoked: %w", errNotFound)
	}
	if !rt.active(s.now()) {
		return nil, fmt.Errorf("refresh token: %w", errNotFound)
	}
	return &refreshTokenRequest{
		client: rt.clientID, sub: rt.subject,
		scopes: slices.Clone(rt.scopes), aud: slices.Clone(rt.audience),
		amr: slices.Clone(rt.amr), auth: rt.authTime,
	}, nil
}

// revokeFamily revokes every refresh and access token of a family. Callers hold s.mu.
func (s *storage) revokeFamily(family string) {
	if family == "" {
		return
	}
	for _, rt := range s.refreshTokens {
		if rt.family == family && !rt.revoked {
			rt.revoked = true
			s.changed = true
		}
	}
	for _, at := range s.accessTokens {
		if at.family == family {
			at.revoked = true
		}
	}
}

// TerminateSession implements op.AuthStorage for RP-initiated logout: every
// token the user holds for the client is revoked and the user's browser
// sessions end.
func (s *storage) TerminateSession(_ context.Context, userID, clientID string) error {
	s.mu.Lock()
	defer s.unlockAndPersist()
	for _, rt := range s.refreshTokens {
		if rt.subject == userID && rt.clientID == clientID && !rt.revoked {
			rt.revoked = true
			s.changed = true
		}
	}
	for _, at := range s.accessTokens {
		if at.subject == userID && at.clientID == clientID {
			at.revoked = true
		}
	}
	for id, b := range s.browserSessions {
		if b.userID == userID {
			delete(s.browserSessions, id)
		}
	}
	return nil
}

// GetRefreshTokenInfo implements op.AuthStorage: a refresh token's id is the
// hash of its value, which op hands back to RevokeToken.
func (s *storage) GetRefreshTokenInfo(_ context.Context, clientID, value string) (string, string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt, ok := s.refreshTokens[hashRefreshToken(value)]
	if !ok {
		return "", "", op.ErrInvalidRefreshToken
	}
	return rt.subject, rt.hash, nil
}

// isRefreshToken reports whether value is a refresh token this provider
// issued (used or not), so the revocation endpoint can search it whatever
// the hint says.
func (s *storage) isRefreshToken(value string) bool {
	if value == "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.refreshTokens[hashRefreshToken(value)]
	return ok
}

// RevokeToken implements RFC 7009 §2.1: a refresh token revokes its whole
// family (and the access tokens issued from it); an access token only
// itself. Unknown tokens succeed silently (§2.2); tokens of another client
// are refused. tokenOrID is a refresh token's id from GetRefreshTokenInfo, an
// access token's jti, or — when op could not parse it, e.g. a refresh token
// sent with token_type_hint=access_token — the raw token.
func (s *storage) RevokeToken(_ context.Context, tokenOrID, _ string, clientID string) *oidc.Error {
	s.mu.Lock()
	defer s.unlockAndPersist()
	rt, ok := s.refreshTokens[hashRefreshToken(tokenOrID)]
	if !ok {
		rt, ok = s.refreshTokens[tokenOrID]
	}
	if ok {
		if rt.clientID != clientID {
			return oidc.ErrUnauthorizedClient().WithDescription("the token was issued to another client")
		}
		s.revokeFamily(rt.family)
		return nil
	}
	if at, ok := s.accessTokens[tokenOrID]; ok {
		if at.clientID != clientID {
			return oidc.ErrUnauthorizedClient().WithDescription("the token was issued to another client")
		}
		at.revoked = true
	}
	return nil
}

// activeAccessToken returns a copy of access token id if it exists, is not
// revoked and has not expired.
func (s *storage) activeAccessToken(id string) (accessToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.accessTokens[id]
	if !ok {
		return accessToken{}, fmt.Errorf("access token is unknown: %w", errNotFound)
	}
	if t.revoked {
		return accessToken{}, errTokenRevoked
	}
	if !s.now().Before(t.expiresAt) {
		return accessToken{}, errTokenExpired
	}
	c := *t
	c.scopes = slices.Clone(t.scopes)
	c.audience = slices.Clone(t.audience)
	return c, nil
}

var (
	errTokenRevoked = errors.New("the access token was revoked")
	errTokenExpired = errors.New("the access token has expired")
)

// --- keys ---

// SigningKey implements op.AuthStorage.
func (s *storage) SigningKey(context.Context) (op.SigningKey, error) { return s.key, nil }

// SignatureAlgorithms implements op.AuthStorage.
func (s *storage) SignatureAlgorithms(context.Context) ([]jose.SignatureAlgorithm, error) {
	return []jose.SignatureAlgorithm{jose.RS256}, nil
}

// KeySet implements op.AuthStorage: the public half of this Server's key.
func (s *storage) KeySet(context.Context) ([]op.Key, error) {
	return []op.Key{publicKey{s.key}}, nil
}

// --- clients (op.OPStorage) ---

// GetClientByClientID implements op.OPStorage: the public demo client and
// the confidential service client.
func (s *storage) GetClientByClientID(_ context.Context, clientID string) (op.Client, error) {
	if s.service != nil && clientID == s.service.id {
		return s.service, nil
	}
	if clientID != s.client.id {
		return nil, fmt.Errorf("client %q is not registered with the demo provider (use %q or %q)", safeClientID(clientID), s.client.id, ServiceClientID)
	}
	return s.client, nil
}

// safeClientID is clientID if it may be quoted back, else a placeholder.
func safeClientID(clientID string) string {
	if quotableValue(clientID) {
		return clientID
	}
	return "(unprintable)"
}

// AuthorizeClientIDSecret implements op.OPStorage. The demo client is public
// and has no secret: it authenticates with its id and an empty secret (HTTP
// Basic "pkce-desk-demo:"), which op requires for introspection. The service
// client needs its secret (compared in constant time).
func (s *storage) AuthorizeClientIDSecret(_ context.Context, clientID, secret string) error {
	if clientID == s.client.id && secret == "" {
		return nil
	}
	if s.service != nil && clientID == s.service.id && s.service.checkSecret(secret) {
		return nil
	}
	return errWrongClientSecret
}

// --- claims ---

// SetUserinfoFromScopes is deprecated in op; SetUserinfoFromRequest does the work.
func (s *storage) SetUserinfoFromScopes(context.Context, *oidc.UserInfo, string, string, []string) error {
	return nil
}

// SetUserinfoFromRequest fills the ID token's user claims (OIDC Core §5.4).
func (s *storage) SetUserinfoFromRequest(_ context.Context, info *oidc.UserInfo, req op.IDTokenRequest, scopes []string) error {
	return s.fillUserinfo(info, req.GetSubject(), scopes)
}

// SetUserinfoFromToken implements the UserInfo endpoint (OIDC Core §5.3):
// only for an active access token, with claims by the token's scopes.
func (s *storage) SetUserinfoFromToken(_ context.Context, info *oidc.UserInfo, tokenID, subject, _ string) error {
	t, err := s.activeAccessToken(tokenID)
	if err != nil {
		return oidc.ErrAccessDenied().WithDescription("%s", err.Error())
	}
	if t.subject != subject {
		return oidc.ErrAccessDenied().WithDescription("token subject mismatch")
	}
	if _, isUser := s.users.byID(subject); !isUser {
		return oidc.ErrAccessDenied().WithDescription("a service account token has no user info")
	}
	return s.fillUserinfo(info, subject, t.scopes)
}

// fillUserinfo sets sub, roles, and the profile/email claims the scopes allow.
func (s *storage) fillUserinfo(info *oidc.UserInfo, subject string, scopes []string) error {
	u, ok := s.users.byID(subject)
	if !ok {
		return fmt.Errorf("user %q: %w", subject, errNotFound)
	}
	info.Subject = u.ID
	if slices.Contains(scopes, oidc.ScopeProfile) {
		info.Name, info.GivenName, info.FamilyName = u.Name, u.GivenName, u.FamilyName
		info.PreferredUsername = u.Username
	}
	if slices.Contains(scopes, oidc.ScopeEmail) {
		info.Email, info.EmailVerified = u.Email, true
	}
	info.AppendClaims("roles", slices.Clone(u.Roles))
	return nil
}

// SetIntrospectionFromToken implements RFC 7662 §2.2 for access tokens: the
// response is active only for a live token issued to the asking client.
func (s *storage) SetIntrospectionFromToken(_ context.Context, resp *oidc.IntrospectionResponse, tokenID, subject, clientID string) error {
	t, err := s.activeAccessToken(tokenID)
	if err != nil {
		return err
	}
	if t.clientID != clientID || t.subject != subject {
		return errors.New("token belongs to another client")
	}
	if _, isUser := s.users.byID(subject); isUser {
		info := new(oidc.UserInfo)
		if err := s.fillUserinfo(info, subject, t.scopes); err != nil {
			return err
		}
		resp.SetUserInfo(info)
	} else {
		resp.Subject = subject // a service account: no user claims
	}
	resp.Scope = slices.Clone(t.scopes)
	resp.ClientID = t.clientID
	resp.TokenType = oidc.BearerToken
	resp.Expiration = oidc.FromTime(t.expiresAt)
	resp.Audience = slices.Clone(t.audience)
	resp.JWTID = t.id
	if u, ok := s.users.byID(subject); ok {
		resp.Username = u.Username
	}
	return nil
}

// GetPrivateClaimsFromScopes adds `scope` and `roles` to JWT access tokens.
func (s *storage) GetPrivateClaimsFromScopes(_ context.Context, userID, _ string, scopes []string) (map[string]any, error) {
	return s.accessTokenClaims(userID, scopes)
}

// GetPrivateClaimsFromRequest adds `scope` (all granted scopes, RFC 9068 §2.2.3)
// and `roles` to JWT access tokens.
func (s *storage) GetPrivateClaimsFromRequest(_ context.Context, req op.TokenRequest, _ []string) (map[string]any, error) {
	return s.accessTokenClaims(req.GetSubject(), req.GetScopes())
}

func (s *storage) accessTokenClaims(userID string, scopes []string) (map[string]any, error) {
	if s.service != nil && userID == s.service.id {
		// A service account's token: scopes, no roles.
		return map[string]any{"scope": strings.Join(scopes, " ")}, nil
	}
	u, ok := s.users.byID(userID)
	if !ok {
		return nil, fmt.Errorf("user %q: %w", userID, errNotFound)
	}
	return map[string]any{
		"scope": strings.Join(scopes, " "),
		"roles": slices.Clone(u.Roles),
	}, nil
}

// GetKeyByIDAndClientID implements op.OPStorage; JWT client assertions are not supported.
func (s *storage) GetKeyByIDAndClientID(context.Context, string, string) (*jose.JSONWebKey, error) {
	return nil, errors.New("the demo provider does not accept JWT client assertions")
}

// ValidateJWTProfileScopes implements op.OPStorage; the JWT profile grant is not supported.
func (s *storage) ValidateJWTProfileScopes(context.Context, string, []string) ([]string, error) {
	return nil, errors.New("the demo provider does not support the JWT profile grant")
}

// Health implements op.Storage; memory is always ready.
func (s *storage) Health(context.Context) error { return nil }
