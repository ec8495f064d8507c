// Package auth is PKCE Desk's sign-in engine: an OAuth 2.0 / OpenID Connect
// client for native apps as RFC 8252 describes them.
//
// Login runs one whole sign-in — discovery (cached per issuer), a one-shot
// loopback listener on 127.0.0.1 with an ephemeral port, PKCE S256, state and
// nonce, the authorization URL handed to the caller's Opener (the system
// browser), the single valid callback (forged ones are answered 400, counted
// and ignored), one code exchange with fixed client authentication, token
// response checks, and ID-token validation (go-oidc for signature, iss, aud
// and exp, plus sub, iat, nonce, azp, at_hash and the alg checks it leaves
// out). The result is a *Session with a single-flight refreshing token
// source, rotation handling, UserInfo, Revoke, Introspect, SignOut and the
// RP-initiated LogoutURL. Restore rebuilds a session from a kept refresh token.
//
// Config.Grant picks the other ways in: the device authorization grant
// (RFC 8628, device.go: LoginOptions.OnDeviceCode shows the code, polling
// honours interval and slow_down), client credentials for service accounts
// (RFC 6749 §4.4, clientcredentials.go: renewed by a new request), and
// Session.ExchangeToken (RFC 8693, tokenexchange.go) makes a new session
// from a session's token. When the browser cannot reach the loopback, a
// PasteBox (paste.go) takes the redirect the user pastes, under the same
// state, iss and one-use rules (callback.go's gate); after a timeout
// NoCallbackError.Pending still accepts one for ten minutes. A profile may
// use a hosted https redirect URI (Redirect.URI), with paste the only way back.
//
// Every step is an Event delivered to LoginOptions.Trace and logged at debug
// level with log/slog. Tokens, codes, verifiers and client secrets travel as
// Secret values, which redact in String, GoString, LogValue and JSON; only
// Secret.Reveal and Event.Revealed expose them, for an explicit user request.
//
// Errors the UI tells apart are typed: ErrCanceled, ErrTimeout,
// ErrSessionEnded, ErrPKCEUnsupported, ErrClockSkew, ErrNotSupported,
// ErrInvalidConfig, *ProviderError, *RedirectURIError, *PortInUseError,
// *HTTPError and *CheckError (which names the failed check).
//
// The package imports no UI code and none of the app's other packages.
package auth
