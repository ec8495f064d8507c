// Command minclient is the yardstick for `pkce-desk login` (issue 12): a
// minimal but careful RFC 8252 native-app sign-in written the plain way with
// golang.org/x/oauth2 and github.com/coreos/go-oidc/v3, nothing of PKCE
// Desk's. The login benchmark (e2e/providers/bench_login_test.go) times it
// against pkce-desk on the same provider with the same stand-in browser.
//
// It takes the inputs `pkce-desk login` takes (--issuer, --client-id,
// --scope, --redirect-host, --timeout; --json is accepted and is the only
// output) and does, in order:
//
//   - OpenID discovery of --issuer (go-oidc checks the issuer matches);
//   - a loopback listener on 127.0.0.1:0 (RFC 8252 §7.3, §8.3), redirect URI
//     http://127.0.0.1:PORT/callback;
//   - PKCE S256 (RFC 7636), random state and nonce;
//   - opens the authorization URL with $BROWSER (split on spaces, the URL
//     appended), else xdg-open, and prints it on stderr;
//   - waits for the one callback whose state matches (others get 400),
//     answers the browser, closes the listener;
//   - exchanges the code with the verifier (client id in the body, no
//     auth-style probing, so a failed exchange is never sent twice);
//   - verifies the ID token (signature, issuer, audience, expiry — go-oidc)
//     and its nonce (go-oidc does not);
//
// then prints one JSON object on stdout: access_token, token_type, expiry,
// refresh_token, scope, id_token, id_token_claims. Exit status 0 on success,
// 1 on any failure (one line on stderr).
package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "minclient: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	issuer := flag.String("issuer", "", "OpenID Provider URL (required)")
	clientID := flag.String("client-id", "", "public client ID (required)")
	scope := flag.String("scope", "openid profile offline_access", "space-separated scopes")
	host := flag.String("redirect-host", "127.0.0.1", "loopback IP literal for the redirect: 127.0.0.1 or ::1")
	timeout := flag.Duration("timeout", 5*time.Minute, "how long to wait for the browser")
	flag.Bool("json", true, "print the tokens as JSON (always on; accepted for pkce-desk's flags)")
	flag.Parse()
	if *issuer == "" || *clientID == "" {
		return errors.New("--issuer and --client-id are required")
	}
	if ip := net.ParseIP(*host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("--redirect-host %q is not a loopback IP literal", *host)
	}

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	// Every request the libraries make goes through a client with a timeout.
	ctx = oidc.ClientContext(ctx, &http.Client{Timeout: 30 * time.Second})

	provider, err := oidc.NewProvider(ctx, *issuer)
	if err != nil {
		return fmt.Errorf("discovery: %w", err)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort(*host, "0"))
	if err != nil {
		return fmt.Errorf("loopback listener: %w", err)
	}
	cfg := oauth2.Config{
		ClientID: *clientID,
		Endpoint: provider.Endpoint(),
		// The client id goes in the body (RFC 6749 §2.3.1 for a public
		// client); setting the style stops x/oauth2 from probing, which
		// would send a failed exchange twice.
		RedirectURL: "http://" + ln.Addr().String() + "/callback",
		Scopes:      strings.Fields(*scope),
	}
	cfg.Endpoint.AuthStyle = oauth2.AuthStyleInParams

	verifier := oauth2.GenerateVerifier()
	state, nonce := random(), random()
	authURL := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))

	code, err := receive(ctx, ln, state, func() error { return openBrowser(authURL) })
	if err != nil {
		return err
	}
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return fmt.Errorf("code exchange: %w", err)
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return errors.New("the token response has no id_token")
	}
	idt, err := provider.Verifier(&oidc.Config{ClientID: *clientID}).Verify(ctx, rawID)
	if err != nil {
		return fmt.Errorf("ID token: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return errors.New("ID token: nonce does not match the request")
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return fmt.Errorf("ID token claims: %w", err)
	}
	out := struct {
		AccessToken   string         `json:"access_token"`
		TokenType     string         `json:"token_type"`
		Expiry        string         `json:"expiry,omitempty"`
		RefreshToken  string         `json:"refresh_token,omitempty"`
		Scope         string         `json:"scope,omitempty"`
		IDToken       string         `json:"id_token"`
		IDTokenClaims map[string]any `json:"id_token_claims"`
	}{AccessToken: tok.AccessToken, TokenType: tok.Type(), RefreshToken: tok.RefreshToken, IDToken: rawID, IDTokenClaims: claims}
	if !tok.Expiry.IsZero() {
		out.Expiry = tok.Expiry.UTC().Format(time.RFC3339)
	}
	out.Scope, _ = tok.Extra("scope").(string)
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// receive serves the loopback redirect on ln, calls open once it listens,
// and returns the code of the first callback carrying state. Callbacks with
// another state are answered 400 and ignored; a callback with the right
// state and an error ends the wait with that error. The listener is closed
// before receive returns.
func receive(ctx context.Context, ln net.Listener, state string, open func() error) (string, error) {
	type result struct {
		code string
		err  error
	}
	done := make(chan result, 1)
	mux := http.NewServeMux()
	mux.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1 {
			http.Error(w, "unexpected state", http.StatusBadRequest)
			return
		}
		res := result{code: q.Get("code")}
		if e := q.Get("error"); e != "" {
			res = result{err: fmt.Errorf("the provider answered %s: %s", e, q.Get("error_description"))}
		} else if res.code == "" {
			res = result{err: errors.New("the callback has no code")}
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if res.err != nil {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintln(w, "Sign-in failed; see the terminal.")
		} else {
			fmt.Fprintln(w, "Signed in; you can close this tab.")
		}
		select {
		case done <- res:
		default: // a second valid callback: the first one counts
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		// Let the handler's answer reach the browser, then stop.
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			_ = srv.Close()
		}
	}()
	if err := open(); err != nil {
		return "", err
	}
	select {
	case r := <-done:
		return r.code, r.err
	case <-ctx.Done():
		return "", fmt.Errorf("no callback from the browser: %w", ctx.Err())
	}
}

// openBrowser prints u on stderr and starts $BROWSER (or xdg-open) with it,
// without waiting for it.
func openBrowser(u string) error {
	fmt.Fprintf(os.Stderr, "Opening %s\n", u)
	argv := strings.Fields(os.Getenv("BROWSER"))
	if len(argv) == 0 {
		argv = []string{"xdg-open"}
	}
	cmd := exec.Command(argv[0], append(argv[1:], u)...)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start the browser: %w", err)
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// random returns 32 random octets, base64url-encoded.
func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
