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
