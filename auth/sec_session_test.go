package auth

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func signIn(t *testing.T, op *fakeOP, opts LoginOptions) *Session {
	t.Helper()
	if opts.Open == nil {
		opts.Open = newBrowser().open
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := Login(ctx, op.config(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Proves security rule 21 (docs/security.md).
func TestUserInfoSubMismatchDiscarded(t *testing.T) {
	op := newFakeOP(t)
	s := signIn(t, op, LoginOptions{})
	ui, err := s.UserInfo(context.Background())
	if err != nil || ui["sub"] != "user-1" {
		t.Fatalf("userinfo %v %v", ui, err)
	}
	op.userinfoEdit = func(m map[string]any) { m["sub"] = "someone-else" }
	ui, err = s.UserInfo(context.Background())
	checkErr(t, err, "userinfo subject")
	if ui != nil {
		t.Error("mismatched userinfo returned")
	}
	op.userinfoEdit = func(m map[string]any) { delete(m, "sub") }
	_, err = s.UserInfo(context.Background())
	checkErr(t, err, "userinfo subject")
}

// Proves security rule 22 (docs/security.md).
func TestConcurrentExpiredCallersMakeOneRefresh(t *testing.T) {
	op := newFakeOP(t)
	op.accessTTL = 1 // expires within the 10 s leeway: the first use refreshes
	op.refreshDelay = 50 * time.Millisecond
	var mu sync.Mutex
	var announced []TokenSet
	s := signIn(t, op, LoginOptions{OnToken: func(ts TokenSet) { mu.Lock(); announced = append(announced, ts); mu.Unlock() }})
	op.accessTTL = 3600
	ts := s.TokenSource()
	var wg sync.WaitGroup
	tokens := make([]string, 8)
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := ts.Token()
			if err != nil {
				t.Error(err)
				return
			}
			tokens[i] = tok.AccessToken
		}()
	}
	wg.Wait()
	if n := op.count(&op.refreshPosts); n != 1 {
		t.Fatalf("%d refresh requests for 8 concurrent callers, want 1", n)
	}
	for _, tk := range tokens[1:] {
		if tk != tokens[0] {
			t.Fatal("callers got different tokens")
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(announced) != 2 {
		t.Errorf("OnToken called %d times, want 2 (sign-in + refresh)", len(announced))
	}
}

// Proves security rule 22 (docs/security.md).
func TestRotatedRefreshTokenReplacesOldAtOnce(t *testing.T) {
	op := newFakeOP(t)
	op.rotate = true
	var persisted []string
	s := signIn(t, op, LoginOptions{OnToken: func(ts TokenSet) { persisted = append(persisted, ts.RefreshToken.Reveal()) }})
	first := s.Token().RefreshToken.Reveal()
	t2, err := s.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if t2.RefreshToken.Reveal() == first || s.Token().RefreshToken.Reveal() != t2.RefreshToken.Reveal() {
		t.Fatal("rotated refresh token not adopted")
	}
	if persisted[len(persisted)-1] != t2.RefreshToken.Reveal() {
		t.Error("OnToken did not get the rotated refresh token")
	}
	// The old one is dead at the provider; the session keeps working with the new one.
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatalf("second refresh with the rotated token: %v", err)
	}
}

// Proves security rule 22 (docs/security.md).
func TestRefreshWithoutNewRefreshTokenKeepsOld(t *testing.T) {
	op := newFakeOP(t)
	s := signIn(t, op, LoginOptions{})
	old := s.Token().RefreshToken.Reveal()
	oldAT := s.Token().AccessToken.Reveal()
	t2, err := s.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if t2.RefreshToken.Reveal() != old || t2.AccessToken.Reveal() == oldAT {
		t.Error("refresh without a new refresh token must keep the old one and replace the access token")
	}
	if t2.IDToken.IsZero() {
		t.Error("ID token dropped on refresh")
	}
}

// Proves security rule 23 (docs/security.md).
func TestInvalidGrantEndsSessionWithoutRetry(t *testing.T) {
	op := newFakeOP(t)
	s := signIn(t, op, LoginOptions{})
	op.mu.Lock()
	op.refresh = map[string]string{} // the provider forgot the refresh token
	op.mu.Unlock()
	_, err := s.Refresh(context.Background())
	mustIs(t, err, ErrSessionEnded)
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Code != "invalid_grant" {
		t.Errorf("provider error not kept: %v", err)
	}
	if !s.Ended() || !s.Token().AccessToken.IsZero() {
		t.Error("session not signed out")
	}
	for range 3 {
		if _, err := s.TokenSource().Token(); !errors.Is(err, ErrSessionEnded) {
			t.Fatalf("token source after end: %v", err)
		}
	}
	if n := op.count(&op.refreshPosts); n != 1 {
		t.Errorf("%d refresh requests, want 1 (no retry loop)", n)
	}
}

// Proves security rule 24 (docs/security.md).
func TestRefreshedIDTokenMustKeepIssSubAud(t *testing.T) {
	for name, edit := range map[string]func(c map[string]any){
		"sub": func(c map[string]any) { c["sub"] = "user-2" },
		"aud": func(c map[string]any) { c["aud"] = []string{"desk-app", "x"}; c["azp"] = "desk-app" },
	} {
		t.Run(name, func(t *testing.T) {
			op := newFakeOP(t)
			op.idOnRefresh = true
			s := signIn(t, op, LoginOptions{})
			if _, err := s.Refresh(context.Background()); err != nil {
				t.Fatalf("same-user refresh: %v", err)
			}
			op.claimsEdit = edit
			before := s.Token()
			_, err := s.Refresh(context.Background())
			checkErr(t, err, "same user")
			if s.Subject() != "user-1" || s.Token().AccessToken.Reveal() != before.AccessToken.Reveal() {
				t.Error("a refresh for another user changed the session")
			}
		})
	}
	// iss: a different issuer fails the issuer check itself.
	op := newFakeOP(t)
	op.idOnRefresh = true
	s := signIn(t, op, LoginOptions{})
	op.claimsEdit = func(c map[string]any) { c["iss"] = "https://other.example" }
	_, err := s.Refresh(context.Background())
	checkErr(t, err, "issuer")
}

// Proves security rule 25 (docs/security.md).
func TestSignOutRevokesAndForgets(t *testing.T) {
	op := newFakeOP(t)
	s := signIn(t, op, LoginOptions{})
	at, rt := s.Token().AccessToken.Reveal(), s.Token().RefreshToken.Reveal()
	if err := s.SignOut(context.Background()); err != nil {
		t.Fatal(err)
	}
	op.mu.Lock()
	revokedBoth := op.revoked[at] && op.revoked[rt]
	op.mu.Unlock()
	if !revokedBoth {
		t.Error("sign-out did not revoke both tokens at the provider")
	}
	if !s.Ended() || !s.Token().RefreshToken.IsZero() {
		t.Error("tokens kept after sign-out")
	}
	if _, err := s.UserInfo(context.Background()); !errors.Is(err, ErrSessionEnded) {
		t.Errorf("userinfo after sign-out: %v", err)
	}
	// Without a revocation endpoint: local sign-out only, and Revoke says so.
	op2 := newFakeOP(t)
	op2.metaEdit = func(m map[string]any) { delete(m, "revocation_endpoint") }
	s2 := signIn(t, op2, LoginOptions{})
	if err := s2.Revoke(context.Background(), AccessToken); !errors.Is(err, ErrNotSupported) {
		t.Errorf("revoke without endpoint: %v", err)
	}
	if err := s2.SignOut(context.Background()); err != nil || !s2.Ended() {
		t.Errorf("local sign-out: %v", err)
	}
}

func TestRevokeSendsHintAndReportsRefusal(t *testing.T) {
	op := newFakeOP(t)
	s := signIn(t, op, LoginOptions{})
	if err := s.Revoke(context.Background(), AccessToken); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserInfo(context.Background()); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("revoked access token still works: %v", err)
	}
	op.srv.Config.Handler.(*http.ServeMux).HandleFunc("POST /revoke2", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 400, map[string]string{"error": "unsupported_token_type"})
	})
	s.c.meta.RevocationEndpoint = op.issuer() + "/revoke2"
	var pe *ProviderError
	if err := s.Revoke(context.Background(), RefreshToken); !errors.As(err, &pe) || pe.Code != "unsupported_token_type" {
		t.Errorf("err = %v", err)
	}
}

