package demo

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// Bounds of the audience a client may ask for (audience and resource
// parameters together, RFC 8693 §2.1, RFC 8707).
const (
	maxAudiences    = 5
	maxAudienceLen  = 256
	audienceParam   = "audience"
	resourceParam   = "resource"
	grantTypeParam  = "grant_type"
	clientIDParam   = "client_id"
	clientSecParam  = "client_secret"
	subjectTypePrm  = "subject_token_type"
	actorTokenParam = "actor_token"
)

// audienceKey carries the audience a token request named to storage
// (ClientCredentialsTokenRequest), which op hands only the context.
type audienceKey struct{}

// requestedAudience returns the audience guardToken found in the request.
func requestedAudience(ctx context.Context) []string {
	a, _ := ctx.Value(audienceKey{}).([]string)
	return slices.Clone(a)
}

// singleValuedToken is singleValuedJSON for the token endpoint, with the one
// exception RFC 8693 §2.1 makes: a token exchange request may repeat
// audience and resource. Their values are read by guardToken, not by a
// guard that could see another value than op.
func (s *Server) singleValuedToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil {
			refuseJSON(w, "the request body could not be read as a form")
			return
		}
		var except []string
		if countParam(r.Form, grantTypeParam) == 1 && param(r.Form, grantTypeParam) == string(oidc.GrantTypeTokenExchange) {
			except = []string{audienceParam, resourceParam}
		}
		if name, ok := repeatedParamExcept(r.Form, except); ok {
			refuseJSON(w, repeatedDescription(name))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// countParam counts the values of every key op reads as name.
func countParam(form url.Values, name string) int {
	n := 0
	for k, v := range form {
		if paramKey(k) == paramKey(name) {
			n += len(v)
		}
	}
	return n
}

// paramValues returns every value of every key op reads as name.
func paramValues(form url.Values, name string) []string {
	var out []string
	for k, v := range form {
		if paramKey(k) == paramKey(name) {
			out = append(out, v...)
		}
	}
	return out
}

// deleteParam removes every spelling of name from form.
func deleteParam(form url.Values, name string) {
	for k := range form {
		if paramKey(k) == paramKey(name) {
			delete(form, k)
		}
	}
}

// guardToken runs in front of op's token endpoint for the grants this
// package added:
//
//   - client_credentials and token exchange: the audience and resource
//     parameters are checked (at most maxAudiences values, each printable
//     ASCII of at most maxAudienceLen characters; invalid_target otherwise)
//     and become the token's audience: for client credentials through the
//     request context, for token exchange as the one audience parameter op
//     reads (op would put resource nowhere). A token exchange that names
//     none gets the asking client as its audience;
//   - token exchange: op takes client credentials only from HTTP Basic, so
//     client_id (and client_secret) in the form become Basic credentials,
//     as for introspection; sending both is refused (RFC 6749 §2.3.1). A
//     subject_token_type other than access_token or id_token and an
//     actor_token are refused before op looks at the tokens.
func (s *Server) guardToken(w http.ResponseWriter, r *http.Request) {
	grant := param(r.Form, grantTypeParam)
	if grant != string(oidc.GrantTypeClientCredentials) && grant != string(oidc.GrantTypeTokenExchange) {
		s.provider.ServeHTTP(w, r)
		return
	}
	aud := dedupe(append(paramValues(r.Form, audienceParam), paramValues(r.Form, resourceParam)...))
	if len(aud) > maxAudiences {
		writeTokenError(w, http.StatusBadRequest, "invalid_target", "at most 5 audience and resource values together")
		return
	}
	for _, a := range aud {
		if !validAudience(a) {
			writeTokenError(w, http.StatusBadRequest, "invalid_target", "an audience or resource value is empty, too long or not printable ASCII")
			return
		}
	}
	if grant == string(oidc.GrantTypeClientCredentials) {
		s.provider.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), audienceKey{}, aud)))
		return
	}

	// Token exchange.
	if param(r.Form, actorTokenParam) != "" {
		writeTokenError(w, http.StatusBadRequest, "invalid_request", "the demo provider does not support delegation: send no actor_token")
		return
	}
	switch oidc.TokenType(param(r.Form, subjectTypePrm)) {
	case oidc.AccessTokenType, oidc.IDTokenType, "":
		// "" is op's invalid_request.
	default:
		writeTokenError(w, http.StatusBadRequest, "invalid_request",
			"subject_token_type must be "+string(oidc.AccessTokenType)+" or "+string(oidc.IDTokenType))
		return
	}
	clientID := param(r.Form, clientIDParam)
	if _, _, hasBasic := r.BasicAuth(); hasBasic {
		if countParam(r.Form, clientSecParam) > 0 {
			writeTokenError(w, http.StatusBadRequest, "invalid_request", "authenticate once: HTTP Basic or client_secret in the form, not both (RFC 6749 §2.3.1)")
			return
		}
		id, _, _ := r.BasicAuth()
		if u, err := url.QueryUnescape(id); err == nil {
			id = u
		}
		if clientID != "" && clientID != id {
			writeTokenError(w, http.StatusBadRequest, "invalid_request", "client_id in the form differs from the HTTP Basic user")
			return
		}
		clientID = id
	} else if r.Header.Get("Authorization") == "" && clientID != "" {
		r.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(param(r.Form, clientSecParam)))
	}
	if len(aud) == 0 && clientID != "" {
		aud = []string{clientID}
	}
	for _, form := range []url.Values{r.Form, r.PostForm} {
		if form == nil {
			continue
		}
		deleteParam(form, audienceParam)
		deleteParam(form, resourceParam)
		deleteParam(form, clientSecParam)
		if len(aud) > 0 {
			form[audienceParam] = slices.Clone(aud)
		}
	}
	s.provider.ServeHTTP(w, r)
}

// validAudience accepts a non-empty printable ASCII value (a client id, a
// URI) of at most maxAudienceLen characters.
func validAudience(a string) bool {
	if a == "" || len(a) > maxAudienceLen {
		return false
	}
	for _, c := range a {
		if c < 0x21 || c > 0x7e {
			return false
		}
	}
	return true
}

// writeTokenError writes an OAuth token endpoint error (RFC 6749 §5.2),
// never cached.
func writeTokenError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSONError(w, status, code, strings.TrimSpace(description))
}
