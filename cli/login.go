package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"
	"time"

	"pkcedesk/auth"
	"pkcedesk/internal/launch"
	"pkcedesk/internal/qr"
	"pkcedesk/internal/regularfile"
)

// Exit codes of `pkce-desk login`.
const (
	exitOK       = 0
	exitFailed   = 1
	exitUsage    = 2
	exitCanceled = 130 // as a shell reports SIGINT
)

// maxCABytes caps the --ca-file bundle.
const maxCABytes = 1 << 20

// clientSecretEnv lets scripts pass the client secret without it showing in
// the process list.
const clientSecretEnv = "PKCE_DESK_CLIENT_SECRET"

// paramFlags collects repeated --param key=value flags.
type paramFlags []auth.Param

func (p *paramFlags) String() string {
	parts := make([]string, len(*p))
	for i, x := range *p {
		parts[i] = x.Key + "=" + x.Value
	}
	return strings.Join(parts, " ")
}

func (p *paramFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("want key=value, got %q", v)
	}
	*p = append(*p, auth.Param{Key: strings.TrimSpace(k), Value: val})
	return nil
}

const loginUsage = `Usage: pkce-desk login --issuer URL --client-id ID [flags]
       pkce-desk login --authorization-endpoint URL --token-endpoint URL --client-id ID [flags]
       pkce-desk login --grant device --issuer URL --client-id ID [flags]
       pkce-desk login --grant client-credentials --issuer URL --client-id ID [flags]

Signs in the way RFC 8252 says a native app should: the system browser, a
redirect to a one-shot listener on 127.0.0.1, PKCE with S256, state and nonce,
then a single code exchange and every ID-token check.

The authorization URL opens with the command in $BROWSER (split on spaces, the
URL appended as the last argument, or put where %s stands) when it is set, else
the platform default (xdg-open, open, rundll32). It is also printed to stderr,
and a browser that cannot be started is reported there (the sign-in goes on
waiting). --no-browser only prints it. Progress goes to stderr; the result goes
to stdout. Ctrl-C cancels cleanly.

When the browser cannot reach 127.0.0.1 (a remote desktop, another machine),
--paste reads the address the browser ended on from stdin — the whole URL, or
only its query — one line at a time; the same state, iss and code checks apply,
and a line that fails them is refused with the reason on stderr. With
--redirect-uri (a hosted https redirect URI, for providers that allow no
loopback one) pasting is the only way back. The loopback redirect is better
wherever the provider allows it: the code goes straight to this command.

--grant device (RFC 8628) prints the user code and the verification URI (and a
QR code of it when stdout is a terminal), opens the URI with the code in the
browser unless --no-browser, and polls until you approve, deny, or the code
expires. Approve on any device: a phone scanning the QR code will do.

--grant client-credentials (RFC 6749 §4.4) gets a service account's own token
with its client secret: no browser, no user. Without --scope the provider
picks the scope; --param audience=… or --param resource=… go in the request.

Output: without --json a readable summary with tokens masked; with --json one
JSON object: grant, access_token, token_type, expiry (RFC 3339), refresh_token
(if any), scope, id_token, id_token_claims. --json prints real token values:
keep that output private.

Exit status: 0 signed in, 1 sign-in failed, 2 bad flags, 130 canceled.
On failure one line on stderr says what happened and what to do; stdout stays empty.

The client secret may also come from $` + clientSecretEnv + `, which keeps it out of
the process list.

Flags:
`

// loginFlags are the parsed flags of `pkce-desk login`.
type loginFlags struct {
	issuer, clientID, clientSecret, authMethod, scope string
	params                                            paramFlags
	redirectHost, redirectPath, caFile                string
	redirectPort                                      int
	timeout                                           time.Duration
	asJSON, quiet                                     bool
	authzEndpoint, tokenEndpoint, userinfoEndpoint    string
	scopeSet                                          bool
	grant, deviceEndpoint, redirectURI                string
	noBrowser, paste                                  bool
}