func TestIntrospectAndLogoutURL(t *testing.T) {
	op := newFakeOP(t)
	s := signIn(t, op, LoginOptions{})
	m, err := s.Introspect(context.Background(), AccessToken)
	if err != nil || m["active"] != true || m["sub"] != "user-1" {
		t.Fatalf("introspect %v %v", m, err)
	}
	_ = s.Revoke(context.Background(), AccessToken)
	m, err = s.Introspect(context.Background(), AccessToken)
	if err != nil || m["active"] != false {
		t.Fatalf("introspect after revoke %v %v", m, err)
	}
	u, err := s.LogoutURL("http://127.0.0.1:9/bye")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{op.issuer() + "/logout?", "id_token_hint=" + s.Token().IDToken.Reveal(), "client_id=desk-app", "post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fbye"} {
		if !strings.Contains(u, want) {
			t.Errorf("logout URL %q lacks %q", u, want)
		}
	}
	for _, ev := range s.Trace() {
		if strings.Contains(ev.String(), s.Token().IDToken.Reveal()) {
			t.Error("ID token in the logout trace")
		}
	}
}

func TestRestoreFromKeptRefreshToken(t *testing.T) {
	op := newFakeOP(t)
	op.rotate, op.idOnRefresh = true, true
	s := signIn(t, op, LoginOptions{})
	kept := s.Token().RefreshToken
	var saved string
	r, err := Restore(context.Background(), op.config(), kept, LoginOptions{OnToken: func(ts TokenSet) { saved = ts.RefreshToken.Reveal() }})
	if err != nil {
		t.Fatal(err)
	}
	if r.Subject() != "user-1" || r.Token().AccessToken.IsZero() || saved == kept.Reveal() || saved == "" {
		t.Errorf("restored session: sub %q, rotated token persisted %v", r.Subject(), saved != kept.Reveal())
	}
	// The old, rotated-away token now fails: ErrSessionEnded tells the app to forget it.
	if _, err := Restore(context.Background(), op.config(), kept, LoginOptions{}); !errors.Is(err, ErrSessionEnded) {
		t.Errorf("restore with a dead token: %v", err)
	}
}

