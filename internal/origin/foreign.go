package origin

// Endpoint is one named endpoint URL of a profile ("token endpoint", ...).
type Endpoint struct {
	// Name says which endpoint it is, as the UI names it.
	Name string `json:"name"`
	// URL is the endpoint as configured.
	URL string `json:"url"`
	// Origin is URL's origin in String form.
	Origin string `json:"origin"`
}

// Foreign returns the overrides whose origin is none of the trusted ones:
// the issuer's origin and, once discovery ran, the origins of the endpoints
// the issuer's own metadata lists. An override that leaves them sends the
// code, the PKCE verifier, client credentials or tokens to a host the issuer
// never named, while the ID-token checks still pass against the real issuer
// (a transparent proxy). Overrides that are not absolute URLs are skipped
// (validation reports those). The result keeps the order of overrides.
func Foreign(trusted []string, overrides []Endpoint) []Endpoint {
	ok := map[Origin]bool{}
	for _, t := range trusted {
		if o, valid := Parse(t); valid {
			ok[o] = true
		}
	}
	var out []Endpoint
	for _, e := range overrides {
		if e.URL == "" {
			continue
		}
		o, valid := Parse(e.URL)
		if !valid || ok[o] {
			continue
		}
		e.Origin = o.String()
		out = append(out, e)
	}
	return out
}

// Hosts returns the distinct origins of es in order, for a confirmation
// that names them.
func Hosts(es []Endpoint) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range es {
		if !seen[e.Origin] {
			seen[e.Origin] = true
			out = append(out, e.Origin)
		}
	}
	return out
}
