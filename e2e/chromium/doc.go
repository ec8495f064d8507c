// Package chromium proves PKCE Desk's sign-in with a real browser as the
// system browser (issue 4): headless Chromium, driven by chromedp, opens the
// authorization URL handed to a stand-in `xdg-open` (or $BROWSER) and clicks
// through the demo provider's login and consent pages, so the redirect to the
// loopback listener comes from a real browser, not an HTTP client.
//
// Its tests (all in _test.go files) cover
//   - the auth engine (pkcedesk/auth) against the demo provider
//     (pkcedesk/demo) started in the test: tokens, every ID-token check,
//     the demo API (200, 403 without orders:read), refresh rotation, and
//     401 after revocation;
//   - the binaries: `pkce-desk demo-provider --json` and
//     `pkce-desk login --json` as processes, $BROWSER pointing at the
//     stand-in, the printed access token accepted by the API.
//
// The processes, browsers and stand-ins come from pkcedesk/e2e/harness.
// Environment: PKCE_DESK_PLAIN_BIN names a plain (no tags, CGO_ENABLED=0)
// pkce-desk binary to use instead of building one; PKCE_DESK_CHROMIUM the
// browser (see the harness's package doc).
package chromium
