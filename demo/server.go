package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zitadel/oidc/v3/pkg/op"
)

// DefaultAddr is where Start listens when Options.Addr is empty: loopback,
// ephemeral port.
const DefaultAddr = "127.0.0.1:0"

// DefaultAccessTokenLifetime is short on purpose so a demo can show a refresh.
const DefaultAccessTokenLifetime = 2 * time.Minute

// idTokenLifetime is the ID token's validity.
const idTokenLifetime = 10 * time.Minute

// ErrNotLoopback is returned by Start when Options.Addr is not a loopback IP
// address: the demo provider must never be reachable from other machines.
var ErrNotLoopback = errors.New("demo: the demo provider listens on loopback only (127.0.0.1 or [::1])")

// Options configures Start. The zero value is valid: 127.0.0.1 on an
// ephemeral port, two-minute access tokens, no logging, nothing on disk.
type Options struct {
	// Addr is host:port to listen on; the host must be a loopback IP literal.
	// Default "127.0.0.1:0".
	Addr string
	// AccessTokenLifetime is how long access tokens live. Default 2 minutes.
	AccessTokenLifetime time.Duration
	// Logger receives request and lifecycle logs (never tokens, codes or
	// query strings). Default: discard.
	Logger *slog.Logger
	// StateDir, when set, makes the provider remember across restarts what a
	// kept sign-in needs: its signing key (demo-key.json), the port it last
	// listened on and the refresh-token grants (demo-state.json). Start
	// creates the directory with mode 0700; files are 0600 and replaced
	// atomically. Refresh tokens are stored only as SHA-256 hashes; no token,
	// code or verifier is ever written. With Addr's port 0, Start tries the
	// remembered port first (same issuer) and takes an ephemeral one if it is
	// taken. Access tokens are not remembered: after a restart the API
	// refuses them and clients refresh. A damaged file is set aside with a
	// ".corrupt" suffix and replaced. Only one running Server per process may
	// use a directory. Empty (the default): everything in memory, as if new.
	// The service client's secret (ServiceClient) is derived from the kept
	// signing key, so it too stays the same across restarts.
	StateDir string
	// DevicePollInterval is the device grant's polling interval (RFC 8628
	// §3.2 `interval`), in whole seconds (rounded up). Default 5 s; tests
	// use 1 s. A device polling again within half of it gets slow_down and
	// 5 s more (§3.5).
	DevicePollInterval time.Duration
	// DeviceCodeLifetime is how long a device code and its user code stay
	// valid (`expires_in`), in whole seconds (rounded up). Default 10 minutes.
	DeviceCodeLifetime time.Duration
}

// Server is a running demo provider and demo API. Its methods are safe for
// concurrent use.
type Server struct {
	issuer   string
	host     string // host:port as clients must address it
	log      *slog.Logger
	users    *userDirectory
	client   *demoClient
	service  *serviceClient
	storage  *storage
	provider *op.Provider
	orders   *orderBook
	httpSrv  *http.Server
	ln       net.Listener
	stateDir *stateDir // nil without Options.StateDir

	clock     atomic.Int64 // test-only offset added to time.Now, in nanoseconds
	closeOnce sync.Once
	closeErr  error
	done      chan struct{} // closed once Close has finished
}

// Start listens on opts.Addr and serves the provider and the API until ctx
// is cancelled or Close is called. It fails with ErrNotLoopback for a
// non-loopback address, with a wrapped net error if an explicit port is
// taken, and with an error wrapping ErrStateDir if opts.StateDir cannot be
// created, read or written (a damaged file in it is not an error).
func Start(ctx context.Context, opts Options) (_ *Server, err error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("demo: start: %w", err)
	}
	addr := opts.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	if err := checkLoopbackAddr(addr); err != nil {
		return nil, err
	}
	lifetime := opts.AccessTokenLifetime
	if lifetime == 0 {
		lifetime = DefaultAccessTokenLifetime
	}
	if lifetime < 0 {
		return nil, fmt.Errorf("demo: access token lifetime %v is negative; use a positive duration such as 2m", lifetime)
	}
	pollInterval, err := wholeSeconds("device poll interval", opts.DevicePollInterval, DefaultDevicePollInterval)
	if err != nil {
		return nil, err
	}
	deviceLifetime, err := wholeSeconds("device code lifetime", opts.DeviceCodeLifetime, DefaultDeviceCodeLifetime)
	if err != nil {
		return nil, err
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}

	var (
		key   *signingKey
		dir   *stateDir
		saved stateFile
	)
	if opts.StateDir == "" {
		key, err = newSigningKey()
		if err != nil {
			return nil, err
		}
	} else {
		dir, err = openStateDir(opts.StateDir)
		if err != nil {
			return nil, err
		}
		defer func() {
			if err != nil {
				dir.release()
			}
		}()
		if key, err = loadOrCreateSigningKey(dir, logger); err != nil {
			return nil, err
		}
		if saved, err = readStateFile(dir, time.Now(), logger); err != nil {
			return nil, err
		}
	}
	ln, err := listen(ctx, addr, saved.Port, logger)
	if err != nil {
		return nil, err
	}
	host := ln.Addr().String() // "127.0.0.1:PORT" or "[::1]:PORT"
	s := &Server{
		issuer:   "http://" + host,
		host:     host,
		log:      logger,
		users:    newUserDirectory(),
		orders:   newOrderBook(),
		ln:       ln,
		stateDir: dir,
		done:     make(chan struct{}),
	}
	s.client = &demoClient{
		id:              PublicClientID,
		idTokenLifetime: idTokenLifetime,
		loginURL: func(id string) string {
			return s.issuer + loginPath + "?" + url.Values{"id": {id}}.Encode()
		},
	}
	secret, err := deriveServiceSecret(key)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s.service = &serviceClient{id: ServiceClientID, secret: secret, idTokenLifetime: idTokenLifetime}
	s.storage = newStorage(key, s.users, s.client, lifetime)
	s.storage.service = s.service
	s.storage.devicePollInterval = pollInterval
	s.storage.now = s.now
	if dir != nil {
		s.storage.restoreGrants(saved.Grants)
		s.storage.state = &stateWriter{path: dir.file(stateFileName), port: listenerPort(ln), issuer: s.issuer, log: logger}
		// Record the port now and write back the pruned grants.
		if err = s.storage.saveState(false); err != nil {
			ln.Close()
			return nil, fmt.Errorf("%w: %w", ErrStateDir, err)
		}
	}

	s.provider, err = s.newProvider(pollInterval, deviceLifetime)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s.httpSrv = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := s.httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("demo provider stopped", "err", err)
		}
	}()
	go func() {
		select {
		case <-ctx.Done():
			s.Close()
		case <-s.done:
		}
	}()
	logger.Info("demo provider started", "issuer", s.issuer, "client_id", PublicClientID,
		"service_client_id", ServiceClientID, "access_token_lifetime", lifetime)
	return s, nil
}

