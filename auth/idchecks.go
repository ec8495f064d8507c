package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
)

// verify runs the ID-token checklist (OIDC Core §3.1.3.7, security rule 18), one
// method per check in the order the Flow tab shows them, reports each to
// tr, and returns the claims or the first failure as a *CheckError.
func (v *idVerifier) verify(ctx context.Context, raw string, exp idExpect, tr *tracer) (*idClaims, []Check, error) {
	r := &checkRun{v: v, tr: tr, exp: exp, now: v.now()}
	d, ok := r.format(raw)
	if !ok || !r.algorithm(d) {
		return nil, r.checks, r.err
	}
	payload, ok := r.signature(ctx, raw)
	if !ok {
		return nil, r.checks, r.err
	}
	tok, ok := r.standardClaims(ctx, raw, payload, d)
	if !ok {
		return nil, r.checks, r.err
	}
	r.issuer(d, tok)
	r.pass("audience", "aud contains "+v.clientID, whyAudience)
	r.pass("expiry", "expires "+tok.Expiry.UTC().Format(time.RFC3339), whyExpiry)
	r.subject(tok)
	r.issuedAt(d, tok)
	r.nonce(tok)
	r.authorizedParty(d, tok)
	r.accessTokenHash(tok)
	r.sameUser(tok)
	if r.err != nil {
		return nil, r.checks, r.err
	}
	var all map[string]any
	if err := tok.Claims(&all); err != nil {
		return nil, r.checks, fmt.Errorf("%w: ID token claims: %v", ErrInvalidResponse, err)
	}
	return &idClaims{Issuer: tok.Issuer, Subject: tok.Subject, Audience: tok.Audience,
		Expiry: tok.Expiry, IssuedAt: tok.IssuedAt, Nonce: tok.Nonce, All: all}, r.checks, nil
}

// checkRun is one verification: the checks so far and the first failure.
type checkRun struct {
	v      *idVerifier
	tr     *tracer
	exp    idExpect
	now    time.Time
	checks []Check
	err    error
}

// record reports one check; the first failure becomes r.err, classified
// by cause (nil: ErrInvalidResponse).
func (r *checkRun) record(name string, passed bool, detail, why string, cause error) {
	c := Check{Name: name, Passed: passed, Detail: detail, Why: why}
	r.checks = append(r.checks, c)
	r.tr.check(StepIDToken, c)
	if !passed && r.err == nil {
		if cause == nil {
			cause = ErrInvalidResponse
		}
		r.err = &CheckError{Check: name, Detail: detail, Err: cause}
	}
}

func (r *checkRun) pass(name, detail, why string)   { r.record(name, true, detail, why, nil) }
func (r *checkRun) failed(name, detail, why string) { r.record(name, false, detail, why, nil) }

// format: the token is a compact JWT.
func (r *checkRun) format(raw string) (*decodedJWT, bool) {
	d, err := decodeJWT(raw)
	if err != nil {
		r.failed("format", "the ID token is not a JWT: "+err.Error(), whySignature)
		return nil, false
	}
	return d, true
}

// algorithm: alg is one of the provider's asymmetric algorithms (never
// none, never HMAC).
func (r *checkRun) algorithm(d *decodedJWT) bool {
	alg, _ := d.Header["alg"].(string)
	if !slices.Contains(r.v.algs, alg) {
		r.failed("signature algorithm", fmt.Sprintf("alg %q is not allowed (allowed: %s)", cleanText(alg, 20), strings.Join(r.v.algs, ", ")), whyAlg)
		return false
	}
	r.pass("signature algorithm", "alg "+alg, whyAlg)
	return true
}

// signature: verified with a key from the provider's JWKS.
func (r *checkRun) signature(ctx context.Context, raw string) ([]byte, bool) {
	payload, err := r.v.keys.VerifySignature(ctx, raw)
	if err != nil {
		detail := "the signature does not verify with the provider's keys"
		var ke *keysError
		switch {
		case errors.Is(err, errUnknownKey):
			detail = "no key in the provider's JWKS matches the token's kid (" + err.Error() + ")"
		case errors.As(err, &ke):
			detail = "could not load the provider's keys: " + err.Error()
		}
		r.failed("signature", detail, whySignature)
		return nil, false
	}
	r.pass("signature", "verified with the provider's JWKS", whySignature)
	return payload, true
}

