package desk

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
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
// secret from the keychain and the custom CA bundle from disk.
func (d *Desk) authConfig(p store.Profile) (auth.Config, error) {
	p = p.WithDefaults()
	cfg := auth.Config{
		Issuer: p.Issuer,
		Endpoints: auth.Endpoints{
			Authorization: p.Endpoints.Authorization, Token: p.Endpoints.Token,
			UserInfo: p.Endpoints.UserInfo, Revocation: p.Endpoints.Revocation,
			Introspection: p.Endpoints.Introspection, EndSession: p.Endpoints.EndSession,
			JWKS: p.Endpoints.JWKS,
		},
		ClientID:   p.ClientID,
		AuthMethod: auth.AuthMethod(p.AuthMethod),
		Scopes:     append([]string(nil), p.Scopes...),
		Redirect: auth.Redirect{
			Host: p.RedirectHost, AllowLocalhost: p.RedirectHost == store.RedirectHostLocalhost,
			Port: p.RedirectPort, Path: p.RedirectPath,
		},
		Timeout: time.Duration(p.TimeoutSeconds) * time.Second,
	}
	for _, kv := range p.Params {
		cfg.Params = append(cfg.Params, auth.Param{Key: kv.Key, Value: kv.Value})
	}
	if p.AuthMethod.NeedsSecret() {
		secret, err := d.store.Secrets().Get(p.ID, store.ClientSecret)
		if errors.Is(err, store.ErrNotFound) {
			return cfg, fmt.Errorf("profile %q needs its client secret: enter it in the Profile tab and save", p.Name)
		}
		if err != nil {
			return cfg, fmt.Errorf("read the client secret from the keychain: %w", err)
		}
		cfg.ClientSecret = auth.NewSecret(secret)
	}
	if p.CAFile != "" {
		pem, err := readCapped(p.CAFile, maxCABytes)
		if err != nil {
			return cfg, fmt.Errorf("read the custom CA bundle: %w", err)
		}
		cfg.CAPEM = pem
	}
	return cfg, nil
}

// httpClientFor returns an HTTP client that trusts the profile's custom CA
// bundle besides the system roots.
func httpClientFor(p store.Profile) (*http.Client, error) {
	var pem []byte
	if p.CAFile != "" {
		var err error
		if pem, err = readCapped(p.CAFile, maxCABytes); err != nil {
			return nil, fmt.Errorf("read the custom CA bundle: %w", err)
		}
	}
	return auth.NewHTTPClient(pem)
}

// readCapped reads a file the user named, refusing one larger than max.
func readCapped(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, fmt.Errorf("%s is larger than %d KiB", path, max>>10)
	}
	return data, nil
}
