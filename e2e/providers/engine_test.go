package providers

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"pkcedesk/auth"

	"pkcedesk/e2e/harness"
)

// The engine suite signs in through pkcedesk/auth exactly as the app does —
// discovery, loopback listener on 127.0.0.1:0, PKCE S256, the stand-in
// browser as the system browser — and then uses the session against the
// real provider.

// engineTimeout bounds each sign-in's wait for the browser (the stand-in
// finishes in well under a second; this is only a backstop).
const engineTimeout = 60 * time.Second

// traceLog collects the engine's trace events.
type traceLog struct {
	mu     sync.Mutex
	events []auth.Event
}

func (l *traceLog) add(e auth.Event) {
	l.mu.Lock()
	l.events = append(l.events, e)
	l.mu.Unlock()
}

// text is every event as the UI and logs would print it (redacted).
func (l *traceLog) text() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, e := range l.events {
		fmt.Fprintf(&b, "%v\n", e)
	}
	return b.String()
}

// revealedText is every event with its secrets revealed.
func (l *traceLog) revealedText() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, e := range l.events {
		fmt.Fprintf(&b, "%v %v\n", e.Revealed(), e.Revealed().Fields)
	}
	return b.String()
}

// signIn is one engine sign-in with its stand-in browser and trace.
type signIn struct {
	s     *auth.Session
	err   error // what auth.Login returned
	b     *harness.FormBrowser
	page  *harness.Page // where the browser ended (the loopback result page)
	berr  error         // what the browser's visit returned
	trace *traceLog
}

// engineConfig is the profile the app would hold for tg.
func engineConfig(tg *target) auth.Config {
	return auth.Config{
		Issuer:   tg.issuer,
		ClientID: tg.clientID,
		Scopes:   tg.scopes,
		Timeout:  engineTimeout,
	}
}

// engineLogin runs auth.Login with the stand-in browser as the opener and
// records the engine's and the browser's outcome without judging them.
func engineLogin(ctx context.Context, tg *target, cfg auth.Config) *signIn {
	b := harness.NewFormBrowser(tg.fields)
	open, wait := b.Opener(ctx)
	si := &signIn{b: b, trace: &traceLog{}}
	var opened atomic.Bool
	si.s, si.err = auth.Login(ctx, cfg, auth.LoginOptions{
		Open: func(_ context.Context, u string) error {
			opened.Store(true)
			return open(u)
		},
		Trace: si.trace.add,
	})
	if opened.Load() {
		si.page, si.berr = wait()
	}
	return si
}

// mustSignIn is engineLogin that fails the test on any error.
func mustSignIn(ctx context.Context, t *testing.T, tg *target, cfg auth.Config) *signIn {
	t.Helper()
	si := engineLogin(ctx, tg, cfg)
	if si.err != nil {
		t.Fatalf("auth.Login: %v\nbrowser: %v\ntrace:\n%s\nprovider output:\n%s", si.err, si.berr, si.trace.text(), tg.logs())
	}
	if si.berr != nil {
		t.Fatalf("sign-in succeeded but the browser reported: %v", si.berr)
	}
	return si
}

// assertNoSecrets fails if any token of ts appears in the trace text.
func assertNoSecrets(t *testing.T, tl *traceLog, ts auth.TokenSet) {
	t.Helper()
	text := tl.text()
	for name, s := range map[string]auth.Secret{"access token": ts.AccessToken, "refresh token": ts.RefreshToken, "ID token": ts.IDToken} {
		if v := s.Reveal(); len(v) >= 8 && strings.Contains(text, v) {
			t.Errorf("the trace contains the %s in clear text", name)
		}
	}
}

