package auth

import (
	"context"
	"errors"
	"fmt"
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
	tr.add(StepTokenRequest, KindTokenRequest, "POST to the token endpoint (one attempt, fixed client authentication)", fields...)
	status, h, body, err := c.postForm(ctx, c.meta.TokenEndpoint, form, maxTokenBytes)
	if err != nil {
		return nil, err
	}
	resp, err := parseTokenResponse("token", status, h, body, c.now(), c.secretsIn(form))
	if err != nil {
		tr.fail(StepTokenResponse, KindTokenRejected, "token response rejected: "+err.Error(), field("status", status))
		return nil, c.redirectHint(err, ar.redirectURI)
	}
	tr.add(StepTokenResponse, KindTokenResponse, "token response accepted", resp.traceFields(status)...)
	return resp, nil
}

// redirectHint turns a provider error about the redirect URI into a
// *RedirectURIError naming the URI to register.
// NoCallbackError means the wait for the browser timed out and nothing at
// all came back to the loopback listener (a cancel is the user's choice
// and gets no hint). Providers that
// reject a redirect URI show their error in the browser and never call
// back, so the likeliest cause is named together with what to register.
type NoCallbackError struct {
	// Used is the redirect URI this attempt sent.
	Used string
	// Register is what to register at the provider.
	Register string
	// ClientID is the client whose registration may need it.
	ClientID string
	// Err is ErrTimeout.
	Err error
	// PasteOnly is true for a profile with a non-loopback redirect URI
	// (Config.Redirect.URI): nothing was pasted.
	PasteOnly bool
	// Pending is non-nil when a pasted redirect can still finish this
	// sign-in (until Pending.Expires()).
	Pending *PendingSignIn
}

// Error says nothing came back and what to check.
func (e *NoCallbackError) Error() string {
	if e.PasteOnly {
		return fmt.Sprintf("%v — no redirect was pasted; after signing in, the browser ends at %s: paste that whole address (it carries code and state) into the app", e.Err, e.Used)
	}
	return fmt.Sprintf("%v — nothing came back to %s; if the provider showed an error page about the redirect URI, register %s for client %s and sign in again",
		e.Err, e.Used, e.Register, e.ClientID)
}

// Unwrap returns ErrTimeout, so errors.Is keeps working.
func (e *NoCallbackError) Unwrap() error { return e.Err }

// silentHint wraps a timeout with no callback at all in a
// *NoCallbackError; any other error passes through.
func (c *client) silentHint(err error, used string, forged int) error {
	if forged > 0 || !errors.Is(err, ErrTimeout) {
		return err
	}
	r, _ := c.cfg.Redirect.normalize()
	reg, _ := RedirectURIToRegister(r)
	if r.URI != "" {
		reg = r.URI
	}
	return &NoCallbackError{Used: used, Register: reg, ClientID: c.cfg.ClientID, Err: err}
}

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
	if r.URI != "" {
		return &RedirectURIError{Used: used, Register: r.URI, ClientID: c.cfg.ClientID, Err: err}
	}
	return &RedirectURIError{Used: used, Register: reg, ClientID: c.cfg.ClientID, AnyPort: r.Port == 0, Err: err}
}
