package demo

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"pkcedesk/internal/browserbot"
)

// deviceOptions are the options every device test uses: the 1 s interval,
// so a poll after advanceClock(1 s) is on time without real sleeping.
func deviceOptions() Options { return Options{DevicePollInterval: time.Second} }

// advanceClock moves the Server's clock forward by d (the test-only offset).
func advanceClock(s *Server, d time.Duration) { s.clock.Add(int64(d)) }

// deviceAuthorize posts a device authorization request for the public client.
func deviceAuthorize(t *testing.T, s *Server, scope string) map[string]any {
	t.Helper()
	status, m := postForm(t, s.Issuer()+"/device_authorization", url.Values{"client_id": {s.ClientID()}, "scope": {scope}}, nil)
	if status != http.StatusOK {
		t.Fatalf("device authorization = %d %v", status, m)
	}
	return m
}

// devicePoll is one device access token request (RFC 8628 §3.4).
func devicePoll(t *testing.T, s *Server, deviceCode string) (int, map[string]any) {
	t.Helper()
	return postForm(t, s.Issuer()+"/oauth/token", url.Values{
		"grant_type":  {"urn:ietf:params:oauth:grant-type:device_code"},
		"device_code": {deviceCode},
		"client_id":   {s.ClientID()},
	}, nil)
}

// wantOAuthError checks a JSON error answer.
func wantOAuthError(t *testing.T, what string, status int, m map[string]any, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus || m["error"] != wantCode {
		t.Fatalf("%s = %d %v, want %d %s", what, status, m, wantStatus, wantCode)
	}
}

// approveDevice runs the verification page, login and consent with the bot
// from verification_uri_complete; the bot stops on the final page, which has
// no form, and its text must say what happened.
func approveDevice(t *testing.T, bot *browserbot.Bot, complete, wantText string) {
	t.Helper()
	err := bot.Open(t.Context(), complete)
	var stuck *browserbot.StuckError
	if !errors.As(err, &stuck) {
		t.Fatalf("bot.Open(verification_uri_complete) = %v, want it to stop on the final page", err)
	}
	if stuck.Status != http.StatusOK || !strings.Contains(stuck.Excerpt, wantText) {
		t.Fatalf("final page HTTP %d %q, want 200 with %q", stuck.Status, stuck.Excerpt, wantText)
	}
}

var userCodePattern = regexp.MustCompile(`^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$`)

