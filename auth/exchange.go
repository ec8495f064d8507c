package auth

import (
	"context"
	"errors"
	"net/url"
	"strings"
)

// exchangeCode makes the one POST that trades the code for tokens (RFC 6749
// §4.1.3, RFC 7636 §4.5) with the identical redirect_uri (RFC 8252 §8.10)
// and the profile's fixed client authentication: never a second attempt.
func (c *client) exchangeCode(ctx context.Context, code Secret, ar authRequest, tr *tracer) (*tokenResponse, error) {
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"code":          {code.Reveal()},
		"redirect_uri":  {ar.redirectURI},
		"code_verifier": {ar.pkce.verifier.Reveal()},
	}
	fields := []Field{field("endpoint", c.meta.TokenEndpoint), field("grant_type", "authorization_code"), secretField("code", code),
		field("redirect_uri", ar.redirectURI), secretField("code_verifier", ar.pkce.verifier), field("client_id", c.cfg.ClientID),
		field("client_auth", string(c.cfg.authMethod()))}
	if !c.cfg.ClientSecret.IsZero() {
		fields = append(fields, secretField("client_secret", c.cfg.ClientSecret))
	}
	tr.add(StepTokenRequest, "POST to the token endpoint (one attempt, fixed client authentication)", fields...)
	status, h, body, err := c.postForm(ctx, c.meta.TokenEndpoint, form, maxTokenBytes)
	if err != nil {
		return nil, err
	}
	resp, err := parseTokenResponse("token", status, h, body, c.now())
	if err != nil {
		tr.fail(StepTokenResponse, "token response rejected: "+err.Error(), field("status", status))
		return nil, c.redirectHint(err, ar.redirectURI)
	}
	tr.add(StepTokenResponse, "token response accepted", resp.traceFields(status)...)
	return resp, nil
}

// redirectHint turns a provider error about the redirect URI into a
// *RedirectURIError naming the URI to register.
func (c *client) redirectHint(err error, used string) error {
	var pe *ProviderError
	if !errors.As(err, &pe) {
		return err
	}
	text := strings.ToLower(pe.Code + " " + pe.Description)
	if !strings.Contains(text, "redirect") {
		return err
	}
	r, _ := c.cfg.Redirect.normalize()
	reg, _ := RedirectURIToRegister(r)
	return &RedirectURIError{Used: used, Register: reg, ClientID: c.cfg.ClientID, AnyPort: r.Port == 0, Err: err}
}
