// Command zitadelop runs zitadel/oidc's example OpenID Provider
// (github.com/zitadel/oidc/v3/example/server) for the real-provider tests,
// bound to a loopback address only.
//
// The upstream example listens on :9998 on every interface with the issuer
// http://localhost:9998/. This wrapper instead listens on -addr (default
// 127.0.0.1:0, an ephemeral port), refuses any non-loopback address, derives
// the issuer from the port it actually bound, and prints one JSON line
// {"issuer": "...", "addr": "...", "username": "..."} on stdout once it is
// accepting connections, so a test can start it without guessing ports.
//
// Clients: the example's public client "native" (token_endpoint_auth_method
// none, PKCE S256 required, refresh tokens rotated on every use, RFC 7009
// revocation, RP-initiated logout). Its redirect URIs come from -redirect or
// the REDIRECT_URI environment variable (comma separated); zitadel/oidc
// matches a loopback redirect for a native client by path and query only, so
// http://127.0.0.1/callback accepts any port (RFC 8252 §7.3).
//
// Two more clients for the other grants (issue 14): "device", the example's
// DeviceClient (confidential, client_secret_basic, the device_code grant
// only) with a secret made at every start, and the example storage's fixed
// service user "sid1" / "verysecret" (client_credentials only). The ready
// line names both. The native client may also use token exchange: the
// example's OP checks only that the (empty) secret matches. One upstream
// bug of the example storage's device flow is corrected (deviceSubjectFix).
//
// The single user is test-user@<issuer host> with password "verysecure"
// (the example storage derives the user name from the issuer's host).
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
)

// defaultRedirects are registered for the native client when neither
// -redirect nor REDIRECT_URI is given: both loopback literals, no port.
const defaultRedirects = "http://127.0.0.1/callback,http://[::1]/callback"

// ready is the line printed on stdout once the server accepts connections.
type ready struct {
	Issuer   string `json:"issuer"`
	Addr     string `json:"addr"`
	ClientID string `json:"client_id"`
	Username string `json:"username"`
	Password string `json:"password"`
	// DeviceClientID and DeviceClientSecret: the device-grant client.
	DeviceClientID     string `json:"device_client_id"`
	DeviceClientSecret string `json:"device_client_secret"`
	// ServiceClientID and ServiceClientSecret: the example storage's
	// client-credentials service user (fixed upstream).
	ServiceClientID     string `json:"service_client_id"`
	ServiceClientSecret string `json:"service_client_secret"`
}

// Ids of the extra clients; the service user and its secret are fixed in
// the example storage (storage.NewStorage's serviceUsers).
const (
	deviceClientID      = "device"
	serviceClientID     = "sid1"
	serviceClientSecret = "verysecret"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "zitadelop:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on (port 0 picks a free port)")
	redirects := flag.String("redirect", "", "comma-separated redirect URIs for the native client (default $REDIRECT_URI or "+defaultRedirects+")")
	verbose := flag.Bool("v", false, "log every request at debug level")
	flag.Parse()

	redirectList := *redirects
	if redirectList == "" {
		redirectList = os.Getenv("REDIRECT_URI")
	}
	if redirectList == "" {
		redirectList = defaultRedirects
	}

	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return fmt.Errorf("-addr %q is not host:port: %w", *addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-addr %q: only loopback IP literals are allowed (e.g. 127.0.0.1:0)", *addr)
	}

	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	bound := ln.Addr().(*net.TCPAddr)
	issuer := fmt.Sprintf("http://%s/", net.JoinHostPort(bound.IP.String(), fmt.Sprint(bound.Port)))

	secret := make([]byte, 16)
	if _, err := rand.Read(secret); err != nil {
		return err
	}
	deviceSecret := hex.EncodeToString(secret)
	storage.RegisterClients(
		storage.NativeClient("native", splitList(redirectList)...),
		storage.DeviceClient(deviceClientID, deviceSecret),
	)
	users := storage.NewUserStore(issuer)
	router := exampleop.SetupServer(issuer, deviceSubjectFix{storage.NewStorage(users), users}, logger, false)

	srv := &http.Server{
		Handler:           router,
		ReadHeaderTimeout: 10 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	line, err := json.Marshal(ready{
		Issuer:   issuer,
		Addr:     bound.String(),
		ClientID: "native",
		Username: "test-user@" + bound.IP.String(),
		Password: "verysecure",

		DeviceClientID:      deviceClientID,
		DeviceClientSecret:  deviceSecret,
		ServiceClientID:     serviceClientID,
		ServiceClientSecret: serviceClientSecret,
	})
	if err != nil {
		return err
	}
	fmt.Println(string(line))

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case s := <-sig:
		logger.Info("shutting down", "signal", s.String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// deviceSubjectFix corrects one bug of the example storage: its device
// verification page completes a device authorization with the login name
// (test-user@<host>) as the subject, while everything that later reads the
// subject (ID token claims, userinfo) looks users up by id ("id1"), so a
// device grant asking for openid ends in server_error "user not found" and
// userinfo answers 403. CompleteDeviceAuthorization here maps the name to
// the user's id first; every other method is the example storage's own
// (embedding keeps its optional interfaces: device, client credentials,
// token exchange).
type deviceSubjectFix struct {
	*storage.Storage
	users storage.UserStore
}

// CompleteDeviceAuthorization records the user's id, not the login name.
func (d deviceSubjectFix) CompleteDeviceAuthorization(ctx context.Context, userCode, subject string) error {
	if u := d.users.GetUserByUsername(subject); u != nil {
		subject = u.ID
	}
	return d.Storage.CompleteDeviceAuthorization(ctx, userCode, subject)
}

// splitList splits a comma-separated list and drops empty entries.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
