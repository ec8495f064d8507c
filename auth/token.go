package auth

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// TokenSet is the tokens of a session. Every token is a Secret: printing,
// logging or JSON-encoding a TokenSet never reveals them.
type TokenSet struct {
	AccessToken  Secret    `json:"access_token"`
	TokenType    string    `json:"token_type"`
	RefreshToken Secret    `json:"refresh_token"`
	IDToken      Secret    `json:"id_token"`
	Expiry       time.Time `json:"expiry"`
	Scope        string    `json:"scope,omitempty"`
	// IssuedTokenType is RFC 8693's issued_token_type (token exchange only).
	IssuedTokenType string `json:"issued_token_type,omitempty"`
}

// OAuth2 converts to an *oauth2.Token for use with HTTP clients. The result
// holds plain strings: do not log it. A token exchange's "N_A" token type
// becomes "Bearer", the only way the app sends a token.
func (t TokenSet) OAuth2() *oauth2.Token {
	tt := t.TokenType
	if tt == "N_A" {
		tt = "Bearer"
	}
	tok := &oauth2.Token{
		AccessToken:  t.AccessToken.Reveal(),
		TokenType:    tt,
		RefreshToken: t.RefreshToken.Reveal(),
		Expiry:       t.Expiry,
	}
	if !t.IDToken.IsZero() {
		tok = tok.WithExtra(map[string]any{"id_token": t.IDToken.Reveal()})
	}
	return tok
}

// MaxExpiresIn is the longest access-token lifetime taken from expires_in
// (ten years, in seconds); a larger value is clamped to it.
const MaxExpiresIn = 10 * 365 * 24 * 60 * 60

// tokenResponse is a parsed token endpoint response (RFC 6749 §5.1).
type tokenResponse struct {
	TokenSet
	ExpiresIn int64
	HasExpiry bool
	Clamped   bool     // expires_in was larger than MaxExpiresIn
	Fields    []string // names present, for the trace
}

// parseTokenResponse applies RFC 6749 §5.1/§5.2 and security rules 15–16:
// errors become *ProviderError or *HTTPError (text only), a success must
// carry access_token and a Bearer token_type.
//
// known are the secret values the request carried (code, verifier, client
// secret, refresh token): an error body that echoes them, or a non-200
// answer that carries tokens, never puts them in the error text.
func parseTokenResponse(endpoint string, status int, h http.Header, body []byte, now time.Time, known []string) (*tokenResponse, error) {
	return parseTokenAnswer(endpoint, status, h, body, now, known, false)
}

// parseTokenAnswer is parseTokenResponse; allowNA also accepts RFC 8693's
// token_type "N_A" (a token exchange that issued something other than an
// access token) and keeps issued_token_type.
func parseTokenAnswer(endpoint string, status int, h http.Header, body []byte, now time.Time, known []string, allowNA bool) (*tokenResponse, error) {
	vals := map[string]string{}
	var names []string
	mt := mediaType(h)
	parsed := false
	if mt == "application/x-www-form-urlencoded" || mt == "text/plain" {
		// GitHub answers form-encoded without Accept: application/json.
		if q, err := url.ParseQuery(string(body)); err == nil && len(q) > 0 {
			for k := range q {
				vals[k] = q.Get(k)
				names = append(names, k)
			}
			parsed = true
		}
	}
	if !parsed {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err == nil {
			for k, v := range m {
				names = append(names, k)
				switch x := v.(type) {
				case string:
					vals[k] = x
				case float64:
					vals[k] = strconv.FormatFloat(x, 'f', -1, 64)
				case bool:
					vals[k] = strconv.FormatBool(x)
				}
			}
			parsed = true
		}
	}
	if parsed && vals["error"] != "" {
		// Some providers (GitHub) send errors with HTTP 200 (RFC 6749 §5.2 says 400).
		return nil, newProviderError(endpoint, status, vals["error"], vals["error_description"], vals["error_uri"], known...)
	}
	if status != http.StatusOK {
		return nil, newHTTPError(endpoint, status, h, body, known)
	}
	if !parsed {
		return nil, &CheckError{Check: "token response", Err: ErrInvalidResponse,
			Detail: fmt.Sprintf("the %s endpoint answered 200 with a body that is neither JSON nor form data (%s)", endpoint, mt)}
	}
	r := &tokenResponse{Fields: names}
	r.AccessToken = NewSecret(vals["access_token"])
	r.TokenType = vals["token_type"]
	r.RefreshToken = NewSecret(vals["refresh_token"])
	r.IDToken = NewSecret(vals["id_token"])
	r.Scope = vals["scope"]
	if r.AccessToken.IsZero() {
		return nil, &CheckError{Check: "access_token", Err: ErrInvalidResponse,
			Detail: "the token response has no access_token (RFC 6749 §5.1)"}
	}
	switch {
	case strings.EqualFold(r.TokenType, "Bearer"):
		r.TokenType = "Bearer"
	case allowNA && r.TokenType == "N_A":
	default:
		return nil, &CheckError{Check: "token_type", Err: ErrInvalidResponse,
			Detail: fmt.Sprintf("token_type %q is not Bearer; the app only sends bearer tokens (RFC 6750)", providerText(r.TokenType, 30, known))}
	}
	if allowNA {
		r.IssuedTokenType = cleanText(vals["issued_token_type"], 200)
	}
	if s, ok := vals["expires_in"]; ok && s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(s, "-") {
			n, err = math.MaxInt64, nil // clamped below
		}
		if err != nil || n < 0 {
			return nil, &CheckError{Check: "expires_in", Err: ErrInvalidResponse,
				Detail: fmt.Sprintf("expires_in %q is not a non-negative number of seconds", providerText(s, 30, known))}
		}
		if n > MaxExpiresIn {
			// 1e10 s would overflow time.Duration into a date in the past,
			// and every request would then refresh.
			n, r.Clamped = MaxExpiresIn, true
		}
		r.ExpiresIn, r.HasExpiry = n, true
		if n > 0 {
			r.Expiry = now.Add(time.Duration(n) * time.Second)
		}
	}
	return r, nil
}

// traceFields lists the response fields for the trace, secrets redacted.
func (r *tokenResponse) traceFields(status int) []Field {
	fs := []Field{field("status", status), field("token_type", r.TokenType)}
	fs = append(fs, secretField("access_token", r.AccessToken))
	if r.Clamped {
		fs = append(fs, field("expires_in", fmt.Sprintf("%d (clamped: the provider sent more than ten years)", r.ExpiresIn)))
	} else if r.HasExpiry {
		fs = append(fs, field("expires_in", r.ExpiresIn))
	}
	if !r.RefreshToken.IsZero() {
		fs = append(fs, secretField("refresh_token", r.RefreshToken))
	}
	if !r.IDToken.IsZero() {
		fs = append(fs, secretField("id_token", r.IDToken))
	}
	if r.Scope != "" {
		fs = append(fs, field("scope", r.Scope))
	}
	return fs
}
