package view

// RequestSpec is a test request as the console edits it.
type RequestSpec struct {
	ID          string `json:"id"`
	ProfileID   string `json:"profileId"`
	Method      string `json:"method"`
	URL         string `json:"url"`
	Params      []KV   `json:"params"`
	Headers     []KV   `json:"headers"`
	BodyType    string `json:"bodyType"` // none, json, text, form
	Body        string `json:"body"`
	Form        []KV   `json:"form"`
	AttachToken bool   `json:"attachToken"`
	// AllowInsecure confirms sending the token over plain http to a
	// non-loopback host, after the user was warned.
	AllowInsecure bool `json:"allowInsecure"`
}

// Response is a test request's outcome, every part as text.
type Response struct {
	RequestID  string `json:"requestId"`
	Status     int    `json:"status"`
	StatusText string `json:"statusText"`
	Proto      string `json:"proto"`
	Headers    []KV   `json:"headers"`
	BodyKind   string `json:"bodyKind"` // json, text, binary, empty
	Body       string `json:"body"`     // text as received (valid UTF-8)
	PrettyBody string `json:"prettyBody"`
	// BodyParts, when above zero, says Body was left out because it is
	// big: the page fetches it in that many parts (Desk.ResponseBodyPart),
	// so no single message keeps it busy. PrettyParts is the same for
	// PrettyBody.
	BodyParts   int      `json:"bodyParts"`
	PrettyParts int      `json:"prettyParts"`
	HexBody     string   `json:"hexBody"`
	Size        int64    `json:"size"`
	TotalSize   int64    `json:"totalSize"` // -1 when unknown
	Truncated   bool     `json:"truncated"`
	Timings     Timings  `json:"timings"`
	Notices     []string `json:"notices"`
	Error       *Error   `json:"error"`
	// NeedsInsecureConsent is true when the request was not sent because the
	// token would travel over plain http to a non-loopback host.
	NeedsInsecureConsent bool `json:"needsInsecureConsent"`
}

// Timings in milliseconds; -1 where not measured (no TLS, reused connection).
type Timings struct {
	DNSMs       float64 `json:"dnsMs"`
	ConnectMs   float64 `json:"connectMs"`
	TLSMs       float64 `json:"tlsMs"`
	FirstByteMs float64 `json:"firstByteMs"`
	TotalMs     float64 `json:"totalMs"`
}

// HistoryEntry is a sent request, without any token.
type HistoryEntry struct {
	ID         string      `json:"id"`
	Time       string      `json:"time"`
	Method     string      `json:"method"`
	URL        string      `json:"url"`
	Status     int         `json:"status"`
	DurationMs float64     `json:"durationMs"`
	Size       int64       `json:"size"`
	Spec       RequestSpec `json:"spec"`
}
