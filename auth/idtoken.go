package auth

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"time"
)

// ClockLeeway is the tolerance for iat in the future and for an exp that
// passed moments ago: beyond it a token is rejected; within the window
// after exp the error says "check your clock".
const ClockLeeway = 5 * time.Minute

// Why each ID-token check matters (shown beside the check in the trace).
const (
	whyAlg       = "alg none or HMAC would let anyone who knows the public key forge tokens"
	whySignature = "only the provider's private key can produce this signature"
	whyIssuer    = "a token from another issuer could be replayed here (mix-up)"
	whyAudience  = "a token minted for another client must not sign you in here"
	whyExpiry    = "an expired token may have been stolen and replayed"
	whySub       = "sub is the stable user id; without it the token identifies nobody"
	whyIat       = "an issue time far in the future means a forged token or a wrong clock"
	whyNonce     = "the nonce binds the token to this sign-in attempt and stops replay"
	whyAzp       = "with several audiences, azp must name this client as the party it was issued to"
	whyAtHash    = "at_hash binds the access token to the ID token so neither can be swapped"
	whyTenant    = "a multi-tenant issuer is trusted only for the tenant named in the token"
	whySame      = "a refreshed ID token must describe the same user at the same provider"
)

// idClaims are the verified ID-token claims the session keeps.
type idClaims struct {
	Issuer   string
	Subject  string
	Audience []string
	Expiry   time.Time
	IssuedAt time.Time
	Nonce    string
	All      map[string]any
}

// idExpect is what a specific ID token must match.
type idExpect struct {
	nonce       string    // required equal when non-empty (sign-in)
	accessToken string    // at_hash is checked against it when present
	prev        *idClaims // on refresh: iss, sub, aud must stay the same (security rule 24)
	noNonce     string    // the grant sends no nonce: the checklist says so (a skipped item)
}

// idVerifier verifies ID tokens: go-oidc for signature, iss, aud and exp,
// then the checks go-oidc leaves out (OIDC Core §3.1.3.7).
type idVerifier struct {
	issuer   string // configured issuer
	template string // Entra {tenantid} template, if any
	clientID string
	algs     []string
	keys     *keySet
	tenants  []string
	now      func() time.Time
}

var guidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// signingAlgs keeps the provider's advertised asymmetric algorithms
// (default RS256); symmetric and none are dropped.
func signingAlgs(advertised []string) []string {
	var out []string
	for _, a := range advertised {
		for _, ok := range asymmetricAlgs {
			if string(ok) == a {
				out = append(out, a)
			}
		}
	}
	if len(out) == 0 {
		out = []string{"RS256"}
	}
	return out
}

// keyMatchesTenant applies Entra's rule for multi-tenant keys: a key whose
// JWKS entry names an issuer may sign only for that issuer, with {tenantid}
// standing for the token's tid (PROVIDERS.md quirk 1). Keys without an
// issuer member are not restricted.
func (v *idVerifier) keyMatchesTenant(d *decodedJWT, iss, tid string) bool {
	kid, _ := d.Header["kid"].(string)
	keyIss, ok := v.keys.keyIssuer(kid)
	if !ok {
		return true
	}
	return strings.Replace(keyIss, entraTenantIDToken, tid, 1) == iss
}

// verifiedPayload is an oidc.KeySet that vouches for exactly one token whose
// signature the engine's keySet has just verified.
type verifiedPayload struct {
	raw     string
	payload []byte
}

// VerifySignature returns the verified payload for that one token only.
func (p verifiedPayload) VerifySignature(_ context.Context, jwt string) ([]byte, error) {
	if jwt != p.raw {
		return nil, errors.New("token does not match the one verified")
	}
	return p.payload, nil
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