func parseLoginFlags(args []string, stderr io.Writer) (*loginFlags, error) {
	var lf loginFlags
	fs := flag.NewFlagSet("login", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&lf.issuer, "issuer", "", "OpenID Provider `URL`; its discovery document supplies the endpoints")
	fs.StringVar(&lf.clientID, "client-id", "", "the client `ID` registered at the provider (required)")
	fs.StringVar(&lf.clientSecret, "client-secret", "", "client `secret`, for providers that demand one (or $"+clientSecretEnv+")")
	fs.StringVar(&lf.authMethod, "auth-method", "", "client authentication: none, post or basic (default none, or post with a secret)")
	fs.StringVar(&lf.scope, "scope", "openid profile offline_access", "space-separated `scopes` (default without --issuer: none)")
	fs.Var(&lf.params, "param", "extra authorization parameter `key=value` (repeatable), e.g. audience=api://x or prompt=consent")
	fs.StringVar(&lf.redirectHost, "redirect-host", "127.0.0.1", "loopback `host` of the redirect URI: 127.0.0.1, ::1 or localhost")
	fs.IntVar(&lf.redirectPort, "redirect-port", 0, "redirect `port`; 0 picks a free one")
	fs.StringVar(&lf.redirectPath, "redirect-path", auth.DefaultRedirectPath, "redirect URI `path`")
	fs.DurationVar(&lf.timeout, "timeout", auth.DefaultTimeout, "how long to wait for the browser")
	fs.StringVar(&lf.caFile, "ca-file", "", "PEM `file` of extra CA certificates to trust (added to the system roots)")
	fs.BoolVar(&lf.asJSON, "json", false, "print one JSON object with the real tokens and ID-token claims")
	fs.BoolVar(&lf.quiet, "quiet", false, "no progress lines on stderr (errors and the URL are still printed)")
	fs.StringVar(&lf.authzEndpoint, "authorization-endpoint", "", "authorization endpoint `URL` (plain OAuth 2.0, or to override discovery)")
	fs.StringVar(&lf.tokenEndpoint, "token-endpoint", "", "token endpoint `URL` (plain OAuth 2.0, or to override discovery)")
	fs.StringVar(&lf.userinfoEndpoint, "userinfo-endpoint", "", "userinfo endpoint `URL` (optional override)")
	fs.StringVar(&lf.grant, "grant", "code", "sign-in `method`: code (browser and loopback redirect), device (RFC 8628) or client-credentials (a service account)")
	fs.StringVar(&lf.deviceEndpoint, "device-endpoint", "", "device authorization endpoint `URL` (--grant device without --issuer, or to override discovery)")
	fs.BoolVar(&lf.noBrowser, "no-browser", false, "do not start a browser; only print the URL to open")
	fs.BoolVar(&lf.paste, "paste", false, "also accept the redirect address pasted on stdin, for when the browser cannot reach 127.0.0.1")
	fs.StringVar(&lf.redirectURI, "redirect-uri", "", "a hosted https redirect `URI` registered at the provider (no listener; implies --paste)")
	fs.Usage = func() {
		_, _ = io.WriteString(fs.Output(), loginUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q; see --help", fs.Arg(0))
	}
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "scope" {
			lf.scopeSet = true
		}
	})
	return &lf, nil
}

