package view

// Session statuses, in the words the header shows.
const (
	StatusSignedOut  = "signed_out"
	StatusWaiting    = "waiting"    // waiting for the user in the browser
	StatusExchanging = "exchanging" // callback received, talking to the token endpoint
	StatusRestoring  = "restoring"  // at launch: a kept session is being restored from its refresh token
	StatusSignedIn   = "signed_in"
	StatusExpired    = "expired" // access token expired and no refresh possible
	StatusError      = "error"
)

// Session is one profile's sign-in state and tokens, masked.
type Session struct {
	ProfileID string `json:"profileId"`
	// Status is one of the Status* constants; the UI has its own words for each.
	Status string `json:"status"`
	// Attempt numbers the profile's sign-ins and restores in this run: 0
	// before the first, then 1, 2, … Each TraceEvent carries the attempt it
	// belongs to, so the UI can tell a new flow's timeline from late events
	// of an older one without comparing times.
	Attempt     int    `json:"attempt"`
	Subject     string `json:"subject"`
	DisplayName string `json:"displayName"`
	Email       string `json:"email"`
	// ExpiresAt is the access token's expiry, RFC 3339, or "" when unknown.
	ExpiresAt    string   `json:"expiresAt"`
	Scopes       []string `json:"scopes"`
	TokenType    string   `json:"tokenType"`
	AccessToken  Token    `json:"accessToken"`
	IDToken      Token    `json:"idToken"`
	RefreshToken Token    `json:"refreshToken"`
	UserInfo     string   `json:"userInfo"` // pretty JSON, or ""
	Checks       []Check  `json:"checks"`
	Refreshes    int      `json:"refreshes"`
	Rotations    int      `json:"rotations"`
	// Ignored is how many forged or unusable callbacks (wrong or missing
	// state, another Host, no code) the current attempt's loopback receiver
	// refused: the engine's own count, which goes on past the callbacks it
	// traces one by one.
	Ignored      int       `json:"ignoredCallbacks"`
	Restored     bool      `json:"restored"` // restored from a kept refresh token
	Error        *Error    `json:"error"`
	Capabilities Abilities `json:"capabilities"`
	// Grant is how this session's tokens were (or are being) obtained:
	// "authorization_code", "device_code", "client_credentials" or, for a
	// session made by ExchangeToken, "token_exchange".
	Grant string `json:"grant"`
	// Device is non-nil while a device sign-in waits for the user to
	// approve the code on another device.
	Device *Device `json:"device"`
	// Handoff is non-nil while a code sign-in waits for the browser, and
	// after a timeout with no callback while a pasted redirect can still
	// finish it.
	Handoff *Handoff `json:"handoff"`
	// IssuedTokenType is, for a session made by token exchange (RFC 8693
	// §2.2.1), the issued_token_type; "" otherwise.
	IssuedTokenType string `json:"issuedTokenType"`
	// ExchangedFrom is, for a session made by token exchange, the id of the
	// profile whose token was exchanged; "" otherwise.
	ExchangedFrom string `json:"exchangedFrom"`
}

// Device is a device sign-in waiting for approval (RFC 8628 §3.2–3.3).
type Device struct {
	UserCode        string `json:"userCode"`
	VerificationURI string `json:"verificationUri"`
	// VerificationURIComplete carries the user code too; "" when the
	// provider sent none (the QR code then holds VerificationURI).
	VerificationURIComplete string `json:"verificationUriComplete"`
	// ExpiresAt is when the code expires, RFC 3339.
	ExpiresAt string `json:"expiresAt"`
	// Interval is the current polling interval in seconds (it grows on
	// slow_down).
	Interval int `json:"interval"`
	// QR is the QR code of VerificationURIComplete (or VerificationURI).
	QR QR `json:"qr"`
}

// QR is a QR code as one SVG path: draw it as
// <svg viewBox="0 0 Size Size"><path d={Path}/></svg>, dark on light. Path
// covers exactly the dark modules in module units; Size includes a quiet
// zone of four light modules on each side.
type QR struct {
	Size int    `json:"size"`
	Path string `json:"path"`
}