// standardClaims: go-oidc re-checks iss, aud and exp on the payload just
// verified (the wrapper hands it that payload so the signature is not
// verified twice). A failure is named by explainFailure.
func (r *checkRun) standardClaims(ctx context.Context, raw string, payload []byte, d *decodedJWT) (*oidc.IDToken, bool) {
	v := r.v
	oidcIssuer := v.issuer
	if v.template != "" {
		oidcIssuer = v.template
	}
	ver := oidc.NewVerifier(oidcIssuer, verifiedPayload{raw: raw, payload: payload}, &oidc.Config{
		ClientID:             v.clientID,
		SupportedSigningAlgs: v.algs,
		SkipIssuerCheck:      v.template != "",
		Now:                  v.now,
	})
	tok, err := ver.Verify(ctx, raw)
	if err != nil {
		r.explainFailure(d, err)
		return nil, false
	}
	return tok, true
}

// explainFailure turns a go-oidc failure into the named check that failed,
// using the unverified claims only to choose the explanation.
func (r *checkRun) explainFailure(d *decodedJWT, err error) {
	v := r.v
	var expired *oidc.TokenExpiredError
	switch {
	case errors.As(err, &expired):
		late := r.now.Sub(expired.Expiry)
		if late <= ClockLeeway {
			r.record("expiry", false, fmt.Sprintf("the ID token expired %s ago, right after it was issued — check your clock", late.Round(time.Second)), whyExpiry, ErrClockSkew)
		} else {
			r.failed("expiry", fmt.Sprintf("the ID token expired at %s", expired.Expiry.UTC().Format(time.RFC3339)), whyExpiry)
		}
	case v.template == "" && d.str("iss") != v.issuer && !(v.issuer == "https://accounts.google.com" && d.str("iss") == "accounts.google.com"):
		r.failed("issuer", fmt.Sprintf("iss %q is not the expected issuer %q", cleanText(d.str("iss"), 200), v.issuer), whyIssuer)
	case !slices.Contains(d.aud(), v.clientID):
		r.failed("audience", fmt.Sprintf("aud %q does not contain this client id %s", cleanText(strings.Join(d.aud(), ","), 200), v.clientID), whyAudience)
	default:
		r.failed("claims", "the ID token was rejected: "+cleanText(err.Error(), 200), whySignature)
	}
}

// issuer: iss is the configured issuer, or for Entra's multi-tenant
// template the template with the token's own tid, signed by a key published
// for that issuer, in the allowed tenants (PROVIDERS.md quirk 1).
func (r *checkRun) issuer(d *decodedJWT, tok *oidc.IDToken) {
	v := r.v
	if v.template == "" {
		detail := "iss = " + tok.Issuer
		if tok.Issuer != v.issuer {
			detail += " (Google's documented scheme-less form)"
		}
		r.pass("issuer", detail, whyIssuer)
		return
	}
	tid := d.str("tid")
	want := strings.Replace(v.template, entraTenantIDToken, tid, 1)
	switch {
	case !guidRE.MatchString(tid):
		r.failed("issuer", "multi-tenant token without a GUID tid claim", whyTenant)
	case tok.Issuer != want:
		r.failed("issuer", fmt.Sprintf("iss %q does not match %q for tenant %s", cleanText(tok.Issuer, 200), want, tid), whyTenant)
	case !v.keyMatchesTenant(d, tok.Issuer, tid):
		r.failed("issuer", fmt.Sprintf("the signing key is published for another issuer than %q", cleanText(tok.Issuer, 200)), whyTenant)
	case len(v.tenants) > 0 && !slices.Contains(v.tenants, tid):
		r.failed("issuer", fmt.Sprintf("tenant %s is not in the profile's allowed tenants", tid), whyTenant)
	default:
		r.pass("issuer", "iss matches the {tenantid} template for tenant "+tid, whyTenant)
	}
}

