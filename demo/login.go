package demo

import (
	"net/http"
	"net/url"
	"strings"
)

// loginData fills templates/login.html.
type loginData struct {
	pageData
	ClientID  string
	RequestID string
	Users     []User
	Selected  string
	Problem   string
}

// sessionCookieName is per Server: cookies are not isolated by port, and two
// demo providers on 127.0.0.1 must not overwrite each other's session.
func (s *Server) sessionCookieName() string {
	_, port, _ := strings.Cut(s.host, "]:")
	if port == "" {
		_, port, _ = strings.Cut(s.host, ":")
	}
	return "pkce_desk_demo_session_" + port
}

// currentSession returns the browser's signed-in session, if any.
func (s *Server) currentSession(r *http.Request) (string, browserSession, bool) {
	c, err := r.Cookie(s.sessionCookieName())
	if err != nil || c.Value == "" {
		return "", browserSession{}, false
	}
	b, ok := s.storage.browserSession(c.Value)
	return c.Value, b, ok
}

// handleLogin is the user picker. op sends the browser here with ?id=<auth
// request id>. Without JavaScript, a radio group and a submit button choose
// the user.
//
// A browser that already signed in skips the picker unless the client sent
// prompt=login or prompt=select_account (OIDC Core §3.1.2.1), a login_hint
// names someone else, or the person clicked "Not you?". prompt=none cannot
// be honoured (consent is always asked) and gets login_required or
// consent_required back.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		s.showLogin(w, r)
	case http.MethodPost:
		s.submitLogin(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *Server) showLogin(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	ar, err := s.storage.authRequest(id)
	if err != nil {
		s.renderExpired(w)
		return
	}
	sessID, sess, signedIn := s.currentSession(r)
	hinted, hasHint := s.hintedUser(ar.loginHint)
	if ar.hasPrompt("none") {
		code, desc := errLoginRequired, "no one is signed in at the demo provider"
		if signedIn {
			code, desc = errConsentRequired, "the demo provider always asks for consent"
		}
		_ = s.storage.DeleteAuthRequest(r.Context(), id)
		s.redirectError(w, r, ar.redirectURI, ar.state, code, desc)
		return
	}
	forcePicker := ar.hasPrompt("login") || ar.hasPrompt("select_account") || r.URL.Query().Has("switch")
	if signedIn && !forcePicker && (!hasHint || hinted.ID == sess.userID) {
		if err := s.storage.completeLogin(id, sess.userID, sessID, sess.authTime); err != nil {
			s.renderExpired(w)
			return
		}
		http.Redirect(w, r, consentPath+"?"+url.Values{"id": {id}}.Encode(), http.StatusSeeOther)
		return
	}
	s.renderLogin(w, http.StatusOK, ar, hinted.Username, "")
}

func (s *Server) renderLogin(w http.ResponseWriter, status int, ar *authRequest, selected, problem string) {
	s.renderPage(w, status, "login.html", formActionSource(ar.redirectURI), loginData{
		pageData:  pageData{Title: "Sign in", Issuer: s.issuer},
		ClientID:  ar.clientID,
		RequestID: ar.id,
		Users:     s.users.all(),
		Selected:  selected,
		Problem:   problem,
	})
}

// hintedUser resolves login_hint (OIDC Core §3.1.2.1) by username or e-mail.
func (s *Server) hintedUser(hint string) (User, bool) {
	hint = strings.TrimSpace(hint)
	if hint == "" {
		return User{}, false
	}
	if u, ok := s.users.byUsername(strings.ToLower(hint)); ok {
		return u, true
	}
	for _, u := range s.users.all() {
		if strings.EqualFold(u.Email, hint) {
			return u, true
		}
	}
	return User{}, false
}

func (s *Server) submitLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, http.StatusBadRequest, "The form could not be read.", "Go back and pick a user again.")
		return
	}
	id := r.PostForm.Get("id")
	ar, err := s.storage.authRequest(id)
	if err != nil {
		s.renderExpired(w)
		return
	}
	user, ok := s.users.byUsername(r.PostForm.Get("user"))
	if !ok {
		s.renderLogin(w, http.StatusBadRequest, ar, "", "Pick one of the demo users.")
		return
	}
	now := s.now()
	// A fresh session id on every sign-in (no session fixation).
	if oldID, _, ok := s.currentSession(r); ok {
		s.storage.endBrowserSession(oldID)
	}
	sessID, err := s.storage.createBrowserSession(user.ID, now)
	if err != nil {
		s.renderError(w, http.StatusInternalServerError, "The demo provider could not start a session.", "Try again.")
		return
	}
	if err := s.storage.completeLogin(id, user.ID, sessID, now); err != nil {
		s.renderExpired(w)
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: s.sessionCookieName(), Value: sessID, Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode,
	})
	s.log.Debug("demo sign-in", "user", user.Username)
	http.Redirect(w, r, consentPath+"?"+url.Values{"id": {id}}.Encode(), http.StatusSeeOther)
}

// renderExpired tells the person the request is gone and what to do.
func (s *Server) renderExpired(w http.ResponseWriter) {
	s.renderError(w, http.StatusBadRequest,
		"This sign-in request has expired or is unknown.",
		"Start the sign-in again from PKCE Desk.")
}
