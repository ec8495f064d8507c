package demo

import (
	"net/http"
	"net/url"
)

// RFC 9207 (OAuth 2.0 Authorization Server Issuer Identification): every
// authorization response — success or error — carries `iss`, and discovery
// advertises authorization_response_iss_parameter_supported. zitadel/oidc op
// v3.51.17 does neither, so this file adds `iss` to op's redirects and
// discovery.go adds the metadata.

// withIss wraps op's authorization endpoints so that any redirect carrying an
// authorization response (a `code` or `error` parameter) to a client gets
// `iss` appended.
func (s *Server) withIss(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&issWriter{ResponseWriter: w, s: s}, r)
	})
}

// issWriter rewrites the Location header just before the status is sent.
type issWriter struct {
	http.ResponseWriter
	s           *Server
	wroteHeader bool
}

func (w *issWriter) WriteHeader(code int) {
	if !w.wroteHeader {
		w.wroteHeader = true
		if code >= 300 && code < 400 {
			if loc := w.Header().Get("Location"); loc != "" {
				w.Header().Set("Location", w.s.addIss(loc))
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *issWriter) Write(b []byte) (int, error) {
	if !w.wroteHeader {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// addIss appends iss=<issuer> to loc when loc is an authorization response to
// a client: an absolute URL on another host with `code` or `error` in its
// query and no `iss` yet. Anything else is returned unchanged.
func (s *Server) addIss(loc string) string {
	u, err := url.Parse(loc)
	if err != nil || !u.IsAbs() || u.Host == s.host {
		return loc
	}
	q := u.Query()
	if (!q.Has("code") && !q.Has("error")) || q.Has("iss") {
		return loc
	}
	q.Set("iss", s.issuer)
	u.RawQuery = q.Encode()
	return u.String()
}
