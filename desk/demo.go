package desk

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"

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
func (r *demoRunner) ensure(ctx context.Context, log *slog.Logger, stateDir string) (*demo.Server, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.srv != nil {
		return r.srv, nil
	}
	srv, err := demo.Start(ctx, demo.Options{Logger: log.With("component", "demo"), StateDir: stateDir})
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
	}
}

// startDemo starts the demo provider with its state kept beside the
// profiles (keys and grant hashes only, never a token).
func (d *Desk) startDemo() (*demo.Server, error) {
	return d.demo.ensure(d.ctx, d.log, filepath.Join(d.st().Dir(), "demo"))
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
func (d *Desk) profileForUse(ctx context.Context, id string) (store.Profile, error) {
	if err := d.ready(); err != nil {
		return store.Profile{}, err
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