// config turns flags into an auth.Config.
func (lf *loginFlags) config() (auth.Config, error) {
	cfg := auth.Config{
		Issuer:   lf.issuer,
		ClientID: lf.clientID,
		Params:   lf.params,
		Timeout:  lf.timeout,
		Endpoints: auth.Endpoints{Authorization: lf.authzEndpoint, Token: lf.tokenEndpoint, UserInfo: lf.userinfoEndpoint,
			DeviceAuthorization: lf.deviceEndpoint},
		Redirect: auth.Redirect{Host: lf.redirectHost, Port: lf.redirectPort, Path: lf.redirectPath,
			AllowLocalhost: lf.redirectHost == "localhost", URI: lf.redirectURI},
	}
	grant, err := parseGrant(lf.grant)
	if err != nil {
		return cfg, err
	}
	cfg.Grant = grant
	if lf.clientID == "" {
		return cfg, errors.New("--client-id is required; copy it from the provider's app registration")
	}
	if lf.issuer == "" {
		switch grant {
		case auth.GrantDevice:
			if lf.deviceEndpoint == "" || lf.tokenEndpoint == "" {
				return cfg, errors.New("give --issuer, or both --device-endpoint and --token-endpoint")
			}
		case auth.GrantClientCredentials:
			if lf.tokenEndpoint == "" {
				return cfg, errors.New("give --issuer, or --token-endpoint")
			}
		default:
			if lf.authzEndpoint == "" || lf.tokenEndpoint == "" {
				return cfg, errors.New("give --issuer, or both --authorization-endpoint and --token-endpoint")
			}
		}
	}
	if grant != auth.GrantAuthorizationCode && (lf.paste || lf.redirectURI != "") {
		return cfg, errors.New("--paste and --redirect-uri belong to the browser sign-in (--grant code)")
	}
	scope := lf.scope
	if (lf.issuer == "" || grant == auth.GrantClientCredentials) && !lf.scopeSet {
		// A service account has no user to ask openid or profile about:
		// the provider picks its default scope (RFC 6749 §3.3).
		scope = ""
	}
	cfg.Scopes = strings.Fields(scope)
	secret := lf.clientSecret
	if secret == "" {
		secret = os.Getenv(clientSecretEnv)
	}
	if grant == auth.GrantClientCredentials && secret == "" {
		return cfg, errors.New("--grant client-credentials needs the client secret: set $" + clientSecretEnv + " (kept out of the process list) or --client-secret")
	}
	cfg.ClientSecret = auth.NewSecret(secret)
	switch lf.authMethod {
	case "":
		if secret != "" {
			cfg.AuthMethod = auth.AuthClientSecretPost
		}
	case "none":
		cfg.AuthMethod = auth.AuthNone
	case "post", "client_secret_post":
		cfg.AuthMethod = auth.AuthClientSecretPost
	case "basic", "client_secret_basic":
		cfg.AuthMethod = auth.AuthClientSecretBasic
	default:
		return cfg, fmt.Errorf("--auth-method %q: use none, post or basic", lf.authMethod)
	}
	if lf.caFile != "" {
		pem, err := regularfile.Read(lf.caFile, maxCABytes)
		if err != nil {
			return cfg, fmt.Errorf("--ca-file: %w", err)
		}
		cfg.CAPEM = pem
	}
	// Endpoints typed on the command line are the user's own choice: their
	// origins are confirmed, and the engine still prints a warning when they
	// leave the issuer.
	for _, ep := range []string{lf.authzEndpoint, lf.tokenEndpoint, lf.userinfoEndpoint, lf.deviceEndpoint} {
		if ep != "" {
			cfg.TrustedOrigins = append(cfg.TrustedOrigins, ep)
		}
	}
	return cfg, nil
}

// parseGrant reads --grant.
func parseGrant(s string) (auth.Grant, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "code", "authorization-code", "authorization_code":
		return auth.GrantAuthorizationCode, nil
	case "device", "device-code", "device_code":
		return auth.GrantDevice, nil
	case "client-credentials", "client_credentials", "service":
		return auth.GrantClientCredentials, nil
	}
	return "", fmt.Errorf("--grant %q: use code, device or client-credentials", s)
}

// runLogin implements `pkce-desk login`. See loginUsage for its contract.
// stdin is read only with --paste (or --redirect-uri).
func runLogin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Progress lines come from the engine's goroutines (the loopback
	// receiver) while the opener prints the URL: one lock for all of stderr.
	stderr = &lockedWriter{w: stderr}
	lf, err := parseLoginFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "pkce-desk login: %s\n", oneLine(err.Error()))
		return exitUsage
	}
	cfg, err := lf.config()
	if err != nil {
		fmt.Fprintf(stderr, "pkce-desk login: %s\n", oneLine(err.Error()))
		return exitUsage
	}
	p := &progress{w: stderr, quiet: lf.quiet}
	opts := auth.LoginOptions{Trace: p.event, AppName: "pkce-desk login"}
	switch cfg.Grant {
	case auth.GrantAuthorizationCode:
		opts.Open = browserOpener(stderr, lf.noBrowser)
		if lf.paste || lf.redirectURI != "" {
			if stdin == nil {
				stdin = strings.NewReader("")
			}
			opts.Paste = auth.NewPasteBox()
			pctx, stop := context.WithCancel(ctx)
			defer stop()
			go readPastes(pctx, stdin, opts.Paste, stderr)
		}
	case auth.GrantDevice:
		if !lf.noBrowser {
			opts.Open = browserOpener(stderr, false)
		}
		opts.OnDeviceCode = func(dc auth.DeviceCode) { printDeviceCode(stderr, dc, showQR(stdout)) }
	}
	session, err := auth.Login(ctx, cfg, opts)
	if err != nil {
		fmt.Fprintf(stderr, "pkce-desk login: %s\n", oneLine(describe(err)))
		if errors.Is(err, auth.ErrCanceled) {
			return exitCanceled
		}
		if errors.Is(err, auth.ErrInvalidConfig) {
			return exitUsage
		}
		return exitFailed
	}
	if lf.asJSON {
		if err := writeJSONResult(stdout, session); err != nil {
			fmt.Fprintf(stderr, "pkce-desk login: writing the result: %s\n", oneLine(err.Error()))
			return exitFailed
		}
		return exitOK
	}
	writeSummary(stdout, session)
	return exitOK
}

