package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// leakCheck fails when any secret value appears in the error text, the
// trace (as JSON: what the "secrets masked" export holds) or the debug log.
func leakCheck(t *testing.T, what string, err error, evs []Event, log *bytes.Buffer, secrets ...string) {
	t.Helper()
	trace, _ := json.Marshal(evs)
	for _, s := range secrets {
		if len(s) < 8 {
			t.Fatalf("canary %q is too short to prove anything", s)
		}
		for where, text := range map[string]string{"error": fmt.Sprint(err), "trace": string(trace), "log": log.String()} {
			if strings.Contains(text, s) {
				t.Errorf("%s: the %s holds the secret %q…", what, where, s[:6])
			}
		}
	}
}

func debugLogger() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}

// An error page that echoes the posted form (code, verifier, client
// secret, Basic credentials) and a 201 that carries tokens must leave the
// engine with every value redacted.
func TestProviderErrorTextNeverCarriesSecrets(t *testing.T) {
	const clientSecret = "client-secret-canary-1234"
	const leakedAT, leakedRT = "access-token-canary-5678", "refresh-token-canary-9012"
	for name, handler := range map[string]http.HandlerFunc{
		"html page echoing the form": func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(500)
			fmt.Fprintf(w, "<html><body>Bad request: %s <br>Authorization: %s</body></html>", body, r.Header.Get("Authorization"))
		},
		"oauth error describing the form": func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			writeJSON(w, 400, map[string]string{"error": "invalid_grant",
				"error_description": "code " + r.PostForm.Get("code") + " with verifier " + r.PostForm.Get("code_verifier") + " secret " + clientSecret})
		},
		"201 with tokens": func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 201, map[string]any{"access_token": leakedAT, "refresh_token": leakedRT, "token_type": "Bearer"})
		},
		"text echo of the raw body": func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(418)
			_, _ = w.Write(body)
		},
	} {
		for _, method := range []AuthMethod{AuthClientSecretPost, AuthClientSecretBasic} {
			t.Run(name+"/"+string(method), func(t *testing.T) {
				op := newFakeOP(t)
				var posted struct{ code, verifier string }
				op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
					body, _ := io.ReadAll(r.Body)
					r.Body = io.NopCloser(bytes.NewReader(body))
					form, _ := parseFormBody(body)
					posted.code, posted.verifier = form.Get("code"), form.Get("code_verifier")
					handler(w, r)
				}
				cfg := op.config()
				cfg.ClientSecret, cfg.AuthMethod = NewSecret(clientSecret), method
				logger, buf := debugLogger()
				ev := &events{}
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				_, err := Login(ctx, cfg, LoginOptions{Open: newBrowser().open, Trace: ev.add, Logger: logger})
				if err == nil || posted.code == "" {
					t.Fatalf("want a failed exchange after a real POST (err %v)", err)
				}
				leakCheck(t, name, err, ev.all(), buf, clientSecret, posted.code, posted.verifier, leakedAT, leakedRT,
					basicValue("desk-app", clientSecret))
				if !strings.Contains(err.Error(), "token endpoint") {
					t.Errorf("the error must still say which endpoint failed: %v", err)
				}
			})
		}
	}
}

// Refresh, revocation and introspection errors that echo the token they
// were sent are redacted the same way.
func TestTokenOperationErrorsNeverCarryTheToken(t *testing.T) {
	op := newFakeOP(t)
	logger, buf := debugLogger()
	ev := &events{}
	s := signIn(t, op, LoginOptions{Trace: ev.add, Logger: logger})
	rt, at := s.Token().RefreshToken.Reveal(), s.Token().AccessToken.Reveal()
	echo := func(status int) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			w.WriteHeader(status)
			fmt.Fprintf(w, "cannot handle %s (hint %s)", r.PostForm.Get("token")+r.PostForm.Get("refresh_token"), r.PostForm.Get("token_type_hint"))
		}
	}
	op.tokenHandler = echo(503)
	_, err := s.Refresh(context.Background())
	leakCheck(t, "refresh", err, ev.all(), buf, rt)
	mux := op.srv.Config.Handler.(*http.ServeMux)
	mux.HandleFunc("POST /revoke-echo", echo(500))
	mux.HandleFunc("POST /introspect-echo", echo(400))
	s.c.meta.RevocationEndpoint = op.issuer() + "/revoke-echo"
	s.c.meta.IntrospectionEndpoint = op.issuer() + "/introspect-echo"
	err = s.Revoke(context.Background(), AccessToken)
	leakCheck(t, "revoke", err, ev.all(), buf, at)
	_, err = s.Introspect(context.Background(), RefreshToken)
	leakCheck(t, "introspect", err, ev.all(), buf, rt)
	if err == nil || !strings.Contains(err.Error(), "refresh_token") {
		t.Errorf("harmless text (the hint) should survive redaction: %v", err)
	}
}

// A userinfo error page that echoes the bearer token is redacted.
func TestUserInfoErrorNeverCarriesTheAccessToken(t *testing.T) {
	op := newFakeOP(t)
	s := signIn(t, op, LoginOptions{})
	op.srv.Config.Handler.(*http.ServeMux).HandleFunc("GET /userinfo-echo", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(401)
		fmt.Fprintf(w, "token %s is not valid", strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer "))
	})
	s.c.meta.UserInfoEndpoint = op.issuer() + "/userinfo-echo"
	_, err := s.UserInfo(context.Background())
	var buf bytes.Buffer
	leakCheck(t, "userinfo", err, s.Trace(), &buf, s.Token().AccessToken.Reveal())
}