func testEngine(t *testing.T, tg *target) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cfg := engineConfig(tg)

	// The main sign-in happens here, not in a subtest, so -run can pick
	// any subtest below.
	main := mustSignIn(ctx, t, tg, cfg)
	s := main.s

	t.Run("sign_in_pkce_ephemeral_port", func(t *testing.T) {
		ru, err := url.Parse(s.RedirectURI())
		if err != nil || ru.Scheme != "http" || ru.Hostname() != "127.0.0.1" || ru.Port() == "" || ru.Port() == "0" || ru.Path != "/callback" {
			t.Fatalf("redirect URI %q is not http://127.0.0.1:<ephemeral>/callback", s.RedirectURI())
		}
		if main.page.Stopped || main.page.URL.Host != ru.Host || main.page.Status != 200 {
			t.Fatalf("browser ended at %s (HTTP %d), not on the loopback result page", harness.RedactURL(main.page.URL), main.page.Status)
		}
		// SECURITY 7: the port is closed once the sign-in is over.
		if c, err := net.DialTimeout("tcp", ru.Host, 2*time.Second); err == nil {
			c.Close()
			t.Errorf("loopback listener %s still accepts connections after Login returned", ru.Host)
		}
		tok := s.Token()
		if tok.AccessToken.IsZero() || tok.RefreshToken.IsZero() || tok.IDToken.IsZero() {
			t.Fatalf("tokens missing: access %t refresh %t id %t", !tok.AccessToken.IsZero(), !tok.RefreshToken.IsZero(), !tok.IDToken.IsZero())
		}
		if tok.TokenType != "Bearer" {
			t.Errorf("token_type %q", tok.TokenType)
		}
		assertNoSecrets(t, main.trace, tok)
		// The check above is not vacuous: the trace does carry the access
		// token, only redacted until revealed.
		if !strings.Contains(main.trace.revealedText(), tok.AccessToken.Reveal()) {
			t.Error("the revealed trace lacks the access token: the redaction check above proves nothing")
		}
	})
	t.Run("id_token_checks_pass", func(t *testing.T) {
		claims := s.IDTokenClaims()
		if claims["iss"] != tg.issuer {
			t.Errorf("iss %v, want %s", claims["iss"], tg.issuer)
		}
		if !audienceHas(claims["aud"], tg.clientID) {
			t.Errorf("aud %v lacks %s", claims["aud"], tg.clientID)
		}
		if s.Subject() == "" || claims["sub"] != s.Subject() {
			t.Errorf("subject %q vs claims sub %v", s.Subject(), claims["sub"])
		}
		if _, ok := claims["nonce"]; !ok {
			t.Errorf("the ID token carries no nonce, though the engine sent one")
		}
		checks := s.Checks()
		if len(checks) == 0 {
			t.Fatal("the engine reports no ID-token checks")
		}
		for _, c := range checks {
			if !c.Passed {
				t.Errorf("check %q failed: %s", c.Name, c.Detail)
			}
		}
		t.Logf("%d ID-token checks passed: %s", len(checks), checkNames(checks))
	})

	t.Run("userinfo", func(t *testing.T) {
		info, err := s.UserInfo(ctx)
		if err != nil {
			t.Fatalf("UserInfo: %v", err)
		}
		if info["sub"] != s.Subject() {
			t.Fatalf("userinfo sub %v, ID token sub %s", info["sub"], s.Subject())
		}
		if tg.userinfoEmail != "" && info["email"] != tg.userinfoEmail {
			t.Errorf("userinfo email %v, want %s", info["email"], tg.userinfoEmail)
		}
	})

	t.Run("refresh_rotates_and_old_token_rejected", func(t *testing.T) {
		before := s.Token()
		after, err := s.Refresh(ctx)
		if err != nil {
			t.Fatalf("Refresh: %v", err)
		}
		if after.RefreshToken.IsZero() || after.RefreshToken.Reveal() == before.RefreshToken.Reveal() {
			t.Fatal("the provider rotates refresh tokens, but the session kept the old one")
		}
		if after.AccessToken.Reveal() == before.AccessToken.Reveal() {
			t.Error("refresh returned the same access token")
		}
		if s.Token().RefreshToken.Reveal() != after.RefreshToken.Reveal() {
			t.Error("the session does not hold the rotated refresh token")
		}
		assertNoSecrets(t, main.trace, before)
		assertNoSecrets(t, main.trace, after)
		// The rotated-out token is dead: restoring a session from it ends
		// with ErrSessionEnded (invalid_grant), as the UI must show it.
		_, err = auth.Restore(ctx, cfg, before.RefreshToken, auth.LoginOptions{})
		if !errors.Is(err, auth.ErrSessionEnded) {
			t.Fatalf("restoring from the rotated-out refresh token: %v, want ErrSessionEnded", err)
		}
		var pe *auth.ProviderError
		if !errors.As(err, &pe) || pe.Code != "invalid_grant" {
			t.Errorf("want the provider's invalid_grant inside, got %v", err)
		}
		t.Logf("reusing the old refresh token: %v", err)
		// Hydra treats reuse as theft and revokes the whole chain (the
		// current token too); zitadel's example OP keeps the current one.
		_, err = s.Refresh(ctx)
		switch {
		case tg.reuseRevokesChain && !errors.Is(err, auth.ErrSessionEnded):
			t.Errorf("after reuse of an old refresh token %s should have revoked the chain; refresh gave %v", tg.name, err)
		case !tg.reuseRevokesChain && err != nil:
			t.Errorf("refresh after the reuse attempt: %v", err)
		}
	})

	t.Run("introspection_for_public_client", func(t *testing.T) {
		si := mustSignIn(ctx, t, tg, cfg)
		res, err := si.s.Introspect(ctx, auth.AccessToken)
		switch tg.introspectionForPublic {
		case "absent":
			if !errors.Is(err, auth.ErrNotSupported) {
				t.Fatalf("no introspection_endpoint in discovery: want ErrNotSupported, got %v (result %v)", err, res)
			}
		case "refused":
			if err == nil {
				t.Fatalf("the provider lets a public client introspect (result %v); update the target", res)
			}
			var pe *auth.ProviderError
			var he *auth.HTTPError
			switch {
			case errors.As(err, &pe):
				if pe.Endpoint != "introspection" || pe.Code == "" {
					t.Errorf("provider error lacks endpoint or code: %+v", pe)
				}
			case errors.As(err, &he):
				if he.Endpoint != "introspection" || he.Status < 400 {
					t.Errorf("HTTP error lacks endpoint or status: %+v", he)
				}
			default:
				t.Fatalf("introspection refusal is not a typed provider/HTTP error: %T %v", err, err)
			}
			// Clear means: it says the provider refused this client, not
			// that the provider is down or the URL wrong (it answered, and
			// the URL came from its own discovery document).
			msg := err.Error()
			for _, misleading := range []string{"may be down", "endpoint URL may be wrong"} {
				if strings.Contains(msg, misleading) {
					t.Errorf("the refusal of a public client at introspection is reported as %q, which sends the user looking at the wrong thing: %s", misleading, msg)
					break
				}
			}
		}
		t.Logf("introspection with a public client: %v", err)
	})

	t.Run("introspection_via_profile_endpoint", func(t *testing.T) {
		if tg.introspectionOverride == "" {
			t.Skipf("%s offers no introspection endpoint a public client may use", tg.name)
		}
		c := cfg
		c.Endpoints.Introspection = tg.introspectionOverride
		// Hydra's admin port is another origin than its issuer: unconfirmed,
		// the sign-in stops before the browser opens and nothing is sent.
		var fe *auth.ForeignEndpointsError
		if _, err := auth.Login(ctx, c, auth.LoginOptions{Open: func(context.Context, string) error {
			t.Error("the browser opened for an unconfirmed foreign endpoint")
			return nil
		}}); !errors.As(err, &fe) {
			t.Fatalf("unconfirmed foreign introspection endpoint: %v, want *auth.ForeignEndpointsError", err)
		}
		c.TrustedOrigins = fe.Origins() // the user confirms the admin origin
		si := mustSignIn(ctx, t, tg, c)
		at, err := si.s.Introspect(ctx, auth.AccessToken)
		if err != nil {
			t.Fatalf("Introspect(access_token) at %s: %v", tg.introspectionOverride, err)
		}
		if at["active"] != true || at["client_id"] != tg.clientID || at["sub"] != si.s.Subject() {
			t.Fatalf("introspection of a fresh access token: active %v client_id %v sub %v", at["active"], at["client_id"], at["sub"])
		}
		if err := si.s.Revoke(ctx, auth.RefreshToken); err != nil {
			t.Fatalf("Revoke: %v", err)
		}
		rt, err := si.s.Introspect(ctx, auth.RefreshToken)
		if err != nil {
			t.Fatalf("Introspect(refresh_token) after revoke: %v", err)
		}
		if rt["active"] != false {
			t.Fatalf("a revoked refresh token introspects as active: %v", rt)
		}
		// The override belongs to that profile only: a plain profile for the
		// same issuer still has no introspection endpoint.
		if tg.introspectionForPublic == "absent" {
			plain := mustSignIn(ctx, t, tg, cfg)
			if _, err := plain.s.Introspect(ctx, auth.AccessToken); !errors.Is(err, auth.ErrNotSupported) {
				t.Fatalf("after a profile with an introspection override, a plain profile's Introspect gave %v, want ErrNotSupported", err)
			}
		}
	})

	t.Run("restore_then_sign_out_revokes_at_provider", func(t *testing.T) {
		si := mustSignIn(ctx, t, tg, cfg)
		// "Keep me signed in": a new session from the kept refresh token.
		r, err := auth.Restore(ctx, cfg, si.s.Token().RefreshToken, auth.LoginOptions{})
		if err != nil {
			t.Fatalf("Restore: %v", err)
		}
		if r.Subject() != si.s.Subject() {
			t.Fatalf("restored subject %q, signed-in subject %q", r.Subject(), si.s.Subject())
		}
		kept := r.Token()
		if kept.RefreshToken.Reveal() == si.s.Token().RefreshToken.Reveal() {
			t.Error("restore did not rotate the refresh token")
		}
		if err := r.SignOut(ctx); err != nil {
			t.Fatalf("SignOut: %v", err)
		}
		if !r.Ended() {
			t.Error("the session is not ended after SignOut")
		}
		// SECURITY 25: signed out at the provider, not only locally.
		md := discover(ctx, t, tg.issuer)
		rctx := context.WithValue(ctx, oauth2.HTTPClient, rawHTTP)
		_, err = rawConfig(md, tg, "").TokenSource(rctx, &oauth2.Token{RefreshToken: kept.RefreshToken.Reveal()}).Token()
		requireOAuthError(t, err, "invalid_grant", "refreshing with a signed-out session's refresh token")
		var info map[string]any
		if err := getBearerJSON(ctx, md.UserInfo, kept.AccessToken.Reveal(), &info); err == nil {
			t.Errorf("userinfo still accepts the signed-out session's access token (sub %v)", info["sub"])
		}
	})

	t.Run("revoke_then_refresh_signs_out", func(t *testing.T) {
		si := mustSignIn(ctx, t, tg, cfg)
		if err := si.s.Revoke(ctx, auth.RefreshToken); err != nil {
			t.Fatalf("Revoke: %v", err)
		}
		_, err := si.s.Refresh(ctx)
		if !errors.Is(err, auth.ErrSessionEnded) {
			t.Fatalf("refresh after revoke: %v, want ErrSessionEnded", err)
		}
		var pe *auth.ProviderError
		if !errors.As(err, &pe) || pe.Code != "invalid_grant" {
			t.Errorf("want the provider's invalid_grant inside, got %v", err)
		}
		if !si.s.Ended() {
			t.Error("the session is not marked ended")
		}
		if !si.s.Token().RefreshToken.IsZero() || !si.s.Token().AccessToken.IsZero() {
			t.Error("an ended session still holds tokens")
		}
		if _, err := si.s.Refresh(ctx); !errors.Is(err, auth.ErrSessionEnded) {
			t.Errorf("second refresh on an ended session: %v", err)
		}
		t.Logf("refresh after revoke: %v", err)
	})

	t.Run("rp_initiated_logout", func(t *testing.T) {
		si := mustSignIn(ctx, t, tg, cfg)
		u, err := si.s.LogoutURL("")
		if err != nil {
			t.Fatalf("LogoutURL: %v", err)
		}
		md := discover(ctx, t, tg.issuer)
		if !strings.HasPrefix(u, md.EndSession+"?") {
			t.Fatalf("logout URL does not start with end_session_endpoint %s", md.EndSession)
		}
		// The same URL with a forged id_token_hint must not be accepted,
		// or reaching the signed-out page would prove nothing.
		forged := tamperHint(t, u)
		if page, err := harness.NewFormBrowser(nil).Visit(ctx, forged); err == nil && tg.loggedOut(page) == nil {
			t.Fatalf("%s accepted a logout URL with a forged id_token_hint (ended at %s)", tg.name, harness.RedactURL(page.URL))
		} else {
			t.Logf("forged id_token_hint refused: %v", err)
		}
		page, err := si.b.Visit(ctx, u)
		if err != nil {
			t.Fatalf("the provider did not accept the logout URL: %v", err)
		}
		if err := tg.loggedOut(page); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("ipv6_loopback", func(t *testing.T) {
		c := cfg
		c.Redirect = auth.Redirect{Host: "::1"}
		si := mustSignIn(ctx, t, tg, c)
		if !strings.HasPrefix(si.s.RedirectURI(), "http://[::1]:") {
			t.Fatalf("redirect URI %s", si.s.RedirectURI())
		}
	})
}

// testEngineLocalhost signs in with the explicit localhost opt-in against a
// client registered for 127.0.0.1 and [::1].
func testEngineLocalhost(t *testing.T, tg *target, accepted bool, providerErrors func() []string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg := engineConfig(tg)
	cfg.Redirect = auth.Redirect{Host: "localhost", AllowLocalhost: true}
	register, err := auth.RedirectURIToRegister(cfg.Redirect)
	if err != nil {
		t.Fatal(err)
	}
	if accepted {
		si := mustSignIn(ctx, t, tg, cfg)
		t.Logf("%s accepts %s for a client registered with 127.0.0.1/[::1] (its loopback rule ignores host and port)", tg.name, si.s.RedirectURI())
		return
	}

	// A provider that follows RFC 6749 §4.1.2.1 never redirects to an
	// unregistered URI: it shows the error in the browser, and the engine
	// gets no callback. The person sees the provider's page; the engine's
	// wait ends when they give up (here: when the browser has shown it).
	lctx, lcancel := context.WithCancel(ctx)
	b := harness.NewFormBrowser(tg.fields)
	var berr error
	done := make(chan struct{})
	tl := &traceLog{}
	var used string
	_, err = auth.Login(lctx, cfg, auth.LoginOptions{
		Trace: tl.add,
		Open: func(_ context.Context, u string) error {
			au, _ := url.Parse(u)
			used = au.Query().Get("redirect_uri")
			go func() {
				defer close(done)
				_, berr = b.Visit(ctx, u)
				lcancel()
			}()
			return nil
		},
	})
	<-done
	lcancel()
	var rerr *auth.RedirectURIError
	switch {
	case errors.As(err, &rerr):
		if !strings.Contains(err.Error(), register) {
			t.Errorf("redirect error does not name %s: %v", register, err)
		}
	case errors.Is(err, auth.ErrCanceled), errors.Is(err, auth.ErrTimeout):
		// The engine cannot know why no callback came; see the report.
	default:
		t.Fatalf("Login with a rejected redirect: %v", err)
	}
	var pe *harness.PageError
	if !errors.As(berr, &pe) || !strings.Contains(pe.Page.Text(), "redirect_uri") {
		t.Fatalf("the browser should show the provider's redirect_uri error; got err %v", berr)
	}
	if !strings.HasPrefix(used, "http://localhost:") {
		t.Fatalf("the engine sent redirect_uri %q", used)
	}
	errs := providerErrors()
	if len(errs) == 0 || !strings.Contains(errs[len(errs)-1], "redirect_uri") {
		t.Fatalf("the provider reported no redirect_uri error: %v", errs)
	}
	t.Logf("engine: %v; browser shows: %s; register instead: %s", err, pe.Page.Text(), register)
}

// tamperHint flips a character of the id_token_hint's signature in a logout URL.
func tamperHint(t *testing.T, logoutURL string) string {
	t.Helper()
	u, err := url.Parse(logoutURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	hint := q.Get("id_token_hint")
	if strings.Count(hint, ".") != 2 {
		t.Fatalf("logout URL has no JWT id_token_hint")
	}
	b := []byte(hint)
	i := strings.LastIndexByte(hint, '.') + 5
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	q.Set("id_token_hint", string(b))
	u.RawQuery = q.Encode()
	return u.String()
}

func audienceHas(aud any, id string) bool {
	switch a := aud.(type) {
	case string:
		return a == id
	case []any:
		return slices.ContainsFunc(a, func(v any) bool { return v == id })
	case []string:
		return slices.Contains(a, id)
	}
	return false
}

func checkNames(cs []auth.Check) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}
