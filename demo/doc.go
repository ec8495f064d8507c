// Package demo is PKCE Desk's built-in OpenID Connect provider and protected
// demo API, for trying the app (and testing it) without an account anywhere.
//
// It is a real provider built on github.com/zitadel/oidc/v3/pkg/op with this
// package's own in-memory storage. Each Server has its own RSA key, users,
// sessions, tokens and orders; no two Servers share state, and by default
// nothing touches disk. With Options.StateDir a Server remembers its signing
// key, its port and its refresh-token grants across restarts, so a sign-in
// the app kept can be refreshed after the next launch (statefile.go).
// It listens on a loopback IP only, with an http:// issuer (op allows that
// only through its explicit WithAllowInsecure option).
//
// Endpoints, relative to Issuer():
//
//	/.well-known/openid-configuration  discovery (S256 only; RFC 9207 iss advertised)
//	/authorize                         code flow; PKCE S256 required; redirect URI
//	                                   http://127.0.0.1:{any}/callback or http://[::1]:{any}/callback
//	/login, /consent                   user picker and consent, plain HTML forms, no JavaScript
//	/device_authorization              RFC 8628 device authorization (public client)
//	/device                            verification URI: type the user code (BCDF-GHJK), then
//	                                   login and consent; ?user_code= prefills it
//	/oauth/token                       authorization_code, refresh_token (rotating), device_code,
//	                                   client_credentials (service client), token-exchange (RFC 8693)
//	/userinfo                          OIDC Core §5.3
//	/revoke                            RFC 7009 (public client: client_id in the form)
//	/oauth/introspect                  RFC 7662; the public client authenticates with
//	                                   client_id alone (or Basic "pkce-desk-demo:")
//	/end_session                       RP-initiated logout; loopback post_logout_redirect_uri
//	/signed-out                        "You are signed out"
//	/keys                              JWKS
//	/api/me, /api/orders               the demo protected API (see api.go)
//
// What this package adds to op, and why:
//
//   - redirect URIs: op matches a native client's loopback redirect by path
//     alone, on any loopback host including localhost; authorize.go pins
//     host and path (RFC 8252 §7.3, §8.3);
//   - PKCE: op requires it only at the token endpoint; authorize.go refuses a
//     missing challenge or the plain method up front (RFC 7636, RFC 9700 §2.1.1),
//     and storage refuses to store such a request (or a bad redirect URI)
//     whatever the guard saw (authrequest.go, checkStorable);
//   - repeated parameters: a guard and op must read the same value, so the
//     authorization, token, revocation, introspection and end-session
//     endpoints refuse a parameter sent twice, in any spelling op treats as
//     the same name (RFC 6749 §3.1; repeatedparams.go);
//   - RFC 9207: op neither sends `iss` nor advertises it; iss.go and
//     discovery.go add both;
//   - refresh tokens rotate, and replaying a used one revokes its family
//     (RFC 9700 §4.14.2); the API checks revocation, not just the signature.
//   - refresh tokens are kept only as SHA-256 hashes, in memory and on disk,
//     so neither the state file nor the provider's tables yield a usable token.
//
// Clients: the public native client PublicClientID ("pkce-desk-demo": code
// flow with PKCE, refresh, device grant, token exchange) and the
// confidential ServiceClientID ("pkce-desk-service": client credentials and
// token exchange), whose secret (*Server).ServiceClient returns; it is
// derived from the signing key (service.go), so it is random per Server and
// stable per StateDir, and never written or logged. Token exchange never
// widens scope (exchange.go); the API honours a token only for its own
// audience, APIBase(), or a demo client (bearer.go).
//
// The package is a provider: it never imports pkcedesk/auth.
package demo
