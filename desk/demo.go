package desk

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"

	"pkcedesk/auth"
	"pkcedesk/demo"
	"pkcedesk/store"
)

// demoRunner starts the built-in demo provider once, on demand, on an
// ephemeral loopback port, and stops it when the app quits.
type demoRunner struct {
	mu  sync.Mutex
	srv *demo.Server
}

// ensure returns the running demo server, starting it if needed. stateDir
// lets the demo remember its key, port and (hashed) refresh-token grants,
// so a kept demo sign-in can be restored at the next launch.
func (r *demoRunner) ensure(ctx context.Context, log *slog.Logger, stateDir string, edit func(*demo.Options)) (*demo.Server, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv != nil {
		return r.srv, nil
	}
	opts := demo.Options{Logger: log.With("component", "demo"), StateDir: stateDir}
	if edit != nil {
		edit(&opts)
	}
	srv, err := demo.Start(ctx, opts)
	if err != nil {
		return nil, err
	}
	r.srv = srv
	return srv, nil
}

// running returns the server if it is up, else nil.
func (r *demoRunner) running() *demo.Server {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.srv
}

func (r *demoRunner) close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv != nil {
		_ = r.srv.Close()
		r.srv = nil
		// Kept-alive connections to it are dead now; a demo started
		// again on the same port must not get a token POST on one.
		auth.CloseIdleConnections()
	}
}

// startDemo starts the demo provider with its state kept beside the
// profiles (keys and grant hashes only, never a token).
func (d *Desk) startDemo() (*demo.Server, error) {
	return d.demo.ensure(d.ctx, d.log, filepath.Join(d.st().Dir(), "demo"), d.opts.demoOptions)
}

// isDemo reports whether p uses the built-in demo provider (the built-in
// profile or a copy of it), whose issuer and API base are only known once
// the demo provider runs: on disk such a profile keeps the placeholder.
func isDemo(p store.Profile) bool { return p.Preset == store.DemoPresetID }

// withDemo fills the demo profile's runtime issuer and API base in memory
// (never on disk: the port changes every run).
func (d *Desk) withDemo(p store.Profile) store.Profile {
	if !isDemo(p) {
		return p
	}
	if srv := d.demo.running(); srv != nil {
		if p.Issuer == store.DemoIssuerPlaceholder || p.Issuer == "" {
			p.Issuer = srv.Issuer()
		}
		if p.APIBase == "" || p.APIBase == store.DemoIssuerPlaceholder {
			p.APIBase = srv.APIBase()
		}
	}
	return p
}

// profileForUse loads a profile for a sign-in or request, starting the demo
// provider first when it is the demo profile.
//
// An exchanged session's id (ExchangeToken) gives the profile it came from
// (so a request sent with it is kept in that profile's history), named as
// the session is.
func (d *Desk) profileForUse(ctx context.Context, id string) (store.Profile, error) {
	if err := d.ready(); err != nil {
		return store.Profile{}, err
	}
	if from := d.exchangedFrom(id); from != "" {
		p, ok := d.exchangedProfile(id)
		if !ok {
			return p, fmt.Errorf("%w: %q", store.ErrProfileNotFound, from)
		}
		p.ID = from
		if isDemo(p) {
			if _, err := d.startDemo(); err != nil {
				return p, err
			}
		}
		return p, nil
	}
	p, err := d.st().Profile(id)
	if err != nil {
		return p, err
	}
	if isDemo(p) {
		if _, err := d.startDemo(); err != nil {
			return p, err
		}
	}
	return d.withDemo(p), nil
}

// demoServiceSecret returns the demo service account's secret for a demo
// profile that uses that client, once the demo provider runs.
func (d *Desk) demoServiceSecret(p store.Profile) (string, bool) {
	if !isDemo(p) || p.ClientID != demo.ServiceClientID || !p.AuthMethod.NeedsSecret() {
		return "", false
	}
	srv := d.demo.running()
	if srv == nil {
		return "", false
	}
	return srv.ServiceClientSecret(), true
}
