package origin

import "strings"

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

// Named lists the non-empty endpoint URLs (trimmed) of a profile with the
// names the UI gives them, in the profile's field order. It is the one
// list of endpoint names the engine and the store share.
func Named(authorization, token, userinfo, revocation, introspection, endSession, jwks string) []Endpoint {
	var out []Endpoint
	for _, kv := range [][2]string{
		{"authorization endpoint", authorization}, {"token endpoint", token},
		{"userinfo endpoint", userinfo}, {"revocation endpoint", revocation},
		{"introspection endpoint", introspection}, {"end-session endpoint", endSession},
		{"JWKS URL", jwks},
	} {
		if u := strings.TrimSpace(kv[1]); u != "" {
			out = append(out, Endpoint{Name: kv[0], URL: u})
		}
	}
	return out
}
