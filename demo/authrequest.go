package demo

import (
	"slices"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// authRequestLifetime bounds how long a person may take on the login and
// consent pages before the request is forgotten.
const authRequestLifetime = 10 * time.Minute

// codeLifetime bounds the authorization code; RFC 6749 §4.1.2 recommends at
// most 10 minutes, a demo needs far less.
const codeLifetime = time.Minute

// authRequest is one pending authorization request (RFC 6749 §4.1.1) as the
// storage keeps it. It implements op.AuthRequest. Storage hands out copies, so
// a value seen by op never changes under it.
type authRequest struct {
	id            string
	createdAt     time.Time
	clientID      string
	redirectURI   string
	scopes        []string
	state         string
	nonce         string
	responseType  oidc.ResponseType
	responseMode  oidc.ResponseMode
	codeChallenge *oidc.CodeChallenge
	prompt        []string
	loginHint     string

	// Filled in by the login and consent pages.
	userID    string
	sessionID string
	authTime  time.Time
	consented bool

	code          string
	codeCreatedAt time.Time

	// deviceCode is set when the request stands for a device authorization
	// (device.go): the login and consent pages are the same, but it never
	// reaches op and ends on the device's next poll instead of a redirect.
	deviceCode string
	userCode   string // as the device shows it, for the consent page
}

var _ op.AuthRequest = (*authRequest)(nil)

// checkStorable enforces, on the request exactly as op parsed it, the rules
// the authorize guard also checks, so that no way past the guard (a
// repeated parameter, a new op code path) can store a request the demo
// client must not make:
//
//   - the client is the demo client, and the redirect URI is
//     http://127.0.0.1:{port}/callback or http://[::1]:{port}/callback
//     (RFC 8252 §7.3, §8.3: no localhost, no other loopback address);
//   - PKCE with S256 and a well-formed challenge (RFC 7636 §4.2, §4.3;
//     RFC 9700 §2.1.1: plain is not accepted);
//   - the response goes back in the query (RFC 9207 iss).
//
// Every refusal is invalid_request with op's redirect disabled: a request
// that reaches this point with a bad value did not come the guarded way,
// so its redirect URI is not trusted as the target of an error either.
func checkStorable(req *oidc.AuthRequest, clientID string) error {
	refuse := func(desc string) error {
		return oidc.ErrInvalidRequestRedirectURI().WithDescription("%s", desc)
	}
	switch {
	case req.ClientID != clientID:
		return refuse("the client is not registered with the demo provider")
	case !validRedirectURI(req.RedirectURI):
		return refuse("the redirect URI must be http://127.0.0.1:{port}/callback or http://[::1]:{port}/callback (RFC 8252 §7.3)")
	case req.CodeChallenge == "":
		return refuse("PKCE is required: send code_challenge and code_challenge_method=S256 (RFC 7636)")
	case req.CodeChallengeMethod != oidc.CodeChallengeMethodS256:
		return refuse("code_challenge_method must be S256; plain is not accepted")
	case !validS256Challenge(req.CodeChallenge):
		return refuse("code_challenge must be the 43-character base64url SHA-256 of the verifier")
	case req.ResponseMode != "" && req.ResponseMode != oidc.ResponseModeQuery:
		return refuse("response_mode must be query for the demo client")
	}
	return nil
}

func (a *authRequest) clone() *authRequest {
	c := *a
	c.scopes = slices.Clone(a.scopes)
	c.prompt = slices.Clone(a.prompt)
	if a.codeChallenge != nil {
		cc := *a.codeChallenge
		c.codeChallenge = &cc
	}
	return &c
}

func (a *authRequest) GetID() string                         { return a.id }
func (a *authRequest) GetACR() string                        { return "" }
func (a *authRequest) GetAMR() []string                      { return []string{"user"} } // RFC 8176 §2: user presence
func (a *authRequest) GetAudience() []string                 { return []string{a.clientID} }
func (a *authRequest) GetAuthTime() time.Time                { return a.authTime }
func (a *authRequest) GetClientID() string                   { return a.clientID }
func (a *authRequest) GetCodeChallenge() *oidc.CodeChallenge { return a.codeChallenge }
func (a *authRequest) GetNonce() string                      { return a.nonce }
func (a *authRequest) GetRedirectURI() string                { return a.redirectURI }
func (a *authRequest) GetResponseType() oidc.ResponseType    { return a.responseType }
func (a *authRequest) GetResponseMode() oidc.ResponseMode    { return a.responseMode }
func (a *authRequest) GetScopes() []string                   { return slices.Clone(a.scopes) }
func (a *authRequest) GetState() string                      { return a.state }
func (a *authRequest) GetSubject() string                    { return a.userID }

// Done reports whether the person signed in and allowed the request; only
// then does op issue a code.
func (a *authRequest) Done() bool { return a.userID != "" && a.consented }

// hasPrompt reports whether the request carried prompt=value (OIDC Core §3.1.2.1).
func (a *authRequest) hasPrompt(value string) bool { return slices.Contains(a.prompt, value) }
