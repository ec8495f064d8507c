package demo

import (
	"net/http"
	"strings"
	"time"
)

// Paths served next to op's endpoints.
const (
	loginPath     = "/login"
	consentPath   = "/consent"
	signedOutPath = "/signed-out"
	apiPrefix     = "/api"
	discoveryPath = "/.well-known/openid-configuration"
	authorizePath = "/authorize"
	callbackPath  = "/authorize/callback"
	endSessPath   = "/end_session"
	introspectPth = "/oauth/introspect"
	tokenPath     = "/oauth/token"
	revokePath    = "/revoke"
)

// maxFormBytes caps every request body the provider reads (forms, JSON).
const maxFormBytes = 64 << 10

// routes assembles the handler: our pages and API, guards in front of some op
// endpoints, and op for the rest. The authorization (and its callback),
// token, device authorization, revocation, introspection and end-session
// endpoints refuse a repeated parameter before a guard or op reads one
// (RFC 6749 §3.1; repeatedparams.go; a token exchange may repeat audience
// and resource, RFC 8693 §2.1). Every request must carry the listener's own Host
// (DNS-rebinding defence) and gets its body capped.
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(loginPath, s.handleLogin)
	mux.HandleFunc(consentPath, s.handleConsent)
	mux.HandleFunc(signedOutPath, s.handleSignedOut)
	mux.HandleFunc("GET "+stylesheetPath, s.handleStylesheet)
	// Browsers ask for a favicon on every page; answer with no content
	// instead of a 404 in their consoles.
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) })
	mux.Handle(apiPrefix+"/", s.apiHandler())
	mux.HandleFunc(discoveryPath, s.handleDiscovery)
	mux.HandleFunc(authorizePath, s.singleValuedPage(s.guardAuthorize))
	mux.Handle(callbackPath, s.singleValuedPage(s.withIss(s.provider).ServeHTTP))
	mux.HandleFunc(endSessPath, s.singleValuedPage(s.guardEndSession))
	mux.Handle(tokenPath, s.singleValuedToken(http.HandlerFunc(s.guardToken)))
	mux.Handle(deviceAuthPath, s.singleValuedJSON(http.HandlerFunc(s.guardDeviceAuthorization)))
	mux.HandleFunc(devicePath, s.handleDevice)
	mux.Handle(revokePath, s.singleValuedJSON(http.HandlerFunc(s.guardRevoke)))
	mux.Handle(introspectPth, s.singleValuedJSON(http.HandlerFunc(s.guardIntrospect)))
	mux.Handle("/", s.provider)
	return s.logRequests(s.checkHost(mux))
}

// checkHost refuses requests whose Host header is not this listener's
// address, so a web page cannot reach the provider through DNS rebinding.
func (s *Server) checkHost(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Host, s.host) {
			http.Error(w, "unknown host: address this server as "+s.host, http.StatusMisdirectedRequest)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status code for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// logRequests logs method, path, status and duration at debug level. It
// never logs query strings, headers or bodies: those carry codes and tokens.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		s.log.Debug("demo request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	})
}
