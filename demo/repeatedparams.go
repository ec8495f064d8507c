package demo

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode"
)

// The guards in this package read parameters the way op does, or a
// parameter sent twice could pass a guard with one value and reach op with
// another: url.Values.Get reads the first value, op's form decoder the last,
// and op matches names ignoring case (Unicode simple folding), so
// Redirect_URI is the same parameter as redirect_uri. RFC 6749 §3.1 settles
// it: "Request and response parameters MUST NOT be included more than
// once." The endpoints wrapped below refuse any repeated parameter, spelled
// the same or not, before a guard or op sees the request; the query and a
// form body count together, as r.Form merges them. With no repeats left, a
// guard reads a parameter with param and sees the one value op sees.

// maxNamedParamLen bounds a parameter name quoted back in an error.
const maxNamedParamLen = 64

// paramKey is the name under which op finds a parameter: each rune replaced
// by one fixed member of its case-folding orbit (lower case where there is
// one), so two names have the same key exactly when strings.EqualFold,
// which op's decoder uses, says they match.
func paramKey(name string) string {
	var b strings.Builder
	b.Grow(len(name))
	for _, r := range name {
		least := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			least = min(least, f)
		}
		b.WriteRune(unicode.ToLower(least))
	}
	return b.String()
}

// repeatedParam returns the key (paramKey) of a parameter that occurs more
// than once in form, under one spelling or several (the alphabetically
// first such key, so the answer is stable), or ok=false when every
// parameter occurs at most once.
func repeatedParam(form url.Values) (name string, ok bool) {
	return repeatedParamExcept(form, nil)
}

// repeatedParamExcept is repeatedParam ignoring the parameters named in
// except (in any spelling), which the caller reads with all their values.
func repeatedParamExcept(form url.Values, except []string) (name string, ok bool) {
	count := make(map[string]int, len(form))
	var repeated []string
	for k, v := range form {
		key := paramKey(k)
		if slices.ContainsFunc(except, func(e string) bool { return paramKey(e) == key }) {
			continue
		}
		count[key] += len(v)
		if count[key] > 1 {
			repeated = append(repeated, key)
		}
	}
	if len(repeated) == 0 {
		return "", false
	}
	return slices.Min(repeated), true
}

// param returns the value op decodes for the parameter name: the last value
// of a key that matches name ignoring case. After repeatedParam found
// nothing there is at most one such key with one value.
func param(form url.Values, name string) string {
	for k, v := range form {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[len(v)-1]
		}
	}
	return ""
}

// quotableParamName reports whether a parameter name may be quoted back in
// an error: error_description may carry only printable ASCII without '"'
// and '\' (RFC 6749 §5.2), and the name is the caller's input, so only
// short names in the plain parameter alphabet are.
func quotableParamName(name string) bool {
	if name == "" || len(name) > maxNamedParamLen {
		return false
	}
	for _, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}

// repeatedDescription is the error_description for a repeated parameter.
func repeatedDescription(name string) string {
	if quotableParamName(name) {
		return "parameter " + name + " is repeated"
	}
	return "a parameter is repeated"
}

// singleValuedPage wraps a browser-facing endpoint (authorization and its
// callback, end-session): a request that cannot be parsed or repeats a
// parameter gets a 400 page naming it and is never redirected, since a
// repeated redirect_uri or client_id leaves no redirect target that is
// known to be valid (RFC 6749 §3.1, §4.1.2.1).
func (s *Server) singleValuedPage(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			s.renderError(w, http.StatusBadRequest, "The request could not be read.", "Start again from PKCE Desk.")
			return
		}
		if name, ok := repeatedParam(r.Form); ok {
			what := "A parameter was sent more than once."
			if quotableParamName(name) {
				what = "The parameter " + name + " was sent more than once."
			}
			s.renderError(w, http.StatusBadRequest, what,
				"Each parameter may appear only once (RFC 6749 §3.1). Start again from PKCE Desk.")
			return
		}
		next(w, r)
	}
}

// singleValuedJSON wraps an endpoint a client calls directly (token,
// revocation, introspection): a request that cannot be parsed or repeats a
// parameter gets 400 with a JSON invalid_request error (RFC 6749 §3.1,
// §5.2; RFC 7009 §2.2.1; RFC 7662 §2.3).
func (s *Server) singleValuedJSON(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			refuseJSON(w, "the request body could not be read as a form")
			return
		}
		if name, ok := repeatedParam(r.Form); ok {
			refuseJSON(w, repeatedDescription(name))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// refuseJSON writes an OAuth error response, never cached (RFC 6749 §5.2).
func refuseJSON(w http.ResponseWriter, description string) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSONError(w, http.StatusBadRequest, errInvalidRequest, description)
}
