package desk

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"pkcedesk/auth"
	"pkcedesk/store"
)

// opTimeout bounds one token operation started from the UI (refresh,
// revoke, introspection, userinfo, discovery).
const opTimeout = 30 * time.Second

// maxCABytes caps a custom CA bundle file.
const maxCABytes = 1 << 20

// authConfig turns a profile into the engine's config, reading the client
// secret from the keychain and the custom CA bundle from disk. The origins
// the user confirmed for endpoint overrides travel along, so the engine stops
// only at foreign ones not yet confirmed. Both reads may block (a keychain
// unlock prompt): callers run it aside (see aside) under a cancelable context.
func (d *Desk) authConfig(p store.Profile) (auth.Config, error) {
	p = p.WithDefaults()
	cfg := auth.Config{
		Issuer:     p.Issuer,
		Endpoints:  auth.Endpoints(p.Endpoints), // same fields, same order (see profileView)
		ClientID:   p.ClientID,
		AuthMethod: auth.AuthMethod(p.AuthMethod),
		Scopes:     append([]string(nil), p.Scopes...),
		Redirect: auth.Redirect{
			Host: p.RedirectHost, AllowLocalhost: p.RedirectHost == store.RedirectHostLocalhost,
			Port: p.RedirectPort, Path: p.RedirectPath, URI: p.HostedRedirectURI,
		},
		Grant:          auth.Grant(p.EffectiveGrant()),
		Timeout:        time.Duration(p.TimeoutSeconds) * time.Second,
		TrustedOrigins: append([]string(nil), p.TrustedOrigins...),
	}
	for _, kv := range p.Params {
		cfg.Params = append(cfg.Params, auth.Param{Key: kv.Key, Value: kv.Value})
	}
	if secret, ok := d.demoServiceSecret(p); ok {
		// The demo's service account: its secret is the running demo
		// provider's, handed over in memory, never kept anywhere.
		cfg.ClientSecret = auth.NewSecret(secret)
	} else if p.AuthMethod.NeedsSecret() {
		secret, err := d.st().Secrets().Get(p.ID, store.ClientSecret)
		if errors.Is(err, store.ErrNotFound) {
			return cfg, fmt.Errorf("profile %q needs its client secret: enter it in the Profile tab and save", p.Name)
		}
		if err != nil {
			return cfg, fmt.Errorf("read the client secret from the keychain: %w", err)
		}
		cfg.ClientSecret = auth.NewSecret(secret)
	}
	pem, err := d.caBundle(p)
	if err != nil {
		return cfg, err
	}
	cfg.CAPEM = pem
	return cfg, nil
}

// prepare loads profile id for a sign-in or a restore and builds its
// engine config. It runs aside under ctx (see aside): when ctx ends first,
// prepare returns ctx's error at once.
func (d *Desk) prepare(ctx context.Context, id string) (store.Profile, auth.Config, error) {
	type prepared struct {
		p   store.Profile
		cfg auth.Config
	}
	r, err := aside(ctx, func() (prepared, error) {
		p, err := d.profileForUse(ctx, id)
		if err != nil {
			return prepared{}, err
		}
		cfg, err := d.authConfig(p)
		return prepared{p, cfg}, err
	})
	return r.p, r.cfg, err
}

// httpClientFor returns an HTTP client that trusts the profile's custom CA
// bundle besides the system roots.
func (d *Desk) httpClientFor(p store.Profile) (*http.Client, error) {
	pem, err := d.caBundle(p)
	if err != nil {
		return nil, err
	}
	return auth.NewHTTPClient(pem)
}

// caBundle reads the profile's custom CA bundle, or returns nil when it has
// none. Only a regular file up to maxCABytes is read: a named pipe or a
// terminal there fails at once instead of hanging the operation.
func (d *Desk) caBundle(p store.Profile) ([]byte, error) {
	if p.CAFile == "" {
		return nil, nil
	}
	pem, err := d.readFile(p.CAFile, maxCABytes)
	if err != nil {
		return nil, fmt.Errorf("read the custom CA bundle: %w — point the profile's CA file at a PEM file of certificates, or clear it", err)
	}
	return pem, nil
}