// describe adds the next step to errors whose message alone may not say it.
func describe(err error) string {
	switch {
	case errors.Is(err, auth.ErrCanceled):
		return "sign-in canceled"
	case errors.Is(err, auth.ErrTimeout):
		return err.Error() + " (use --timeout for more time)"
	}
	return err.Error()
}

// oneLine keeps a message on a single line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// progress prints the few trace steps a terminal user needs, on stderr.
type progress struct {
	w     io.Writer
	quiet bool
}

// lockedWriter serialises writes from several goroutines, each Write whole.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (p *progress) event(e auth.Event) {
	if p.quiet {
		return
	}
	var line string
	switch {
	case e.Kind == auth.KindDiscovered:
		line = "Provider: " + strings.TrimPrefix(e.Message, "discovered provider metadata: ")
	case e.Kind == auth.KindListenerUp:
		if f, ok := e.Field("redirect_uri"); ok {
			line = "Waiting for the redirect at " + f.Value
		}
	case e.Kind == auth.KindCallbackIgnored:
		line = e.Message
	case e.Kind == auth.KindCallbackReceived || e.Kind == auth.KindCallbackError:
		line = "Browser returned: " + e.Message
	case e.Kind == auth.KindTokenRequest:
		line = "Exchanging the code at the token endpoint"
	case e.Kind == auth.KindClientCredentialsRequest:
		line = "Asking the token endpoint for the service account's token"
	case e.Kind == auth.KindDeviceSlowDown:
		line = "The provider asked to poll more slowly"
		if f, ok := e.Field("interval"); ok {
			line += " (every " + f.Value + ")"
		}
	case e.Check != nil && e.Check.Name == "endpoints at the issuer" && e.Check.Passed:
		line = "Warning: " + e.Check.Detail + " (the code, verifier and tokens go there)"
	case e.Check != nil && !e.Check.Passed:
		line = "ID token check failed: " + e.Check.Name + " — " + e.Check.Detail
	case e.Step == auth.StepIDToken && e.Check != nil && e.Check.Name == "subject":
		line = "ID token verified"
	}
	if line == "" {
		return
	}
	fmt.Fprintln(p.w, oneLine(line))
}

// browserOpener always prints the URL, so the user can open it by hand if
// nothing happens, then (unless noBrowser) opens it with $BROWSER or the
// platform default through internal/launch — the launcher the app window
// uses too. A browser that fails to start is reported on stderr; the engine
// traces it and the sign-in goes on waiting (for the redirect, a paste, or
// the device approval).
func browserOpener(stderr io.Writer, noBrowser bool) auth.Opener {
	return func(ctx context.Context, url string) error {
		if noBrowser {
			fmt.Fprintf(stderr, "Open this address in a browser:\n  %s\n", url)
			return nil
		}
		fmt.Fprintf(stderr, "If your browser did not open, visit:\n  %s\n", url)
		if err := launch.Open(ctx, url); err != nil {
			if ctx.Err() == nil {
				fmt.Fprintf(stderr, "Could not start the browser: %s — open the URL above yourself.\n", oneLine(err.Error()))
			}
			return err
		}
		return nil
	}
}

// readPastes hands each non-empty line of r to the waiting sign-in as the
// address the browser ended on, until one is accepted or nothing waits any
// more. A refused line gets its reason on stderr, and the next line is
// tried. Lines are capped (a URL is short).
func readPastes(ctx context.Context, r io.Reader, box *auth.PasteBox, stderr io.Writer) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		if ctx.Err() != nil {
			return
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		err := box.Submit(line)
		var pe *auth.PasteError
		switch {
		case err == nil:
			fmt.Fprintln(stderr, "Pasted address accepted.")
			return
		case errors.As(err, &pe):
			fmt.Fprintf(stderr, "Pasted address refused: %s — paste the address your browser shows after signing in.\n", oneLine(pe.Reason))
		case errors.Is(err, auth.ErrNothingWaiting):
			return
		default:
			fmt.Fprintf(stderr, "Pasted address refused: %s\n", oneLine(err.Error()))
		}
	}
}

