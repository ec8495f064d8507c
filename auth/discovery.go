package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Metadata is the part of an OpenID Provider / RFC 8414 metadata document
// the app uses.
type Metadata struct {
	Issuer                                string   `json:"issuer"`
	AuthorizationEndpoint                 string   `json:"authorization_endpoint"`
	TokenEndpoint                         string   `json:"token_endpoint"`
	UserInfoEndpoint                      string   `json:"userinfo_endpoint,omitempty"`
	RevocationEndpoint                    string   `json:"revocation_endpoint,omitempty"`
	IntrospectionEndpoint                 string   `json:"introspection_endpoint,omitempty"`
	EndSessionEndpoint                    string   `json:"end_session_endpoint,omitempty"`
	JWKSURI                               string   `json:"jwks_uri,omitempty"`
	ScopesSupported                       []string `json:"scopes_supported,omitempty"`
	CodeChallengeMethodsSupported         []string `json:"code_challenge_methods_supported,omitempty"`
	IDTokenSigningAlgValuesSupported      []string `json:"id_token_signing_alg_values_supported,omitempty"`
	TokenEndpointAuthMethodsSupported     []string `json:"token_endpoint_auth_methods_supported,omitempty"`
	AuthorizationResponseIssParameterSupp bool     `json:"authorization_response_iss_parameter_supported,omitempty"`
	GrantTypesSupported                   []string `json:"grant_types_supported,omitempty"`
	// DeviceAuthorizationEndpoint is RFC 8628 §4's metadata entry.
	DeviceAuthorizationEndpoint string `json:"device_authorization_endpoint,omitempty"`

	// IssuerTemplate is set for Entra's multi-tenant metadata, whose issuer
	// is "https://login.microsoftonline.com/{tenantid}/v2.0": the ID token's
	// iss must equal the template with its own tid substituted.
	IssuerTemplate string `json:"-"`
}

// S256Supported reports whether S256 is listed, or the list is absent
// (many providers support PKCE without advertising it).
func (m *Metadata) S256Supported() bool {
	return len(m.CodeChallengeMethodsSupported) == 0 || slices.Contains(m.CodeChallengeMethodsSupported, "S256")
}

const discoveryCacheTTL = 15 * time.Minute

type cachedMetadata struct {
	m       *Metadata
	fetched time.Time
}

// discoveryKey is what a cached document depends on: the issuer and the
// trust it was fetched with (trustKey).
type discoveryKey struct{ issuer, trust string }

var discoveryCache = struct {
	sync.Mutex
	m map[discoveryKey]cachedMetadata
}{m: map[discoveryKey]cachedMetadata{}}

// Discover fetches issuer + "/.well-known/openid-configuration" with client
// (nil: a 30 s client with system roots), reading at most 512 KiB, and checks
// the document's issuer equals issuer exactly (OIDC Discovery §4.3, security rule
// 20). Entra's {tenantid} template is accepted only for the common,
// organizations and consumers tenants and then enforced per token. Successful
// results are cached for 15 minutes per issuer and per trust (the client's
// transport: CA bundle, TLS settings), so a document fetched through one
// profile's custom CA is never served to a profile without it; failures are
// not cached. Redirects follow the engine's policy (see NewHTTPClient).
func Discover(ctx context.Context, issuer string, client *http.Client) (*Metadata, error) {
	if err := checkEndpointURL("issuer", issuer); err != nil {
		return nil, err
	}
	if client == nil {
		var err error
		if client, err = NewHTTPClient(nil); err != nil {
			return nil, err
		}
	} else {
		client = engineClient(client)
	}
	key := discoveryKey{issuer: issuer, trust: trustKey(client)}
	discoveryCache.Lock()
	c, ok := discoveryCache.m[key]
	discoveryCache.Unlock()
	if ok && time.Since(c.fetched) < discoveryCacheTTL {
		cp := *c.m
		return &cp, nil
	}
	m, err := fetchMetadata(ctx, issuer, client)
	if err != nil {
		return nil, err
	}
	discoveryCache.Lock()
	discoveryCache.m[key] = cachedMetadata{m: m, fetched: time.Now()}
	discoveryCache.Unlock()
	cp := *m
	return &cp, nil
}

