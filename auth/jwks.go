package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// asymmetricAlgs are the only ID-token signature algorithms accepted. HMAC
// algorithms are excluded so a token "signed" with the provider's public key
// as an HS256 secret can never verify; "none" is never accepted (security rule 18).
var asymmetricAlgs = []jose.SignatureAlgorithm{
	jose.RS256, jose.RS384, jose.RS512, jose.PS256, jose.PS384, jose.PS512,
	jose.ES256, jose.ES384, jose.ES512, jose.EdDSA,
}

// JWKSRefetchInterval is the minimum time between two JWKS fetches caused
// by an unknown kid (security rule 19).
const JWKSRefetchInterval = 30 * time.Second

// keySet is an oidc.KeySet over a remote JWKS with a body cap, a timeout
// (the client's) and a refetch throttle: an unknown kid triggers at most one
// refetch per JWKSRefetchInterval. go-oidc's RemoteKeySet has neither.
type keySet struct {
	url    string
	client *http.Client
	now    func() time.Time
	every  time.Duration

	mu          sync.Mutex
	keys        []jose.JSONWebKey
	issuers     map[string]string // kid -> the key's "issuer" member, if any
	fetched     bool
	lastRefetch time.Time // last fetch caused by an unknown kid
	fetches     int
}

// keySetKey is what a cached key set depends on: its URL and the trust
// (trustKey) of the client that fetches it.
type keySetKey struct{ url, trust string }

var keySets = struct {
	sync.Mutex
	m map[keySetKey]*keySet
}{m: map[keySetKey]*keySet{}}

// keySetFor returns the shared key set for a JWKS URL fetched with the
// client's trust (CA bundle), so the refetch throttle holds across sessions
// of the same provider while one profile's custom CA never decides which
// keys another profile accepts.
func keySetFor(url string, client *http.Client) *keySet {
	key := keySetKey{url: url, trust: trustKey(client)}
	keySets.Lock()
	defer keySets.Unlock()
	if ks, ok := keySets.m[key]; ok {
		return ks
	}
	ks := &keySet{url: url, client: client, now: time.Now, every: JWKSRefetchInterval}
	keySets.m[key] = ks
	return ks
}

// errUnknownKey means no key in the JWKS matches the token's kid.
var errUnknownKey = errors.New("no key in the provider's JWKS matches the token's key id")

// VerifySignature verifies a compact JWS with a key from the set, refetching
// the JWKS once (throttled) when the kid is unknown.
func (ks *keySet) VerifySignature(ctx context.Context, raw string) ([]byte, error) {
	jws, err := jose.ParseSigned(raw, asymmetricAlgs)
	if err != nil {
		return nil, fmt.Errorf("unsupported or malformed signature: %w", err)
	}
	if len(jws.Signatures) != 1 {
		return nil, errors.New("token must carry exactly one signature")
	}
	kid := jws.Signatures[0].Header.KeyID
	keys, err := ks.current(ctx, false)
	if err != nil {
		return nil, err
	}
	if payload, ok, err := verifyWith(jws, keys, kid); ok || err != nil {
		return payload, err
	}
	keys, err = ks.current(ctx, true)
	if err != nil {
		return nil, err
	}
	if payload, ok, err := verifyWith(jws, keys, kid); ok || err != nil {
		return payload, err
	}
	return nil, errUnknownKey
}

// keyIssuer returns the "issuer" member published with key kid, if any.
func (ks *keySet) keyIssuer(kid string) (string, bool) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	iss, ok := ks.issuers[kid]
	return iss, ok
}

// verifyWith tries the keys matching kid (all signing keys if kid is empty).
// ok=false with a nil error means no key matched and a refetch may help.
func verifyWith(jws *jose.JSONWebSignature, keys []jose.JSONWebKey, kid string) ([]byte, bool, error) {
	tried := false
	for _, k := range keys {
		if kid != "" && k.KeyID != kid {
			continue
		}
		if k.Use != "" && k.Use != "sig" {
			continue
		}
		tried = true
		if payload, err := jws.Verify(k.Key); err == nil {
			return payload, true, nil
		}
	}
	if tried && kid != "" {
		return nil, false, errors.New("the token's signature does not verify with the provider's key")
	}
	return nil, false, nil
}

// current returns the cached keys, fetching on first use, or when refresh is
// true (unknown kid) and no other unknown-kid refetch happened within the
// throttle interval.
func (ks *keySet) current(ctx context.Context, refresh bool) ([]jose.JSONWebKey, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if ks.fetched {
		if !refresh {
			return ks.keys, nil
		}
		if !ks.lastRefetch.IsZero() && ks.now().Sub(ks.lastRefetch) < ks.every {
			return nil, fmt.Errorf("%w; not refetching the JWKS yet (at most once per %s)", errUnknownKey, ks.every)
		}
		ks.lastRefetch = ks.now()
	}
	keys, issuers, err := fetchJWKS(ctx, ks.client, ks.url)
	ks.fetches++
	if err != nil {
		return nil, err
	}
	ks.keys, ks.issuers, ks.fetched = keys, issuers, true
	return keys, nil
}

// keysError means the provider's JWKS could not be loaded (network, HTTP
// status, size, format): the ID token's signature could not be checked at
// all, which is another story than a signature that does not verify.
type keysError struct{ err error }

func (e *keysError) Error() string { return e.err.Error() }
func (e *keysError) Unwrap() error { return e.err }

// fetchJWKS reads a JWK Set (RFC 7517 §5), keeping usable public keys and
// each key's non-standard "issuer" member (Entra publishes it). Every
// failure is a *keysError.
func fetchJWKS(ctx context.Context, client *http.Client, url string) ([]jose.JSONWebKey, map[string]string, error) {
	keys, issuers, err := fetchJWKSOnce(ctx, client, url)
	if err != nil {
		return nil, nil, &keysError{err: err}
	}
	return keys, issuers, nil
}

func fetchJWKSOnce(ctx context.Context, client *http.Client, url string) ([]jose.JSONWebKey, map[string]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("JWKS: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("JWKS: could not reach %s: %w", url, scrubURLError(err))
	}
	defer resp.Body.Close()
	body, err := readCapped(resp.Body, maxJWKSBytes)
	if err != nil {
		return nil, nil, fmt.Errorf("JWKS: reading %s: %w", url, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, nil, newHTTPError("JWKS", resp.StatusCode, resp.Header, body, nil)
	}
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(body, &set); err != nil {
		return nil, nil, fmt.Errorf("%w: JWKS at %s is not a valid key set: %v", ErrInvalidResponse, url, err)
	}
	var out []jose.JSONWebKey
	issuers := map[string]string{}
	for _, raw := range set.Keys {
		var k jose.JSONWebKey
		if err := k.UnmarshalJSON(raw); err != nil || !k.IsPublic() {
			continue // a key type we cannot use must not hide the others
		}
		var extra struct {
			Issuer string `json:"issuer"`
		}
		if json.Unmarshal(raw, &extra) == nil && extra.Issuer != "" && k.KeyID != "" {
			issuers[k.KeyID] = extra.Issuer
		}
		out = append(out, k)
	}
	return out, issuers, nil
}
