package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// refreshTokenLifetime bounds a refresh token chain's single link.
const refreshTokenLifetime = 24 * time.Hour

// accessToken is the storage's record of an issued JWT access token; the
// JWT's `jti` is its id. A token is usable only while the record exists, is
// not revoked and has not expired — the API checks all three.
type accessToken struct {
	id        string
	clientID  string
	subject   string
	scopes    []string
	audience  []string
	expiresAt time.Time
	// family is the refresh-token family the token came from ("" without one).
	family  string
	revoked bool
}

// active reports whether the token may still be used at now.
func (t *accessToken) active(now time.Time) bool {
	return !t.revoked && now.Before(t.expiresAt)
}

// refreshToken is one link of a rotating refresh-token chain (RFC 9700
// §4.14.2). The token itself is an opaque random value that only the client
// holds; the provider keeps just its SHA-256 hash (see hashRefreshToken), in
// memory and in the state file alike. After use a link is marked used;
// presenting a used token again revokes the whole family.
type refreshToken struct {
	hash string // hex SHA-256 of the token value; the record's key
	// family identifies the grant: every link rotated from one sign-in. It is
	// a random id of its own, never derived from a token value.
	family    string
	clientID  string
	subject   string
	scopes    []string
	audience  []string
	amr       []string
	authTime  time.Time
	expiresAt time.Time
	used      bool
	revoked   bool
}

// active reports whether the refresh token may still be exchanged at now.
func (t *refreshToken) active(now time.Time) bool {
	return !t.used && !t.revoked && now.Before(t.expiresAt)
}

// hashRefreshToken returns the hex SHA-256 of a refresh token value: the only
// form in which the provider remembers a refresh token. The value has 256
// random bits, so an unsalted hash cannot be reversed or guessed.
func hashRefreshToken(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])
}

// refreshTokenRequest implements op.RefreshTokenRequest for one exchange.
type refreshTokenRequest struct {
	client string
	sub    string
	scopes []string
	aud    []string
	amr    []string
	auth   time.Time
}

var _ op.RefreshTokenRequest = (*refreshTokenRequest)(nil)

func (r *refreshTokenRequest) GetAMR() []string            { return slices.Clone(r.amr) }
func (r *refreshTokenRequest) GetAudience() []string       { return slices.Clone(r.aud) }
func (r *refreshTokenRequest) GetAuthTime() time.Time      { return r.auth }
func (r *refreshTokenRequest) GetClientID() string         { return r.client }
func (r *refreshTokenRequest) GetScopes() []string         { return slices.Clone(r.scopes) }
func (r *refreshTokenRequest) GetSubject() string          { return r.sub }
func (r *refreshTokenRequest) SetCurrentScopes(s []string) { r.scopes = slices.Clone(s) }
