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

	"pkcedesk/internal/capped"
	"pkcedesk/internal/redact"
	"pkcedesk/internal/redirects"
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
// added to the system roots (security rule 17), with the engine's redirect policy
// (see engineClient). Clients with the same CA bundle share one transport,
// so sign-ins reuse connections and leave no idle connection pools behind.
func NewHTTPClient(caPEM []byte) (*http.Client, error) {
	tr, err := transportFor(caPEM)
	if err != nil {
		return nil, err
	}
	return engineClient(&http.Client{Timeout: DefaultHTTPTimeout, Transport: tr}), nil
}

// engineClient returns a copy of c with a timeout (30 s when c has none) and
// the app's one redirect policy (internal/redirects) in its strict form: a
// POST to the token, revocation or introspection endpoint is never
// redirected, a GET (discovery, JWKS, userinfo) may reach plain http only on
// a loopback host, and Authorization is dropped on any change of scheme,
// host or port.
func engineClient(c *http.Client) *http.Client {
	cp := *c
	if cp.Timeout <= 0 {
		cp.Timeout = DefaultHTTPTimeout
	}
	return redirects.Client(&cp, true)
}

// trustKey identifies what decides whom a client trusts: its transport (the
// CA bundle, TLS settings, proxy). Caches of what was fetched over a client
// (discovery documents, JWKS) are keyed by it, so one profile's custom CA
// never decides what another profile accepts.
func trustKey(c *http.Client) string {
	if c == nil || c.Transport == nil {
		return "default"
	}
	return fmt.Sprintf("%T@%p", c.Transport, c.Transport)
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

// CloseIdleConnections closes the kept-alive connections of the engine's
// shared transports (the clients NewHTTPClient returns). A caller that
// stops a provider it ran itself (the app's demo provider) calls it, so the
// next request to a provider started again on the same port opens a new
// connection: a token request sent on a connection the old server had
// closed fails with EOF, and Go never retries a POST.
func CloseIdleConnections() {
	transports.Lock()
	defer transports.Unlock()
	for _, tr := range transports.m {
		tr.CloseIdleConnections()
	}
}

// httpClientFor returns cfg.HTTPClient (as an engineClient) or a new client.
func httpClientFor(cfg *Config) (*http.Client, error) {
	if cfg.HTTPClient != nil {
		return engineClient(cfg.HTTPClient), nil
	}
	return NewHTTPClient(cfg.CAPEM)
}

// readCapped reads a provider response body of at most max bytes; a longer
// one is an error (internal/capped).
func readCapped(r io.Reader, max int64) ([]byte, error) {
	b, err := capped.ReadAll(r, max)
	if errors.Is(err, capped.ErrTooLarge) {
		return nil, fmt.Errorf("the response body is %w", err)
	}
	return b, err
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
// headers and a capped body. It never retries: a code exchange, a refresh
// or a revocation sent twice could spend a one-time code or rotate a token
// the app never hears about.
func (c *client) postForm(ctx context.Context, endpoint string, form url.Values, max int64) (int, http.Header, []byte, error) {
	return c.sendForm(ctx, endpoint, form, max, false)
}

// postFormRepeatable is postForm for requests that are safe to send again
// (a device authorization request or poll, a client-credentials request):
// when a kept-alive connection turns out dead as the request goes out — a
// server that drops idle connections after 5 s, as Node's http server does,
// meets a client polling every 5 s — Go's transport sends it once more on
// a new connection instead of failing the sign-in with "connection reset".
func (c *client) postFormRepeatable(ctx context.Context, endpoint string, form url.Values, max int64) (int, http.Header, []byte, error) {
	return c.sendForm(ctx, endpoint, form, max, true)
}

func (c *client) sendForm(ctx context.Context, endpoint string, form url.Values, max int64, repeatable bool) (int, http.Header, []byte, error) {
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
	if repeatable {
		// net/http replays a request on a reused connection's failure only
		// when it can rebuild the body and the request is idempotent; an
		// Idempotency-Key entry with no value marks it so without sending
		// the header.
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(body)), nil }
		req.Header["Idempotency-Key"] = []string{}
	}
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

// secretsIn lists the secret values a form request to the provider carries
// (after clientAuth: the client secret, in the body or as Basic
// credentials), so that an answer echoing them can be redacted.
func (c *client) secretsIn(form url.Values) []string {
	var out []string
	for _, k := range []string{"code", "code_verifier", "refresh_token", "token", "client_secret", "client_assertion", "device_code", "subject_token", "actor_token"} {
		if v := form.Get(k); v != "" {
			out = append(out, v)
		}
	}
	if s := c.cfg.ClientSecret.Reveal(); s != "" {
		out = append(out, s, redact.BasicCredentials(c.cfg.ClientID, s))
	}
	return out
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
