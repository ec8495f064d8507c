package demo

import (
	"net/http"
	"net/url"
)

// scopeDescriptions says in words what each scope lets the app do.
var scopeDescriptions = map[string]string{
	"openid":         "confirm who you are (your user id)",
	"profile":        "see your name and username",
	"email":          "see your e-mail address",
	"offline_access": "stay signed in: get new access without asking you again",
	ScopeOrdersRead:  "read orders in the demo API",
	ScopeOrdersWrite: "create orders in the demo API",
}

type scopeLine struct{ Name, Description string }

// consentData fills templates/consent.html.
type consentData struct {
	pageData
	ClientID    string
	RequestID   string
	User        User
	Scopes      []scopeLine
	SwitchQuery string
	UserCode    string // a device sign-in: the code the device shows
}

// handleConsent lists the requested scopes with Allow and Deny. Allow sends
// the browser to op's callback, which issues the code; Deny answers the
// client with access_denied (RFC 6749 §4.1.2.1). Only the browser session
// that signed in for this request may decide.
func (s *Server) handleConsent(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.renderError(w, http.StatusBadRequest, "The form could not be read.", "Start the sign-in again from PKCE Desk.")
		return
	}
	id := r.Form.Get("id")
	ar, err := s.storage.authRequest(id)
	if err != nil {
		s.renderExpired(w)
		return
	}
	sessID, _, ok := s.currentSession(r)
	if ar.userID == "" || !ok || sessID != ar.sessionID {
		// Not signed in for this request in this browser: back to the picker.
		http.Redirect(w, r, loginPath+"?"+url.Values{"id": {id}}.Encode(), http.StatusSeeOther)
		return
	}
	user, ok := s.users.byID(ar.userID)
	if !ok {
		s.renderExpired(w)
		return
	}
	if r.Method != http.MethodPost {
		lines := make([]scopeLine, 0, len(ar.scopes))
		for _, sc := range ar.scopes {
			d, ok := scopeDescriptions[sc]
			if !ok {
				d = "a scope the demo provider does not describe"
			}
			lines = append(lines, scopeLine{Name: sc, Description: d})
		}
		s.renderPage(w, http.StatusOK, "consent.html", formActionSource(ar.redirectURI), consentData{
			pageData:    pageData{Title: "Allow access?", Issuer: s.issuer},
			ClientID:    ar.clientID,
			RequestID:   ar.id,
			User:        user,
			Scopes:      lines,
			SwitchQuery: url.Values{"id": {id}, "switch": {"1"}}.Encode(),
			UserCode:    ar.userCode,
		})
		return
	}
	if ar.deviceCode != "" {
		switch r.PostForm.Get("decision") {
		case "allow", "deny":
			s.decideDevice(w, id, user, r.PostForm.Get("decision") == "allow")
		default:
			s.renderError(w, http.StatusBadRequest, "Choose Allow or Deny.", "Go back to the consent page.")
		}
		return
	}
	switch r.PostForm.Get("decision") {
	case "allow":
		if err := s.storage.grantConsent(id); err != nil {
			s.renderExpired(w)
			return
		}
		s.log.Debug("demo consent", "user", user.Username, "decision", "allow")
		http.Redirect(w, r, callbackPath+"?"+url.Values{"id": {id}}.Encode(), http.StatusSeeOther)
	case "deny":
		_ = s.storage.DeleteAuthRequest(r.Context(), id)
		s.log.Debug("demo consent", "user", user.Username, "decision", "deny")
		s.redirectError(w, r, ar.redirectURI, ar.state, errAccessDenied, "the user denied the request")
	default:
		s.renderError(w, http.StatusBadRequest, "Choose Allow or Deny.", "Go back to the consent page.")
	}
}
