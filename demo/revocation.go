package demo

import (
	"net/http"
	"strings"
)

// guardRevoke makes the revocation endpoint find a refresh token that a
// client sent with token_type_hint=access_token. RFC 7009 §2.1: a server
// that cannot locate the token with the hint "MUST extend its search across
// all of its supported token types". op takes the access-token path first
// and decrypts the opaque value as an access token; a random refresh token
// sometimes decrypts to something shaped like "id:subject", and op then
// revokes that made-up id and answers 200 while the refresh token lives on.
// Dropping a hint that names the wrong type sends op down the refresh-token
// path, where the value is found.
func (s *Server) guardRevoke(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && r.ParseForm() == nil &&
		strings.EqualFold(param(r.PostForm, "token_type_hint"), "access_token") &&
		s.storage.isRefreshToken(param(r.PostForm, "token")) {
		for _, form := range []map[string][]string{r.PostForm, r.Form} {
			for k := range form {
				if strings.EqualFold(k, "token_type_hint") {
					delete(form, k)
				}
			}
		}
	}
	s.provider.ServeHTTP(w, r)
}
