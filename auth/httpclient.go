package auth

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// DefaultHTTPTimeout bounds every request to the provider.
const DefaultHTTPTimeout = 30 * time.Second

// Body caps for provider responses.
const (
	maxMetadataBytes = 512 << 10
	maxJWKSBytes     = 512 << 10
	maxTokenBytes    = 1 << 20
	maxJSONBytes     = 1 << 20
)

// NewHTTPClient returns the client the engine uses for a profile: a 30 s
// timeout, TLS 1.2+, certificate verification always on, and caPEM (if any)
// added to the system roots (SECURITY 17). Clients with the same CA bundle
// share one transport, so sign-ins reuse connections and leave no idle
// connection pools behind.
func NewHTTPClient(caPEM []byte) (*http.Client, error) {
	tr, err := transportFor(caPEM)
	if err != nil {
		return nil, err
	}
	return &http.Client{Timeout: DefaultHTTPTimeout, Transport: tr}, nil
}

var transports = struct {
	sync.Mutex
	m map[[32]byte]*http.Transport
}{m: map[[32]byte]*http.Transport{}}

// transportFor returns the shared transport for a CA bundle (nil: system roots).
func transportFor(caPEM []byte) (*http.Transport, error) {
	key := sha256.Sum256(caPEM)
	transports.Lock()
	defer transports.Unlock()
	if tr, ok := transports.m[key]; ok {
		return tr, nil
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	if len(caPEM) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(caPEM) {
			return nil, fmt.Errorf("%w: the CA bundle contains no PEM certificates", ErrInvalidConfig)
		}
		tr.TLSClientConfig.RootCAs = pool
	}
	transports.m[key] = tr
	return tr, nil
}

// httpClientFor returns cfg.HTTPClient (with a timeout forced) or a new client.
func httpClientFor(cfg *Config) (*http.Client, error) {
	if cfg.HTTPClient != nil {
		if cfg.HTTPClient.Timeout > 0 {
			return cfg.HTTPClient, nil
		}
		c := *cfg.HTTPClient
		c.Timeout = DefaultHTTPTimeout
		return &c, nil
	}
	return NewHTTPClient(cfg.CAPEM)
}

// errTooLarge is returned by readCapped when a body exceeds its cap.
var errTooLarge = errors.New("response body too large")

// readCapped reads at most max bytes of r; a longer body is an error.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w (more than %d bytes)", errTooLarge, max)
	}
	return b, nil
}

// mediaType returns the lower-case media type of a Content-Type header.
func mediaType(h http.Header) string {
	mt, _, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return ""
	}
	return strings.ToLower(mt)
}

// clientAuth applies the profile's fixed client authentication to a form
// request (RFC 6749 §2.3.1): none and post put client_id in the body; basic
// uses the Authorization header with form-encoded id and secret.
func clientAuth(req *http.Request, form url.Values, clientID string, secret Secret, method AuthMethod) {
	switch method {
	case AuthClientSecretBasic:
		req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret.Reveal()))
	case AuthClientSecretPost:
		form.Set("client_id", clientID)
		form.Set("client_secret", secret.Reveal())
	default:
		form.Set("client_id", clientID)
	}
}

// postForm sends one form POST with client authentication and returns status,
// headers and a capped body. It never retries.
func (c *client) postForm(ctx context.Context, endpoint string, form url.Values, max int64) (int, http.Header, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, nil)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("building request to %s: %w", endpoint, err)
	}
	clientAuth(req, form, c.cfg.ClientID, c.cfg.ClientSecret, c.cfg.authMethod())
	body := form.Encode()
	req.Body = io.NopCloser(strings.NewReader(body))
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("could not reach %s: %w", endpoint, scrubURLError(err))
	}
	defer resp.Body.Close()
	b, err := readCapped(resp.Body, max)
	if err != nil {
		return resp.StatusCode, resp.Header, nil, fmt.Errorf("reading the response from %s: %w", endpoint, err)
	}
	return resp.StatusCode, resp.Header, b, nil
}

// scrubURLError drops the URL from a *url.Error (ours never carry secrets in
// URLs, but userinfo/logout URLs could carry query data) and keeps the cause.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// client bundles what every endpoint call needs.
type client struct {
	cfg  *Config
	http *http.Client
	meta *Metadata
	now  func() time.Time
}
