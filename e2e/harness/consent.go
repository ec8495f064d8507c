package harness

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// LoginConsentApp is the login, consent and logout UI Hydra redirects the
// browser to (Hydra ships none). It accepts every request through Hydra's
// admin API as a fixed test user, granting exactly the requested scopes and
// audiences with remember=false, so the browser only has to follow redirects.
// It also serves Hydra's error page (recording what Hydra reported) and the
// post-logout landing page. It listens on 127.0.0.1 only.
type LoginConsentApp struct {
	// URL is the app's base URL, e.g. http://127.0.0.1:38211.
	URL string
	// Subject is the user id accepted at login.
	Subject string
	// Email goes into the ID token session (and so into Hydra's userinfo).
	Email string

	admin atomic.Value // string: Hydra's admin base URL, set once Hydra runs

	logins, consents, logouts, loggedOut atomic.Int64

	mu     sync.Mutex
	errors []string

	srv *http.Server
	ln  net.Listener
}

// NewLoginConsentApp listens on 127.0.0.1:0 and serves until Close.
func NewLoginConsentApp(subject, email string) (*LoginConsentApp, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("login/consent app: listen on 127.0.0.1: %w", err)
	}
	a := &LoginConsentApp{URL: "http://" + ln.Addr().String(), Subject: subject, Email: email, ln: ln}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login", a.login)
	mux.HandleFunc("GET /consent", a.consent)
	mux.HandleFunc("GET /logout", a.logout)
	mux.HandleFunc("GET /error", a.error)
	mux.HandleFunc("GET /logged-out", a.loggedOutPage)
	a.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, MaxHeaderBytes: 64 << 10}
	go func() { _ = a.srv.Serve(ln) }()
	return a, nil
}

// SetAdminURL tells the app where Hydra's admin API is.
func (a *LoginConsentApp) SetAdminURL(u string) { a.admin.Store(u) }

// Close stops the app.
func (a *LoginConsentApp) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	return a.srv.Shutdown(ctx)
}

// Counts reports how many logins, consents and logouts were accepted and how
// many times the post-logout page was reached.
func (a *LoginConsentApp) Counts() (logins, consents, logouts, loggedOut int64) {
	return a.logins.Load(), a.consents.Load(), a.logouts.Load(), a.loggedOut.Load()
}

// Errors returns what Hydra reported on its error page so far.
func (a *LoginConsentApp) Errors() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.errors...)
}

type redirectTo struct {
	RedirectTo string `json:"redirect_to"`
}

// accept PUTs body to Hydra's admin accept endpoint for kind and redirects
// the browser to where Hydra says.
func (a *LoginConsentApp) accept(w http.ResponseWriter, r *http.Request, kind, challenge string, body any) bool {
	admin, _ := a.admin.Load().(string)
	if admin == "" || challenge == "" {
		http.Error(w, "missing "+kind+" challenge or Hydra not running", http.StatusBadRequest)
		return false
	}
	u := admin + "/admin/oauth2/auth/requests/" + kind + "/accept?" + kind + "_challenge=" + url.QueryEscape(challenge)
	var out redirectTo
	if err := DoJSON(r.Context(), http.MethodPut, u, body, &out); err != nil {
		slog.Warn("login/consent app: accept failed", "kind", kind, "err", err)
		http.Error(w, "accepting the "+kind+" request failed: "+err.Error(), http.StatusBadGateway)
		return false
	}
	if out.RedirectTo == "" {
		http.Error(w, "Hydra returned no redirect_to for "+kind, http.StatusBadGateway)
		return false
	}
	http.Redirect(w, r, out.RedirectTo, http.StatusFound)
	return true
}

// login accepts the login request as Subject, remember=false.
func (a *LoginConsentApp) login(w http.ResponseWriter, r *http.Request) {
	if a.accept(w, r, "login", r.URL.Query().Get("login_challenge"), map[string]any{
		"subject":  a.Subject,
		"remember": false,
	}) {
		a.logins.Add(1)
	}
}

// consent grants exactly the requested scopes and audiences, remember=false.
// Consent must be accepted even when Hydra says skip (it still waits for it).
func (a *LoginConsentApp) consent(w http.ResponseWriter, r *http.Request) {
	challenge := r.URL.Query().Get("consent_challenge")
	admin, _ := a.admin.Load().(string)
	var req struct {
		RequestedScope    []string `json:"requested_scope"`
		RequestedAudience []string `json:"requested_access_token_audience"`
	}
	if err := DoJSON(r.Context(), http.MethodGet, admin+"/admin/oauth2/auth/requests/consent?consent_challenge="+url.QueryEscape(challenge), nil, &req); err != nil {
		http.Error(w, "reading the consent request failed: "+err.Error(), http.StatusBadGateway)
		return
	}
	if a.accept(w, r, "consent", challenge, map[string]any{
		"grant_scope":                 nonNil(req.RequestedScope),
		"grant_access_token_audience": nonNil(req.RequestedAudience),
		"remember":                    false,
		"session": map[string]any{
			"id_token": map[string]any{"email": a.Email, "email_verified": true, "name": "E2E Test User"},
		},
	}) {
		a.consents.Add(1)
	}
}

// logout accepts an RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0).
func (a *LoginConsentApp) logout(w http.ResponseWriter, r *http.Request) {
	if a.accept(w, r, "logout", r.URL.Query().Get("logout_challenge"), nil) {
		a.logouts.Add(1)
	}
}

// error records Hydra's error redirect and answers 400 so the stand-in
// browser treats it as a failure.
func (a *LoginConsentApp) error(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	msg := q.Get("error") + ": " + q.Get("error_description")
	if h := q.Get("error_hint"); h != "" {
		msg += " (" + h + ")"
	}
	a.mu.Lock()
	a.errors = append(a.errors, msg)
	a.mu.Unlock()
	http.Error(w, "Hydra error: "+msg, http.StatusBadRequest)
}

func (a *LoginConsentApp) loggedOutPage(w http.ResponseWriter, _ *http.Request) {
	a.loggedOut.Add(1)
	_, _ = w.Write([]byte("signed out"))
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
