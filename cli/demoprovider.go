package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"pkcedesk/demo"
)

// demoScopes is what the example login line asks for: everything the demo
// API can show (orders:read for GET /api/orders; offline_access for refresh).
const demoScopes = "openid profile email offline_access orders:read"

// demoProviderInfo is the --json output: one object on one line.
type demoProviderInfo struct {
	Issuer   string `json:"issuer"`
	ClientID string `json:"client_id"`
	APIBase  string `json:"api_base"`
	// The demo's service account (client credentials, token exchange):
	// a demo secret for a provider on this computer only.
	ServiceClientID     string `json:"service_client_id"`
	ServiceClientSecret string `json:"service_client_secret"`
}

// runDemoProvider implements `pkce-desk demo-provider`: it starts the demo
// provider and API on a loopback address, prints where they are, and serves
// until ctx is cancelled (SIGINT/SIGTERM in Run), then closes cleanly and
// returns 0. Exit codes: 0 after a clean stop or --help, 1 when the server
// fails, 2 for bad flags or a non-loopback --addr.
func runDemoProvider(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("demo-provider", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", demo.DefaultAddr, "loopback `host:port` to listen on (127.0.0.1 or [::1]; port 0 picks a free one)")
	lifetime := fs.Duration("access-token-lifetime", demo.DefaultAccessTokenLifetime, "how long access tokens live (short, so refresh can be shown)")
	asJSON := fs.Bool("json", false, "print one JSON object {issuer, client_id, api_base, service_client_id, service_client_secret} instead of text")
	stateDir := fs.String("state-dir", "", "keep the signing key, port and (hashed) refresh-token grants in `dir`, so sign-ins survive a restart (default: memory only)")
	verbose := fs.Bool("v", false, "log each request (method, path, status; never tokens) to stderr")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: pkce-desk demo-provider [flags]\n\n"+
			"Runs the built-in demo OpenID Connect provider and demo API on this computer only,\n"+
			"until interrupted (Ctrl+C).\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "pkce-desk demo-provider: unexpected argument %q; see --help\n", fs.Arg(0))
		return 2
	}
	if *lifetime <= 0 {
		fmt.Fprintf(stderr, "pkce-desk demo-provider: --access-token-lifetime must be positive, e.g. 2m (got %v)\n", *lifetime)
		return 2
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	srv, err := demo.Start(ctx, demo.Options{Addr: *addr, AccessTokenLifetime: *lifetime, Logger: logger, StateDir: *stateDir})
	if err != nil {
		fmt.Fprintf(stderr, "pkce-desk demo-provider: %v\n", err)
		if errors.Is(err, demo.ErrNotLoopback) {
			return 2
		}
		return 1
	}
	info := demoProviderInfo{Issuer: srv.Issuer(), ClientID: srv.ClientID(), APIBase: srv.APIBase(),
		ServiceClientID: demo.ServiceClientID, ServiceClientSecret: srv.ServiceClientSecret()}
	if *asJSON {
		if err := json.NewEncoder(stdout).Encode(info); err != nil {
			srv.Close()
			fmt.Fprintf(stderr, "pkce-desk demo-provider: write output: %v\n", err)
			return 1
		}
	} else {
		printDemoProviderInfo(stdout, info, srv.Users())
	}

	<-ctx.Done()
	if err := srv.Close(); err != nil {
		fmt.Fprintf(stderr, "pkce-desk demo-provider: %v\n", err)
		return 1
	}
	return 0
}

// printDemoProviderInfo writes the human-readable banner.
func printDemoProviderInfo(w io.Writer, info demoProviderInfo, users []demo.User) {
	var names []string
	for _, u := range users {
		names = append(names, fmt.Sprintf("%s (%s)", u.Username, strings.Join(u.Roles, ", ")))
	}
	fmt.Fprintf(w, `PKCE Desk demo provider is running (Ctrl+C to stop).

  Issuer     %s
  Client ID  %s   (public client, PKCE S256, no secret)
  Redirect   http://127.0.0.1/callback   (any port; also http://[::1]/callback)
  API base   %s   (GET /me, GET /orders, POST /orders)
  Users      %s   (no passwords: pick one on the login page)
  Service    %s   (client credentials; secret %s)

Sign in from a terminal:
  pkce-desk login --issuer %s --client-id %s --scope %q
  pkce-desk login --grant device --issuer %s --client-id %s
  PKCE_DESK_CLIENT_SECRET=%s pkce-desk login --grant client-credentials --issuer %s --client-id %s
`, info.Issuer, info.ClientID, info.APIBase, strings.Join(names, ", "), info.ServiceClientID, info.ServiceClientSecret,
		info.Issuer, info.ClientID, demoScopes, info.Issuer, info.ClientID,
		info.ServiceClientSecret, info.Issuer, info.ServiceClientID)
}