// TestDeviceFlowEndToEnd runs the device grant over HTTP as a device and a
// person would: authorization request, polling while pending, the
// verification page prefilled from verification_uri_complete, login,
// consent, then the poll that returns tokens (access, ID without nonce,
// refresh), which work at the API and refresh; the device code works once.
func TestDeviceFlowEndToEnd(t *testing.T) {
	s := startServer(t, deviceOptions())
	da := deviceAuthorize(t, s, "openid profile email offline_access orders:read")
	userCode, _ := da["user_code"].(string)
	deviceCode, _ := da["device_code"].(string)
	if !userCodePattern.MatchString(userCode) || len(deviceCode) < 22 {
		t.Fatalf("user_code %q / device_code length %d, want BCDF-GHJK style and ≥128 bits", userCode, len(deviceCode))
	}
	if da["verification_uri"] != s.Issuer()+"/device" ||
		da["verification_uri_complete"] != s.Issuer()+"/device?user_code="+userCode ||
		da["expires_in"] != float64(600) || da["interval"] != float64(1) {
		t.Fatalf("device authorization response = %v", da)
	}

	status, m := devicePoll(t, s, deviceCode)
	wantOAuthError(t, "poll before sign-in", status, m, http.StatusBadRequest, "authorization_pending")

	// The page: prefilled, plain HTML, the pages' CSP.
	resp, err := http.Get(da["verification_uri_complete"].(string))
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), `value="`+userCode+`"`) || strings.Contains(string(page), "<script") {
		t.Fatalf("verification page %d: prefilled=%t", resp.StatusCode, strings.Contains(string(page), userCode))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "form-action 'self'") {
		t.Fatalf("CSP = %q", csp)
	}

	approveDevice(t, browserbot.New(browserbot.Options{User: "alice"}), da["verification_uri_complete"].(string), "Device signed in")
	advanceClock(s, time.Second)
	status, tok := devicePoll(t, s, deviceCode)
	if status != 200 || tok["token_type"] != "Bearer" || tok["access_token"] == nil || tok["refresh_token"] == nil || tok["id_token"] == nil {
		t.Fatalf("poll after consent = %d, keys %v", status, keys(tok))
	}
	id := jwtClaims(t, tok["id_token"].(string))
	if id["sub"] != "demo-user-alice" || id["iss"] != s.Issuer() || id["nonce"] != nil || id["email"] != "alice@demo.pkce-desk.test" {
		t.Fatalf("id_token claims %v", id)
	}
	if id["at_hash"] != atHash(tok["access_token"].(string)) {
		t.Error("id_token at_hash does not match the access token")
	}
	if r, me := apiCall(t, "GET", s.APIBase()+"/me", tok["access_token"].(string), ""); r.StatusCode != 200 || me["preferred_username"] != "alice" {
		t.Fatalf("/api/me with the device token = %d %v", r.StatusCode, me)
	}
	status, m = postForm(t, s.Issuer()+"/oauth/token", url.Values{
		"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}, "client_id": {s.ClientID()},
	}, nil)
	if status != 200 || m["access_token"] == nil {
		t.Fatalf("refresh of the device grant's token = %d %v", status, m)
	}

	advanceClock(s, time.Second)
	status, m = devicePoll(t, s, deviceCode)
	wantOAuthError(t, "second poll after success", status, m, http.StatusBadRequest, "access_denied")
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestDeviceDenied: Deny on the consent page ends the device request with
// access_denied, and the page says so.
func TestDeviceDenied(t *testing.T) {
	s := startServer(t, deviceOptions())
	da := deviceAuthorize(t, s, "openid orders:read")
	approveDevice(t, browserbot.New(browserbot.Options{User: "bob", Deny: true}), da["verification_uri_complete"].(string), "You denied")
	status, m := devicePoll(t, s, da["device_code"].(string))
	wantOAuthError(t, "poll after Deny", status, m, http.StatusBadRequest, "access_denied")
}

// TestDeviceExpired: with a short DeviceCodeLifetime, once it has passed the
// poll answers expired_token and the verification page refuses the code.
func TestDeviceExpired(t *testing.T) {
	opts := deviceOptions()
	opts.DeviceCodeLifetime = 2 * time.Second
	s := startServer(t, opts)
	da := deviceAuthorize(t, s, "openid")
	if da["expires_in"] != float64(2) {
		t.Fatalf("expires_in = %v, want 2", da["expires_in"])
	}
	advanceClock(s, 3*time.Second)
	status, m := devicePoll(t, s, da["device_code"].(string))
	wantOAuthError(t, "poll after expiry", status, m, http.StatusBadRequest, "expired_token")

	b := newPageClient(t)
	code, body := b.post(t, s.Issuer()+"/device", url.Values{"user_code": {da["user_code"].(string)}})
	if code != http.StatusBadRequest || !strings.Contains(body, "has expired") {
		t.Fatalf("expired code on the page = %d %q", code, excerptOf(body))
	}
}

// TestDeviceSlowDown: polling again at once gets slow_down (RFC 8628 §3.5);
// the next poll must then wait the interval plus 5 s.
func TestDeviceSlowDown(t *testing.T) {
	s := startServer(t, deviceOptions())
	da := deviceAuthorize(t, s, "openid")
	dc := da["device_code"].(string)
	status, m := devicePoll(t, s, dc)
	wantOAuthError(t, "first poll", status, m, http.StatusBadRequest, "authorization_pending")
	status, m = devicePoll(t, s, dc)
	wantOAuthError(t, "second poll at once", status, m, http.StatusBadRequest, "slow_down")
	advanceClock(s, time.Second) // 1 s is no longer enough: the interval is 6 s now
	status, m = devicePoll(t, s, dc)
	wantOAuthError(t, "poll 1 s after slow_down", status, m, http.StatusBadRequest, "slow_down")
	advanceClock(s, 11*time.Second)
	status, m = devicePoll(t, s, dc)
	wantOAuthError(t, "poll after the longer interval", status, m, http.StatusBadRequest, "authorization_pending")
}