// isTerminal reports whether w is a terminal (a character device); a
// variable so tests can stand one in.
var isTerminal = func(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// showQR says whether to draw the device grant's QR code: only when stdout
// is a terminal, so a script reading the output never gets one.
func showQR(stdout io.Writer) bool { return isTerminal(stdout) }

// printDeviceCode tells the user where to approve the sign-in (RFC 8628
// §3.3): the verification URI and the user code always, the QR code of the
// URI with the code when withQR.
func printDeviceCode(w io.Writer, dc auth.DeviceCode, withQR bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "To sign in, open %s and enter the code:\n\n    %s\n\n", dc.VerificationURI, dc.UserCode)
	target := dc.VerificationURIComplete
	if target != "" {
		fmt.Fprintf(&b, "Or open this address, which carries the code:\n  %s\n", target)
	} else {
		target = dc.VerificationURI
	}
	if withQR {
		if c, err := qr.Encode(target); err == nil {
			b.WriteString("\nOr scan this with a phone:\n\n")
			b.WriteString(c.Terminal())
		}
	}
	if !dc.ExpiresAt.IsZero() {
		fmt.Fprintf(&b, "The code expires at %s. Waiting for you to approve…\n", dc.ExpiresAt.Local().Format("15:04:05"))
	}
	io.WriteString(w, b.String())
}

// loginResult is the --json output.
type loginResult struct {
	Grant         string         `json:"grant"`
	AccessToken   string         `json:"access_token"`
	TokenType     string         `json:"token_type"`
	Expiry        string         `json:"expiry,omitempty"`
	RefreshToken  string         `json:"refresh_token,omitempty"`
	Scope         string         `json:"scope,omitempty"`
	IDToken       string         `json:"id_token,omitempty"`
	IDTokenClaims map[string]any `json:"id_token_claims,omitempty"`
}

func writeJSONResult(w io.Writer, s *auth.Session) error {
	t := s.Token()
	r := loginResult{
		Grant:         string(s.Grant()),
		AccessToken:   t.AccessToken.Reveal(),
		TokenType:     t.TokenType,
		RefreshToken:  t.RefreshToken.Reveal(),
		Scope:         t.Scope,
		IDToken:       t.IDToken.Reveal(),
		IDTokenClaims: s.IDTokenClaims(),
	}
	if !t.Expiry.IsZero() {
		r.Expiry = t.Expiry.UTC().Format(time.RFC3339)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

func writeSummary(w io.Writer, s *auth.Session) {
	t := s.Token()
	claims := s.IDTokenClaims()
	who := s.Subject()
	for _, k := range []string{"email", "preferred_username", "name"} {
		if v, ok := claims[k].(string); ok && v != "" {
			who = fmt.Sprintf("%s (%s)", v, s.Subject())
			break
		}
	}
	if s.Grant() == auth.GrantClientCredentials {
		fmt.Fprintln(w, "Got a token for the service account.")
	} else if who == "" {
		fmt.Fprintln(w, "Signed in.")
	} else {
		fmt.Fprintf(w, "Signed in as %s.\n", who)
	}
	exp := "no expiry given"
	if !t.Expiry.IsZero() {
		exp = "expires " + t.Expiry.Local().Format(time.RFC3339)
	}
	fmt.Fprintf(w, "  Access token:  %s (%s, %s)\n", t.AccessToken.Mask(), t.TokenType, exp)
	if !t.RefreshToken.IsZero() {
		fmt.Fprintf(w, "  Refresh token: %s\n", t.RefreshToken.Mask())
	}
	if !t.IDToken.IsZero() {
		fmt.Fprintf(w, "  ID token:      %s\n", t.IDToken.Mask())
	}
	if t.Scope != "" {
		fmt.Fprintf(w, "  Scope:         %s\n", t.Scope)
	}
	if len(claims) > 0 {
		keys := make([]string, 0, len(claims))
		for k := range claims {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintln(w, "  ID token claims:")
		for _, k := range keys {
			b, _ := json.Marshal(claims[k])
			fmt.Fprintf(w, "    %s: %s\n", k, b)
		}
	}
	fmt.Fprintln(w, "Tokens are masked; use --json to print them.")
}
