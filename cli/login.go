package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"pkcedesk/auth"
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

Signs in the way RFC 8252 says a native app should: the system browser, a
redirect to a one-shot listener on 127.0.0.1, PKCE with S256, state and nonce,
then a single code exchange and every ID-token check.

The authorization URL opens with the command in $BROWSER (split on spaces, the
URL appended as the last argument) when it is set, else the platform default
(xdg-open, open, rundll32). It is also printed to stderr. Progress goes to
stderr; the result goes to stdout. Ctrl-C cancels cleanly.

Output: without --json a readable summary with tokens masked; with --json one
JSON object: access_token, token_type, expiry (RFC 3339), refresh_token (if
any), scope, id_token, id_token_claims. --json prints real token values: keep
that output private.

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
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), loginUsage)
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
		Issuer:    lf.issuer,
		ClientID:  lf.clientID,
		Params:    lf.params,
		Timeout:   lf.timeout,
		Endpoints: auth.Endpoints{Authorization: lf.authzEndpoint, Token: lf.tokenEndpoint, UserInfo: lf.userinfoEndpoint},
		Redirect: auth.Redirect{Host: lf.redirectHost, Port: lf.redirectPort, Path: lf.redirectPath,
			AllowLocalhost: lf.redirectHost == "localhost"},
	}
	if lf.clientID == "" {
		return cfg, errors.New("--client-id is required; copy it from the provider's app registration")
	}
	if lf.issuer == "" && (lf.authzEndpoint == "" || lf.tokenEndpoint == "") {
		return cfg, errors.New("give --issuer, or both --authorization-endpoint and --token-endpoint")
	}
	scope := lf.scope
	if lf.issuer == "" && !lf.scopeSet {
		scope = ""
	}
	cfg.Scopes = strings.Fields(scope)
	secret := lf.clientSecret
	if secret == "" {
		secret = os.Getenv(clientSecretEnv)
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
	for _, ep := range []string{lf.authzEndpoint, lf.tokenEndpoint, lf.userinfoEndpoint} {
		if ep != "" {
			cfg.TrustedOrigins = append(cfg.TrustedOrigins, ep)
		}
	}
	return cfg, nil
}

// runLogin implements `pkce-desk login`. See loginUsage for its contract.
func runLogin(ctx context.Context, args []string, stdout, stderr io.Writer) int {
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
	session, err := auth.Login(ctx, cfg, auth.LoginOptions{Open: browserOpener(stderr), Trace: p.event})
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

// browserOpener opens the URL with $BROWSER or the platform default and
// always prints it, so the user can open it by hand if nothing happens.
// A browser that fails to start is reported but does not end the sign-in.
func browserOpener(stderr io.Writer) auth.Opener {
	return func(ctx context.Context, url string) error {
		fmt.Fprintf(stderr, "If your browser did not open, visit:\n  %s\n", url)
		name, args := browserCommand(os.Getenv("BROWSER"), runtime.GOOS)
		cmd := exec.Command(name, append(args, url)...)
		cmd.Stdout, cmd.Stderr = nil, nil
		if err := cmd.Start(); err != nil {
			fmt.Fprintf(stderr, "Could not start the browser (%s): %s — open the URL above yourself.\n", name, oneLine(err.Error()))
			return nil
		}
		go func() { _ = cmd.Wait() }() // reap; the browser may outlive the sign-in
		return nil
	}
}

// browserCommand picks the command: $BROWSER split on spaces, else the
// platform's URL opener.
func browserCommand(env, goos string) (string, []string) {
	if f := strings.Fields(env); len(f) > 0 {
		return f[0], f[1:]
	}
	switch goos {
	case "darwin":
		return "open", nil
	case "windows":
		return "rundll32", []string{"url.dll,FileProtocolHandler"}
	}
	return "xdg-open", nil
}

// loginResult is the --json output.
type loginResult struct {
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
	if who == "" {
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
