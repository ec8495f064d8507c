package auth

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
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
	prev        *idClaims // on refresh: iss, sub, aud must stay the same (SECURITY 24)
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

// verify runs every check, reports each to tr, and returns the claims or the
// first failure as a *CheckError.
func (v *idVerifier) verify(ctx context.Context, raw string, exp idExpect, tr *tracer) (*idClaims, []Check, error) {
	var checks []Check
	var firstErr error
	record := func(name string, passed bool, detail, why string, cause error) {
		c := Check{Name: name, Passed: passed, Detail: detail, Why: why}
		checks = append(checks, c)
		tr.check(StepIDToken, c)
		if !passed && firstErr == nil {
			if cause == nil {
				cause = ErrInvalidResponse
			}
			firstErr = &CheckError{Check: name, Detail: detail, Err: cause}
		}
	}
	now := v.now()

	d, err := decodeJWT(raw)
	if err != nil {
		record("format", false, "the ID token is not a JWT: "+err.Error(), whySignature, nil)
		return nil, checks, firstErr
	}
	alg, _ := d.Header["alg"].(string)
	if !slices.Contains(v.algs, alg) {
		detail := fmt.Sprintf("alg %q is not allowed (allowed: %s)", cleanText(alg, 20), strings.Join(v.algs, ", "))
		record("signature algorithm", false, detail, whyAlg, nil)
		return nil, checks, firstErr
	}
	record("signature algorithm", true, "alg "+alg, whyAlg, nil)

	payload, err := v.keys.VerifySignature(ctx, raw)
	if err != nil {
		detail := "the signature does not verify with the provider's keys"
		if errors.Is(err, errUnknownKey) {
			detail = "no key in the provider's JWKS matches the token's kid (" + err.Error() + ")"
		} else if _, ok := errors.AsType[*HTTPError](err); ok || strings.HasPrefix(err.Error(), "JWKS") {
			detail = "could not load the provider's keys: " + err.Error()
		}
		record("signature", false, detail, whySignature, nil)
		return nil, checks, firstErr
	}
	record("signature", true, "verified with the provider's JWKS", whySignature, nil)

	oidcIssuer := v.issuer
	if v.template != "" {
		oidcIssuer = v.template
	}
	// go-oidc re-checks iss, aud and exp on the payload verified above; the
	// wrapper hands it that payload so the signature is not verified twice.
	ver := oidc.NewVerifier(oidcIssuer, verifiedPayload{raw: raw, payload: payload}, &oidc.Config{
		ClientID:             v.clientID,
		SupportedSigningAlgs: v.algs,
		SkipIssuerCheck:      v.template != "",
		Now:                  v.now,
	})
	tok, err := ver.Verify(ctx, raw)
	if err != nil {
		v.explainFailure(d, err, now, record)
		return nil, checks, firstErr
	}
	if v.template != "" {
		tid := d.str("tid")
		want := strings.Replace(v.template, entraTenantIDToken, tid, 1)
		switch {
		case !guidRE.MatchString(tid):
			record("issuer", false, "multi-tenant token without a GUID tid claim", whyTenant, nil)
		case tok.Issuer != want:
			record("issuer", false, fmt.Sprintf("iss %q does not match %q for tenant %s", cleanText(tok.Issuer, 200), want, tid), whyTenant, nil)
		case !v.keyMatchesTenant(d, tok.Issuer, tid):
			record("issuer", false, fmt.Sprintf("the signing key is published for another issuer than %q", cleanText(tok.Issuer, 200)), whyTenant, nil)
		case len(v.tenants) > 0 && !slices.Contains(v.tenants, tid):
			record("issuer", false, fmt.Sprintf("tenant %s is not in the profile's allowed tenants", tid), whyTenant, nil)
		default:
			record("issuer", true, "iss matches the {tenantid} template for tenant "+tid, whyTenant, nil)
		}
	} else {
		detail := "iss = " + tok.Issuer
		if tok.Issuer != v.issuer {
			detail += " (Google's documented scheme-less form)"
		}
		record("issuer", true, detail, whyIssuer, nil)
	}
	record("audience", true, "aud contains "+v.clientID, whyAudience, nil)
	record("expiry", true, "expires "+tok.Expiry.UTC().Format(time.RFC3339), whyExpiry, nil)

	record("subject", tok.Subject != "", map[bool]string{true: "sub present", false: "the ID token has no sub claim"}[tok.Subject != ""], whySub, nil)

	if _, ok := d.num("iat"); !ok {
		record("issued at", false, "the ID token has no iat claim", whyIat, nil)
	} else if tok.IssuedAt.After(now.Add(ClockLeeway)) {
		record("issued at", false, fmt.Sprintf("iat is %s in the future — check your clock", tok.IssuedAt.Sub(now).Round(time.Second)), whyIat, ErrClockSkew)
	} else {
		record("issued at", true, "iat "+tok.IssuedAt.UTC().Format(time.RFC3339), whyIat, nil)
	}

	switch {
	case exp.nonce != "":
		ok := tok.Nonce != "" && equalConstantTime(tok.Nonce, exp.nonce)
		detail := "nonce matches this attempt"
		if tok.Nonce == "" {
			detail = "the ID token has no nonce although one was sent"
		} else if !ok {
			detail = "the nonce does not match this sign-in attempt (replayed token?)"
		}
		record("nonce", ok, detail, whyNonce, nil)
	case exp.prev != nil && exp.prev.Nonce != "" && tok.Nonce != "":
		ok := tok.Nonce == exp.prev.Nonce
		record("nonce", ok, map[bool]string{true: "nonce unchanged", false: "the refreshed ID token carries a different nonce"}[ok], whyNonce, nil)
	}

	azp := d.str("azp")
	switch {
	case len(tok.Audience) > 1 && azp == "":
		record("authorized party", false, "several audiences but no azp claim", whyAzp, nil)
	case azp != "" && azp != v.clientID:
		record("authorized party", false, fmt.Sprintf("azp %q is not this client (%s)", cleanText(azp, 100), v.clientID), whyAzp, nil)
	case azp != "":
		record("authorized party", true, "azp = "+azp, whyAzp, nil)
	}

	if tok.AccessTokenHash != "" {
		if exp.accessToken == "" {
			record("access token hash", true, "at_hash present; no access token to compare", whyAtHash, nil)
		} else if err := tok.VerifyAccessToken(exp.accessToken); err != nil {
			record("access token hash", false, "at_hash does not match the access token", whyAtHash, nil)
		} else {
			record("access token hash", true, "at_hash matches the access token", whyAtHash, nil)
		}
	}

	if p := exp.prev; p != nil {
		same := tok.Issuer == p.Issuer && tok.Subject == p.Subject && sameSet(tok.Audience, p.Audience)
		detail := "iss, sub and aud unchanged"
		if !same {
			detail = "the refreshed ID token names a different issuer, subject or audience"
		}
		record("same user", same, detail, whySame, nil)
	}
	if firstErr != nil {
		return nil, checks, firstErr
	}
	var all map[string]any
	if err := tok.Claims(&all); err != nil {
		return nil, checks, fmt.Errorf("%w: ID token claims: %v", ErrInvalidResponse, err)
	}
	return &idClaims{Issuer: tok.Issuer, Subject: tok.Subject, Audience: tok.Audience,
		Expiry: tok.Expiry, IssuedAt: tok.IssuedAt, Nonce: tok.Nonce, All: all}, checks, nil
}

