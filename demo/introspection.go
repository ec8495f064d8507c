package demo

import "net/http"

// guardIntrospect lets the public demo client use op's introspection
// endpoint (RFC 7662). op requires client authentication there; a public
// client has no secret, so a request that names client_id=pkce-desk-demo
// without any credentials is treated as HTTP Basic "pkce-desk-demo:" (empty
// secret), which storage.AuthorizeClientIDSecret accepts for this client
// only. Introspection answers active only for the client's own live access
// tokens (storage.SetIntrospectionFromToken).
func (s *Server) guardIntrospect(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "introspection takes a POST (RFC 7662 §2.1)", http.StatusMethodNotAllowed)
		return
	}
	if r.Header.Get("Authorization") == "" {
		if err := r.ParseForm(); err != nil {
			http.Error(w, "the introspection request could not be read", http.StatusBadRequest)
			return
		}
		if param(r.PostForm, "client_id") == s.client.id && param(r.PostForm, "client_secret") == "" {
			r.SetBasicAuth(s.client.id, "")
		}
	}
	s.provider.ServeHTTP(w, r)
}