// subject: sub is present (go-oidc accepts a token without one).
func (r *checkRun) subject(tok *oidc.IDToken) {
	if tok.Subject == "" {
		r.failed("subject", "the ID token has no sub claim", whySub)
		return
	}
	r.pass("subject", "sub present", whySub)
}

// issuedAt: iat is present and not beyond ClockLeeway in the future.
func (r *checkRun) issuedAt(d *decodedJWT, tok *oidc.IDToken) {
	switch _, ok := d.num("iat"); {
	case !ok:
		r.failed("issued at", "the ID token has no iat claim", whyIat)
	case tok.IssuedAt.After(r.now.Add(ClockLeeway)):
		r.record("issued at", false, fmt.Sprintf("iat is %s in the future — check your clock", tok.IssuedAt.Sub(r.now).Round(time.Second)), whyIat, ErrClockSkew)
	default:
		r.pass("issued at", "iat "+tok.IssuedAt.UTC().Format(time.RFC3339), whyIat)
	}
}

// nonce: at sign-in it equals the one sent; on refresh it is unchanged
// when both tokens carry one (OIDC Core §12.2).
func (r *checkRun) nonce(tok *oidc.IDToken) {
	switch exp := r.exp; {
	case exp.nonce != "":
		ok := tok.Nonce != "" && equalConstantTime(tok.Nonce, exp.nonce)
		detail := "nonce matches this attempt"
		if tok.Nonce == "" {
			detail = "the ID token has no nonce although one was sent"
		} else if !ok {
			detail = "the nonce does not match this sign-in attempt (replayed token?)"
		}
		r.record("nonce", ok, detail, whyNonce, nil)
	case exp.noNonce != "":
		c := Check{Name: "nonce", Passed: true, Skipped: true, Detail: exp.noNonce, Why: whyNonce}
		r.checks = append(r.checks, c)
		r.tr.check(StepIDToken, c)
	case exp.prev != nil && exp.prev.Nonce != "" && tok.Nonce != "":
		if tok.Nonce == exp.prev.Nonce {
			r.pass("nonce", "nonce unchanged", whyNonce)
		} else {
			r.failed("nonce", "the refreshed ID token carries a different nonce", whyNonce)
		}
	}
}

// authorizedParty: with several audiences azp is required, and azp, when
// present, names this client.
func (r *checkRun) authorizedParty(d *decodedJWT, tok *oidc.IDToken) {
	azp := d.str("azp")
	switch {
	case len(tok.Audience) > 1 && azp == "":
		r.failed("authorized party", "several audiences but no azp claim", whyAzp)
	case azp != "" && azp != r.v.clientID:
		r.failed("authorized party", fmt.Sprintf("azp %q is not this client (%s)", cleanText(azp, 100), r.v.clientID), whyAzp)
	case azp != "":
		r.pass("authorized party", "azp = "+azp, whyAzp)
	}
}

// accessTokenHash: at_hash, when present, matches the access token.
func (r *checkRun) accessTokenHash(tok *oidc.IDToken) {
	switch {
	case tok.AccessTokenHash == "":
	case r.exp.accessToken == "":
		r.pass("access token hash", "at_hash present; no access token to compare", whyAtHash)
	case tok.VerifyAccessToken(r.exp.accessToken) != nil:
		r.failed("access token hash", "at_hash does not match the access token", whyAtHash)
	default:
		r.pass("access token hash", "at_hash matches the access token", whyAtHash)
	}
}

// sameUser: on refresh, iss, sub and aud stay the same (security rule 24).
func (r *checkRun) sameUser(tok *oidc.IDToken) {
	p := r.exp.prev
	if p == nil {
		return
	}
	if tok.Issuer == p.Issuer && tok.Subject == p.Subject && sameSet(tok.Audience, p.Audience) {
		r.pass("same user", "iss, sub and aud unchanged", whySame)
		return
	}
	r.failed("same user", "the refreshed ID token names a different issuer, subject or audience", whySame)
}