// InvalidateDiscovery drops the cached metadata for issuer, so the next
// Discover or Login fetches it again (the profile editor's "Discover" button,
// or after the user fixed something at the provider).
func InvalidateDiscovery(issuer string) {
	discoveryCache.Lock()
	for k := range discoveryCache.m {
		if k.issuer == issuer {
			delete(discoveryCache.m, k)
		}
	}
	discoveryCache.Unlock()
}

func fetchMetadata(ctx context.Context, issuer string, client *http.Client) (*Metadata, error) {
	wellKnown := strings.TrimSuffix(issuer, "/") + "/.well-known/openid-configuration"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, wellKnown, nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidConfig, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("discovery: could not reach %s: %w — check the issuer URL and your network", wellKnown, scrubURLError(err))
	}
	defer resp.Body.Close()
	body, err := readCapped(resp.Body, maxMetadataBytes)
	if err != nil {
		return nil, fmt.Errorf("discovery: reading %s: %w", wellKnown, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, newHTTPError("discovery", resp.StatusCode, resp.Header, body, nil)
	}
	var m Metadata
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("%w: discovery document at %s is not valid JSON: %v", ErrInvalidResponse, wellKnown, err)
	}
	if m.Issuer != issuer {
		if !entraTemplateAllowed(issuer, m.Issuer) {
			return nil, &CheckError{Check: "discovery issuer", Err: ErrInvalidResponse,
				Detail: fmt.Sprintf("the discovery document says issuer %q but the profile's issuer is %q; they must match exactly — fix the profile's issuer (mind the trailing slash)", cleanText(m.Issuer, 200), issuer)}
		}
		m.IssuerTemplate = m.Issuer
	}
	if m.TokenEndpoint == "" {
		return nil, fmt.Errorf("%w: discovery document lacks token_endpoint", ErrInvalidResponse)
	}
	for _, e := range [][2]string{
		{"authorization_endpoint", m.AuthorizationEndpoint}, {"token_endpoint", m.TokenEndpoint},
		{"userinfo_endpoint", m.UserInfoEndpoint}, {"revocation_endpoint", m.RevocationEndpoint},
		{"introspection_endpoint", m.IntrospectionEndpoint}, {"end_session_endpoint", m.EndSessionEndpoint},
		{"jwks_uri", m.JWKSURI}, {"device_authorization_endpoint", m.DeviceAuthorizationEndpoint},
	} {
		if e[1] == "" {
			continue
		}
		if err := checkEndpointURL(e[0], e[1]); err != nil {
			return nil, fmt.Errorf("discovery: %w", err)
		}
	}
	return &m, nil
}

// Entra multi-tenant rule (PROVIDERS.md quirk 1).
const (
	entraHost          = "https://login.microsoftonline.com/"
	entraTenantIDToken = "{tenantid}"
)

// entraTemplateAllowed accepts the discovery issuer
// "https://login.microsoftonline.com/{tenantid}/v2.0" only when the
// configured issuer is that host with one of the multi-tenant aliases.
func entraTemplateAllowed(configured, got string) bool {
	if got != entraHost+entraTenantIDToken+"/v2.0" {
		return false
	}
	for _, t := range []string{"common", "organizations", "consumers"} {
		if configured == entraHost+t+"/v2.0" || configured == entraHost+t+"/v2.0/" {
			return true
		}
	}
	return false
}

// resolveEndpoints merges discovered metadata with manual overrides.
func resolveEndpoints(cfg *Config, m *Metadata) *Metadata {
	if m == nil {
		m = &Metadata{}
	}
	e := cfg.Endpoints
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&m.AuthorizationEndpoint, e.Authorization)
	set(&m.TokenEndpoint, e.Token)
	set(&m.UserInfoEndpoint, e.UserInfo)
	set(&m.RevocationEndpoint, e.Revocation)
	set(&m.IntrospectionEndpoint, e.Introspection)
	set(&m.EndSessionEndpoint, e.EndSession)
	set(&m.JWKSURI, e.JWKS)
	set(&m.DeviceAuthorizationEndpoint, e.DeviceAuthorization)
	return m
}
