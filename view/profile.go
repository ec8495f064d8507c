package view

// Profile is one provider + client configuration as the editor shows it.
type Profile struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Preset    string    `json:"preset"`
	BuiltIn   bool      `json:"builtIn"`
	Issuer    string    `json:"issuer"`
	Endpoints Endpoints `json:"endpoints"`
	ClientID  string    `json:"clientId"`
	// AuthMethod is "none", "client_secret_post" or "client_secret_basic".
	AuthMethod      string `json:"authMethod"`
	HasClientSecret bool   `json:"hasClientSecret"`
	// ClientSecret is write-only: the editor sets it to store a new secret in
	// the keychain. It is always empty in values sent to the frontend.
	ClientSecret string   `json:"clientSecret"`
	Scopes       []string `json:"scopes"`
	Params       []KV     `json:"params"`
	// Grant is the sign-in method: "authorization_code" (the system
	// browser and a redirect), "device_code" (RFC 8628) or
	// "client_credentials" (a service account, RFC 6749 §4.4). Values sent
	// to the frontend always name one; "" from the editor means
	// "authorization_code".
	Grant string `json:"grant"`
	// RedirectURI is, for the code grant, a non-loopback https redirect URI
	// registered at a provider that accepts no loopback one: the user
	// pastes the address the browser ends on. "" means the loopback
	// redirect of RedirectHost, RedirectPort and RedirectPath.
	RedirectURI    string `json:"redirectUri"`
	RedirectHost   string `json:"redirectHost"`
	RedirectPort   int    `json:"redirectPort"`
	RedirectPath   string `json:"redirectPath"`
	TimeoutSeconds int    `json:"timeoutSeconds"`
	CAFile         string `json:"caFile"`
	KeepSignedIn   bool   `json:"keepSignedIn"`
	APIBase        string `json:"apiBase"`
	// Status is the profile's session status (see Session.Status), for the
	// sidebar dot.
	Status string `json:"status"`
	// ForeignEndpoints are the endpoint overrides whose origin is not the
	// issuer's, so the editor can flag them. Read-only: computed from the
	// issuer and endpoints on every load.
	ForeignEndpoints []ForeignEndpoint `json:"foreignEndpoints"`
	// TrustedOrigins are the foreign origins the user confirmed for this
	// profile. Read-only: SaveProfile ignores this field and keeps the stored
	// list; only TrustEndpointOrigins adds to it.
	TrustedOrigins []string `json:"trustedOrigins"`
}

// ForeignEndpoint is one endpoint override that leaves the issuer's origin.
type ForeignEndpoint struct {
	// Name says which endpoint it is ("token endpoint", "JWKS URL", ...).
	Name string `json:"name"`
	// URL is the override as configured.
	URL string `json:"url"`
	// Origin is URL's origin ("https://proxy.example.com").
	Origin string `json:"origin"`
}

// Endpoints are a provider's URLs; empty ones are filled from discovery.
type Endpoints struct {
	Authorization string `json:"authorization"`
	Token         string `json:"token"`
	UserInfo      string `json:"userinfo"`
	Revocation    string `json:"revocation"`
	Introspection string `json:"introspection"`
	EndSession    string `json:"endSession"`
	JWKS          string `json:"jwks"`
	// DeviceAuthorization is the device authorization endpoint (RFC 8628
	// §3.1), used by the device grant.
	DeviceAuthorization string `json:"deviceAuthorization"`
}

// KV is an ordered key/value pair; Enabled lets the editor keep a row
// without sending it.
type KV struct {
	Key     string `json:"key"`
	Value   string `json:"value"`
	Enabled bool   `json:"enabled"`
}

// FieldError is one validation problem, tied to the field it concerns.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// SaveResult is the outcome of saving a profile: the saved profile, or the
// problems that kept it from being saved.
type SaveResult struct {
	Profile Profile      `json:"profile"`
	Errors  []FieldError `json:"errors"`
}

// Preset is a provider template the profile editor offers.
type Preset struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Needs   []string `json:"needs"`
	Notes   []string `json:"notes"`
	Profile Profile  `json:"profile"`
}

// Discovery is what the provider's metadata says it supports.
type Discovery struct {
	Issuer                string    `json:"issuer"`
	Endpoints             Endpoints `json:"endpoints"`
	ScopesSupported       []string  `json:"scopesSupported"`
	S256                  bool      `json:"s256"`
	IssParameterSupported bool      `json:"issParameterSupported"`
	// GrantTypes are the grant_types_supported the metadata lists (empty
	// when it lists none: RFC 8414 then means authorization_code and
	// implicit).
	GrantTypes  []string `json:"grantTypes"`
	AuthMethods []string `json:"authMethods"`
}

// ImportResult reports, per profile in an imported file, what happened.
type ImportResult struct {
	Path  string       `json:"path"`
	Items []ImportItem `json:"items"`
}

// ImportItem is one profile of an import: its new id, or why it was skipped.
type ImportItem struct {
	Name       string   `json:"name"`
	ImportedID string   `json:"importedId"`
	Problems   []string `json:"problems"`
	// Notes name what an imported profile does that the user should look at
	// before the first sign-in: its own CA bundle, and every endpoint
	// override, saying which ones leave the issuer's origin.
	Notes []string `json:"notes"`
}

// Settings are the user's app-wide preferences.
type Settings struct {
	// PresentationMode keeps every secret masked, even after Reveal.
	PresentationMode bool `json:"presentationMode"`
	// Theme is "system", "light" or "dark".
	Theme string `json:"theme"`
}