// checkLoopbackAddr accepts host:port whose host is a loopback IP literal.
func checkLoopbackAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("demo: address %q is not host:port (%w); use e.g. 127.0.0.1:0", addr, err)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Errorf("demo: address %q has a bad port: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("%w; got %q", ErrNotLoopback, addr)
	}
	return nil
}

// wholeSeconds applies a default to a zero duration option, refuses a
// negative one and rounds up to whole seconds (the wire format's unit).
func wholeSeconds(what string, d, def time.Duration) (time.Duration, error) {
	switch {
	case d == 0:
		return def, nil
	case d < 0:
		return 0, fmt.Errorf("demo: %s %v is negative; use a positive duration such as %v", what, d, def)
	}
	return (d + time.Second - 1).Truncate(time.Second), nil
}

// newProvider builds the op provider with a fresh random crypto key (used by
// op to encrypt authorization codes) and this Server's storage.
func (s *Server) newProvider(pollInterval, deviceLifetime time.Duration) (*op.Provider, error) {
	cfg := &op.Config{
		DefaultLogoutRedirectURI: s.issuer + signedOutPath,
		CodeMethodS256:           true,
		AuthMethodPost:           false,
		GrantTypeRefreshToken:    true,
		SupportedScopes:          append([]string(nil), allowedScopes...),
		SupportedClaims: append(append([]string(nil), op.DefaultSupportedClaims...),
			"roles", "scope"),
		DeviceAuthorization: op.DeviceAuthorizationConfig{
			Lifetime:     deviceLifetime,
			PollInterval: pollInterval,
			UserFormPath: devicePath,
			UserCode:     op.UserCodeBase20, // BCDF-GHJK: no vowels, no look-alikes
		},
	}
	if _, err := rand.Read(cfg.CryptoKey[:]); err != nil {
		return nil, fmt.Errorf("demo: generate crypto key: %w", err)
	}
	// An http:// issuer is allowed only because the listener is loopback-only
	// (checked in Start); op refuses it without this explicit option.
	p, err := op.NewProvider(cfg, s.storage, op.StaticIssuer(s.issuer), op.WithAllowInsecure())
	if err != nil {
		return nil, fmt.Errorf("demo: create provider: %w", err)
	}
	return p, nil
}

// Issuer is the provider's issuer URL, e.g. http://127.0.0.1:53120.
func (s *Server) Issuer() string { return s.issuer }

// APIBase is the demo API's base URL, e.g. http://127.0.0.1:53120/api.
func (s *Server) APIBase() string { return s.issuer + apiPrefix }

// ClientID is the public client's id, "pkce-desk-demo". It may use the
// authorization code grant (PKCE S256), refresh tokens, the device grant
// (RFC 8628) and token exchange (RFC 8693).
func (s *Server) ClientID() string { return s.client.id }

// Users returns a copy of the demo users (alice, bob).
func (s *Server) Users() []User { return s.users.all() }

// Close stops the server and frees its port; with a StateDir it writes the
// final state and frees the directory for another Server. Safe to call more
// than once.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		defer close(s.done)
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if err := s.httpSrv.Shutdown(ctx); err != nil {
			s.closeErr = errors.Join(fmt.Errorf("demo: shutdown: %w", err), s.httpSrv.Close())
		}
		if s.stateDir != nil {
			// Requests have finished: write the final state (expired grants
			// pruned), stop persisting, and free the directory.
			if err := s.storage.saveState(true); err != nil {
				s.closeErr = errors.Join(s.closeErr, err)
			}
			s.stateDir.release()
		}
		s.log.Info("demo provider stopped", "issuer", s.issuer)
	})
	return s.closeErr
}

// now is the Server's clock: wall time plus a test-only offset.
func (s *Server) now() time.Time {
	return time.Now().Add(time.Duration(s.clock.Load()))
}

// opContext returns ctx carrying the issuer, as op's own router would.
func (s *Server) opContext(ctx context.Context) context.Context {
	return op.ContextWithIssuer(ctx, s.issuer)
}