// Handoff is how a code sign-in hands over to the browser and back.
type Handoff struct {
	// URL is the authorization URL, for Copy and Open again.
	URL string `json:"url"`
	// BrowserError says why the system browser could not be opened; "" when
	// it opened (or has not been asked yet).
	BrowserError string `json:"browserError"`
	// Paste is true while a pasted redirect (PasteRedirect) is accepted.
	Paste bool `json:"paste"`
	// PasteOnly is true for a hosted (non-loopback) redirect URI: no
	// listener waits, pasting is the only way back.
	PasteOnly bool `json:"pasteOnly"`
	// PasteUntil is, after a timeout with no callback, until when a paste
	// can still finish the sign-in (RFC 3339); "" while the sign-in waits.
	PasteUntil string `json:"pasteUntil"`
}

// ExchangeRequest is the Tokens tab's token exchange form (RFC 8693 §2.1).
type ExchangeRequest struct {
	// SubjectToken is which of the session's tokens to exchange: "access"
	// (the default) or "id".
	SubjectToken string `json:"subjectToken"`
	// Audience, Resource and Scope are space-separated lists; each may be
	// empty.
	Audience string `json:"audience"`
	Resource string `json:"resource"`
	Scope    string `json:"scope"`
	// RequestedTokenType is a urn:ietf:params:oauth:token-type:* URI, or ""
	// for the provider's default.
	RequestedTokenType string `json:"requestedTokenType"`
}

// Abilities says which token actions the provider offers for this session.
type Abilities struct {
	Refresh    bool `json:"refresh"`
	Revoke     bool `json:"revoke"`
	Introspect bool `json:"introspect"`
	UserInfo   bool `json:"userinfo"`
	Logout     bool `json:"logout"`
}

// Token is a token as the inspector shows it: masked, and decoded when it
// is a JWT.
type Token struct {
	Present bool `json:"present"`
	// Kind is "jwt" or "opaque".
	Kind      string  `json:"kind"`
	Masked    string  `json:"masked"`
	Header    []Claim `json:"header"`
	Claims    []Claim `json:"claims"`
	RawHeader string  `json:"rawHeader"` // pretty JSON
	RawClaims string  `json:"rawClaims"` // pretty JSON
	ExpiresAt string  `json:"expiresAt"`
	// IssuedAt is the JWT's iat; for an opaque access token, when the app
	// received it (RFC 3339), so the UI can show the lifetime used.
	IssuedAt string `json:"issuedAt"`
}

// Claim is one JWT claim with a plain-words meaning.
type Claim struct {
	Name  string `json:"name"`
	Value string `json:"value"` // display text
	Raw   string `json:"raw"`   // JSON text
	// Meaning explains the claim in fixed words ("expires", "issuer — who
	// made this token"); it never holds a time relative to now.
	Meaning string `json:"meaning"`
	// Time is, for a time claim (a NumericDate, RFC 7519 §2: exp, iat, nbf,
	// auth_time, updated_at), the instant in RFC 3339 UTC with seconds
	// ("2026-11-25T13:05:12Z"), so the UI can render "in 4m59s" live as the
	// clock moves; "" for every other claim.
	Time string `json:"time"`
}

// Check is one ID-token (or flow) check with its result.
type Check struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
	Why    string `json:"why"`
}

// Error is an error as the UI shows it: what happened and what to do,
// with the provider's own code and description when there is one.
type Error struct {
	Message     string `json:"message"`
	Code        string `json:"code"`
	Description string `json:"description"`
	Kind        string `json:"kind"` // canceled, timeout, provider, session_ended, config, foreign_endpoints, ...
	// Origins are, for Kind "foreign_endpoints", the origins outside the
	// issuer that the user must confirm (TrustEndpointOrigins) before the
	// sign-in can go on; empty otherwise.
	Origins []string `json:"origins"`
}

// SignOutResult says what signing out did.
type SignOutResult struct {
	Revoked        bool   `json:"revoked"`
	LoggedOutAtIdP bool   `json:"loggedOutAtIdp"`
	SecretsDeleted bool   `json:"secretsDeleted"`
	Message        string `json:"message"`
}
