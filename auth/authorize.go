package auth

import (
	"fmt"
	"net/url"
	"strings"
)

// authRequest is everything that goes into one authorization request.
type authRequest struct {
	redirectURI string
	state       string
	nonce       string
	pkce        pkce
}

// authorizationURL builds the authorization request URL (RFC 6749 §4.1.1,
// RFC 7636 §4.3, OIDC Core §3.1.2.1). Existing query parameters of the
// endpoint are kept; extra profile parameters were validated against the
// reserved names, so they cannot replace state, nonce or the challenge.
func authorizationURL(endpoint string, cfg *Config, ar authRequest) (string, []Field, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", nil, fmt.Errorf("%w: authorization endpoint %q: %v", ErrInvalidConfig, endpoint, err)
	}
	q := u.Query()
	fields := []Field{}
	set := func(k, v string) {
		q.Set(k, v)
		fields = append(fields, field(k, v))
	}
	set("response_type", "code")
	set("client_id", cfg.ClientID)
	set("redirect_uri", ar.redirectURI)
	if len(cfg.Scopes) > 0 {
		set("scope", strings.Join(cfg.Scopes, " "))
	}
	set("state", ar.state)
	if ar.nonce != "" {
		set("nonce", ar.nonce)
	}
	set("code_challenge", ar.pkce.challenge)
	set("code_challenge_method", PKCEMethod)
	for _, p := range cfg.Params {
		set(strings.TrimSpace(p.Key), p.Value)
	}
	u.RawQuery = q.Encode()
	return u.String(), fields, nil
}
