package demo

import "net/http"

// guardEndSession runs before op's end_session endpoint (OIDC RP-Initiated
// Logout 1.0). It refuses a post_logout_redirect_uri that is not on a
// loopback IP literal (op alone would accept localhost or any host with a
// matching path), ends this browser's session at the provider and clears
// its cookie. op then verifies id_token_hint, revokes the user's tokens for
// the client (storage.TerminateSession) and redirects — to the client's
// post_logout_redirect_uri, or to the "You are signed out" page.
func (s *Server) guardEndSession(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, http.StatusBadRequest, "The sign-out request could not be read.", "Sign out again from PKCE Desk.")
		return
	}
	if p := param(r.Form, "post_logout_redirect_uri"); p != "" {
		if _, ok := validLoopbackURI(p); !ok {
			s.renderError(w, http.StatusBadRequest,
				"The post-logout redirect URI is not allowed.",
				"Use an http://127.0.0.1:{port}/… or http://[::1]:{port}/… address.")
			return
		}
	}
	if id, _, ok := s.currentSession(r); ok {
		s.storage.endBrowserSession(id)
	}
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	s.provider.ServeHTTP(w, r)
}

// handleSignedOut is where a logout without a client redirect ends.
func (s *Server) handleSignedOut(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	s.renderPage(w, http.StatusOK, "message.html", "", messageData{
		pageData: pageData{Title: "You are signed out", Issuer: s.issuer},
		Message:  "You are signed out of the PKCE Desk demo provider.",
		Next:     "You can close this tab.",
	})
}