func TestPlainOAuth2WithManualEndpoints(t *testing.T) {
	op := newFakeOP(t)
	cfg := Config{ClientID: "gh-app", ClientSecret: NewSecret("shh"), AuthMethod: AuthClientSecretPost,
		Scopes: []string{"read:user"}, Timeout: 10 * time.Second,
		Endpoints: Endpoints{Authorization: op.issuer() + "/authorize", Token: op.issuer() + "/token"}}
	op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		if r.PostForm.Get("client_secret") != "shh" {
			writeJSON(w, 401, map[string]string{"error": "invalid_client"})
			return
		}
		// GitHub style: form-encoded answer, comma-separated scope.
		w.Header().Set("Content-Type", "application/x-www-form-urlencoded")
		_, _ = w.Write([]byte("access_token=gho_x&token_type=bearer&scope=read%3Auser%2Crepo"))
	}
	s, _, err := loginWith(t, cfg, newBrowser().open)
	if err != nil {
		t.Fatal(err)
	}
	if s.Token().AccessToken.Reveal() != "gho_x" || s.IDTokenClaims() != nil {
		t.Errorf("tokens %+v", s.Token())
	}
	cfg.Scopes = []string{"openid"}
	if err := cfg.Validate(); !errors.Is(err, ErrInvalidConfig) {
		t.Error("openid without issuer accepted")
	}
}

// Proves security rule 30 (docs/security.md).
func TestUserInfoBearerNotForwardedToAnotherHost(t *testing.T) {
	var leaked string
	reached := false
	other := httptestServer(t, func(w http.ResponseWriter, r *http.Request) {
		reached = true
		leaked = r.Header.Get("Authorization")
		writeJSON(w, 200, map[string]any{"sub": "user-1"})
	})
	op := newFakeOP(t)
	op.srv.Config.Handler.(*http.ServeMux).HandleFunc("GET /userinfo-moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, strings.Replace(other, "127.0.0.1", "localhost", 1), http.StatusFound)
	})
	s := signIn(t, op, LoginOptions{})
	s.c.meta.UserInfoEndpoint = op.issuer() + "/userinfo-moved"
	_, _ = s.UserInfo(context.Background())
	if !reached {
		t.Fatal("the redirect was not followed; the test proves nothing")
	}
	if leaked != "" {
		t.Fatalf("bearer token forwarded to another host: %q", leaked[:10])
	}
}

func TestRefreshTransientErrorKeepsSession(t *testing.T) {
	op := newFakeOP(t)
	s := signIn(t, op, LoginOptions{})
	op.tokenHandler = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		_, _ = w.Write([]byte("<h1>Bad gateway</h1>"))
	}
	_, err := s.Refresh(context.Background())
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 502 || errors.Is(err, ErrSessionEnded) {
		t.Fatalf("err = %v", err)
	}
	if s.Ended() || s.Token().RefreshToken.IsZero() {
		t.Fatal("a 502 signed the user out")
	}
	op.tokenHandler = nil
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatalf("refresh after the outage: %v", err)
	}
}