// explainFailure turns a go-oidc failure into the named check that failed,
// using the unverified claims only to choose the explanation.
func (v *idVerifier) explainFailure(d *decodedJWT, err error, now time.Time, record func(string, bool, string, string, error)) {
	var expired *oidc.TokenExpiredError
	switch {
	case errors.As(err, &expired):
		late := now.Sub(expired.Expiry)
		if late <= ClockLeeway {
			record("expiry", false, fmt.Sprintf("the ID token expired %s ago, right after it was issued — check your clock", late.Round(time.Second)), whyExpiry, ErrClockSkew)
		} else {
			record("expiry", false, fmt.Sprintf("the ID token expired at %s", expired.Expiry.UTC().Format(time.RFC3339)), whyExpiry, nil)
		}
	case v.template == "" && d.str("iss") != v.issuer && !(v.issuer == "https://accounts.google.com" && d.str("iss") == "accounts.google.com"):
		record("issuer", false, fmt.Sprintf("iss %q is not the expected issuer %q", cleanText(d.str("iss"), 200), v.issuer), whyIssuer, nil)
	case !slices.Contains(d.aud(), v.clientID):
		record("audience", false, fmt.Sprintf("aud %q does not contain this client id %s", cleanText(strings.Join(d.aud(), ","), 200), v.clientID), whyAudience, nil)
	default:
		record("claims", false, "the ID token was rejected: "+cleanText(err.Error(), 200), whySignature, nil)
	}
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
