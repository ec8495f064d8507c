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