// TestDeviceUserCodePage: the code is accepted in lower case and without the
// dash; a wrong code is refused with a clear message; after
// maxWrongUserCodes wrong codes in a minute even the right one is refused
// (brute force bounded) until the minute has passed.
func TestDeviceUserCodePage(t *testing.T) {
	s := startServer(t, deviceOptions())
	da := deviceAuthorize(t, s, "openid")
	uc := da["user_code"].(string)
	b := newPageClient(t)

	code, body := b.post(t, s.Issuer()+"/device", url.Values{"user_code": {"BCDF-GHJK-X"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "That code is not valid") {
		t.Fatalf("malformed code = %d %q", code, excerptOf(body))
	}
	loose := strings.ToLower(strings.ReplaceAll(uc, "-", " "))
	code, body = b.post(t, s.Issuer()+"/device", url.Values{"user_code": {loose}})
	if code != http.StatusOK || !strings.Contains(body, "Pick a demo user") {
		t.Fatalf("code %q (lower case, no dash) = %d %q, want the login page", loose, code, excerptOf(body))
	}

	wrong := "BBBB-BBBB"
	if wrong == uc {
		wrong = "CCCC-CCCC"
	}
	for i := 1; i < maxWrongUserCodes; i++ { // one wrong code was typed above
		code, body = b.post(t, s.Issuer()+"/device", url.Values{"user_code": {wrong}})
		if code != http.StatusBadRequest || !strings.Contains(body, "That code is not valid") {
			t.Fatalf("wrong code #%d = %d %q", i+1, code, excerptOf(body))
		}
	}
	code, body = b.post(t, s.Issuer()+"/device", url.Values{"user_code": {uc}})
	if code != http.StatusTooManyRequests || !strings.Contains(body, "Too many wrong codes") {
		t.Fatalf("right code after %d wrong ones = %d %q, want 429", maxWrongUserCodes, code, excerptOf(body))
	}
	advanceClock(s, wrongUserCodeWindow+time.Second)
	code, body = b.post(t, s.Issuer()+"/device", url.Values{"user_code": {uc}})
	if code != http.StatusOK || !strings.Contains(body, "Pick a demo user") {
		t.Fatalf("right code a minute later = %d %q", code, excerptOf(body))
	}
}

// TestDeviceConsentShowsCodeAndEnterAllows: the consent page of a device
// sign-in shows the user code to compare, and Allow is the form's first
// submit button, so pressing Enter allows (issue 18).
func TestDeviceConsentShowsCodeAndEnterAllows(t *testing.T) {
	s := startServer(t, deviceOptions())
	da := deviceAuthorize(t, s, "openid")
	b := newPageClient(t)
	_, body := b.post(t, s.Issuer()+"/device", url.Values{"user_code": {da["user_code"].(string)}})
	m := regexp.MustCompile(`name="id" value="([^"]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no request id on the login page: %q", excerptOf(body))
	}
	code, body := b.post(t, s.Issuer()+"/login", url.Values{"id": {m[1]}, "user": {"alice"}})
	if code != 200 || !strings.Contains(body, da["user_code"].(string)) {
		t.Fatalf("consent page %d does not show the user code: %q", code, excerptOf(body))
	}
	allow, deny := strings.Index(body, `value="allow"`), strings.Index(body, `value="deny"`)
	if allow < 0 || deny < 0 || allow > deny {
		t.Fatalf("Allow at %d, Deny at %d: Enter must press Allow (the first submit button)", allow, deny)
	}
}

// TestDeviceRequestsRefused: repeated parameters are refused at the device
// authorization endpoint, the device_code grant and the verification page
// like at the other endpoints; a scope the client may not have is
// invalid_scope; the service client may not use the device grant.
func TestDeviceRequestsRefused(t *testing.T) {
	s := startServer(t, deviceOptions())
	status, m := postForm(t, s.Issuer()+"/device_authorization", url.Values{"client_id": {s.ClientID(), s.ClientID()}}, nil)
	wantOAuthError(t, "repeated client_id", status, m, http.StatusBadRequest, "invalid_request")
	if m["error_description"] != "parameter client_id is repeated" {
		t.Errorf("error_description = %v", m["error_description"])
	}
	status, m = postForm(t, s.Issuer()+"/device_authorization", url.Values{"client_id": {s.ClientID()}, "scope": {"openid"}, "Scope": {"admin"}}, nil)
	wantOAuthError(t, "scope and Scope", status, m, http.StatusBadRequest, "invalid_request")
	status, m = postForm(t, s.Issuer()+"/device_authorization", url.Values{"client_id": {s.ClientID()}, "scope": {"openid admin"}}, nil)
	wantOAuthError(t, "unknown scope", status, m, http.StatusBadRequest, "invalid_scope")
	status, m = postForm(t, s.Issuer()+"/device_authorization", url.Values{"client_id": {ServiceClientID}, "scope": {"orders:read"}}, nil)
	if status < 400 || (m["error"] != "unauthorized_client" && m["error"] != "invalid_client") {
		t.Fatalf("service client device authorization = %d %v", status, m)
	}

	da := deviceAuthorize(t, s, "openid")
	status, m = postForm(t, s.Issuer()+"/oauth/token", url.Values{
		"grant_type":  {"urn:ietf:params:oauth:grant-type:device_code"},
		"device_code": {da["device_code"].(string), "other"},
		"client_id":   {s.ClientID()},
	}, nil)
	wantOAuthError(t, "repeated device_code", status, m, http.StatusBadRequest, "invalid_request")

	b := newPageClient(t)
	code, body := b.post(t, s.Issuer()+"/device", url.Values{"user_code": {da["user_code"].(string), "BBBB-BBBB"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "sent a field twice") {
		t.Fatalf("repeated user_code on the page = %d %q", code, excerptOf(body))
	}
}

// pageClient is a browser without JavaScript for the page tests: a cookie
// jar, redirects followed.
type pageClient struct{ c *http.Client }

func newPageClient(t *testing.T) *pageClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &pageClient{c: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

func (p *pageClient) post(t *testing.T, u string, form url.Values) (int, string) {
	t.Helper()
	resp, err := p.c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, string(b)
}

// excerptOf is the page's text without tags, for failure messages.
func excerptOf(page string) string {
	text := regexp.MustCompile(`<[^>]*>`).ReplaceAllString(page, " ")
	text = strings.Join(strings.Fields(text), " ")
	if len(text) > 300 {
		text = text[:300]
	}
	return text
}

// TestDeviceFlowWithXOAuth2 runs the grant with an independent client,
// golang.org/x/oauth2's DeviceAuth and DeviceAccessToken, in real time (one
// 1 s poll): the answers parse and the interval is honoured without slow_down.
func TestDeviceFlowWithXOAuth2(t *testing.T) {
	s := startServer(t, deviceOptions())
	cfg := &oauth2.Config{
		ClientID: s.ClientID(),
		Endpoint: oauth2.Endpoint{DeviceAuthURL: s.Issuer() + "/device_authorization", TokenURL: s.Issuer() + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams},
		Scopes: []string{"openid", "orders:read"},
	}
	ctx, cancel := context.WithTimeout(context.WithValue(t.Context(), oauth2.HTTPClient, &http.Client{Timeout: 10 * time.Second}), 15*time.Second)
	defer cancel()
	da, err := cfg.DeviceAuth(ctx)
	if err != nil {
		t.Fatalf("DeviceAuth: %v", err)
	}
	if da.Interval != 1 || da.VerificationURIComplete == "" || time.Until(da.Expiry) < 9*time.Minute {
		t.Fatalf("device auth response %+v", da)
	}
	approveDevice(t, browserbot.New(browserbot.Options{User: "bob"}), da.VerificationURIComplete, "Device signed in")
	tok, err := cfg.DeviceAccessToken(ctx, da)
	if err != nil {
		t.Fatalf("DeviceAccessToken: %v", err)
	}
	if tok.AccessToken == "" || tok.Extra("id_token") == nil || jwtClaims(t, tok.AccessToken)["sub"] != "demo-user-bob" {
		t.Fatalf("token %+v", tok)
	}
}
