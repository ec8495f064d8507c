// Package providers proves PKCE Desk against real OAuth 2.0 / OpenID Connect
// providers that nobody on this project wrote: Ory Hydra v2.3.0 and
// zitadel/oidc's example OP. The harness (pkcedesk/e2e/harness: StartHydra,
// StartZitadelOP, FormBrowser, Opener) starts each provider on 127.0.0.1
// only, registers a public client, stands in for the person at the browser,
// and stops every process it started by PID on every exit path.
//
// Run it through e2e/providers/run.sh, which builds and caches the provider
// binaries and the pkce-desk CLI and passes their paths in the environment
// (see e2e/harness/env.go).
//
// What each suite proves, per provider (TestHydra, TestZitadel):
//   - raw: golang.org/x/oauth2 alone completes PKCE S256 on an ephemeral
//     127.0.0.1 and [::1] port, rotates refresh tokens, and the provider
//     rejects a rotated-out refresh token and a wrong code_verifier
//     (invalid_grant) — the harness works before anything of ours runs;
//   - engine: pkcedesk/auth signs in (127.0.0.1 and [::1], listener closed
//     afterwards), its ID-token checks pass, userinfo, refresh rotation and
//     rejection of the rotated-out token, revoke → ErrSessionEnded, Restore
//     then SignOut revoked at the provider, introspection (refused for a
//     public client, or through a profile-set endpoint), the RP-initiated
//     logout URL (a forged id_token_hint is refused), a localhost redirect,
//     and a trace free of tokens;
//   - cli: `pkce-desk login` with $BROWSER set to the stand-in opener: --json
//     tokens proven at userinfo and refresh, no JWT printed without --json,
//     [::1], and Hydra's localhost rejection seen from the terminal.
package providers
