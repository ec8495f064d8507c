package demo

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// The device authorization grant (RFC 8628). op serves the device
// authorization endpoint and the device_code grant at the token endpoint;
// this file keeps the pending device requests and serves the verification
// page, where a person types the user code and then goes through the same
// login and consent pages as the code flow.
//
// User codes are op's base-20 alphabet (consonants without vowels or
// look-alikes: BCDFGHJKLMNPQRSTVWXZ), eight characters shown as
// BCDF-GHJK; the page accepts them in any case, with or without the dash
// or spaces. At most maxWrongUserCodes wrong codes are accepted per
// wrongUserCodeWindow, whoever types them (RFC 8628 §5.1: 20^8 codes and 10
// tries a minute leave a live code about a one-in-a-million chance a day).
//
// Polling faster than the interval (with half an interval of tolerance for
// a loaded machine) gets slow_down, and the interval grows by 5 seconds for
// that device code (RFC 8628 §3.5).

// Paths of the device grant.
const (
	deviceAuthPath = "/device_authorization" // op's default endpoint
	devicePath     = "/device"               // the verification URI
)

// Defaults of the device grant's Options.
const (
	DefaultDevicePollInterval = 5 * time.Second
	DefaultDeviceCodeLifetime = 10 * time.Minute
)

// Bounds of the verification page.
const (
	maxWrongUserCodes   = 10
	wrongUserCodeWindow = time.Minute
	// deviceKeptAfterExpiry is how long an expired device code still gets
	// expired_token (then it is forgotten and gets access_denied, op's
	// answer for an unknown device code).
	deviceKeptAfterExpiry = 10 * time.Minute
	slowDownStep          = 5 * time.Second
	userCodeLen           = 8
)

// deviceAuth is one pending device authorization (RFC 8628 §3.1–3.2).
type deviceAuth struct {
	deviceCode string
	userCode   string // as shown, e.g. BCDF-GHJK
	clientID   string
	scopes     []string
	expires    time.Time
	interval   time.Duration
	lastPoll   time.Time
	polled     bool

	done, denied bool
	subject      string
	authTime     time.Time
}

var _ op.DeviceAuthorizationStorage = (*storage)(nil)

// normalizeUserCode turns what a person typed into the stored form:
// upper case, without dashes and spaces. ok is false when the result cannot
// be a user code (wrong length or a character outside the alphabet).
func normalizeUserCode(typed string) (string, bool) {
	var b strings.Builder
	for _, r := range strings.ToUpper(typed) {
		switch {
		case r == '-' || r == ' ' || r == '\t':
		case r < 0x80 && strings.ContainsRune(op.CharSetBase20, r):
			b.WriteRune(r)
		default:
			return "", false
		}
		if b.Len() > userCodeLen {
			return "", false
		}
	}
	return b.String(), b.Len() == userCodeLen
}

// StoreDeviceAuthorization implements op.DeviceAuthorizationStorage.
func (s *storage) StoreDeviceAuthorization(_ context.Context, clientID, deviceCode, userCode string, expires time.Time, scopes []string) error {
	norm, ok := normalizeUserCode(userCode)
	if !ok {
		return fmt.Errorf("demo: op made a user code outside the configured alphabet")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(s.now())
	if len(s.devices) >= maxPending {
		return oidc.ErrServerError().WithDescription("too many pending device sign-ins; try again in a few minutes")
	}
	if _, taken := s.userCodes[norm]; taken {
		return oidc.ErrServerError().WithDescription("user code collision; ask again")
	}
	s.devices[deviceCode] = &deviceAuth{
		deviceCode: deviceCode, userCode: userCode, clientID: clientID,
		scopes: slices.Clone(scopes), expires: expires, interval: s.devicePollInterval,
	}
	s.userCodes[norm] = deviceCode
	return nil
}

// GetDeviceAuthorizatonState implements op.DeviceAuthorizationStorage: one
// poll of the token endpoint. op compares the returned Expires with its own
// clock, so the state's Expires is the remaining lifetime by this Server's
// clock counted from time.Now.
func (s *storage) GetDeviceAuthorizatonState(_ context.Context, clientID, deviceCode string) (*op.DeviceAuthorizationState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.devices[deviceCode]
	if !ok || d.clientID != clientID {
		return nil, fmt.Errorf("device code: %w", errNotFound)
	}
	now := s.now()
	state := &op.DeviceAuthorizationState{
		ClientID: d.clientID, Audience: []string{d.clientID}, Scopes: slices.Clone(d.scopes),
		Expires: time.Now().Add(d.expires.Sub(now)),
	}
	switch {
	case d.done:
		// One use: the tokens are issued for this answer.
		s.forgetDeviceLocked(d)
		state.Done, state.Subject, state.AuthTime, state.AMR = true, d.subject, d.authTime, []string{"user"}
		state.Expires = time.Now().Add(time.Minute)
		return state, nil
	case d.denied:
		s.forgetDeviceLocked(d)
		state.Denied = true
		return state, nil
	case !now.Before(d.expires):
		state.Expires = time.Now().Add(-time.Second)
		return state, nil
	}
	if d.polled && now.Sub(d.lastPoll) < d.interval/2 {
		since := now.Sub(d.lastPoll)
		d.interval += slowDownStep
		d.lastPoll = now
		return nil, fmt.Errorf("polled again after %v; wait %v: %w", since, d.interval, context.DeadlineExceeded)
	}
	d.polled, d.lastPoll = true, now
	return state, nil
}

// forgetDeviceLocked removes d. Callers hold s.mu.
func (s *storage) forgetDeviceLocked(d *deviceAuth) {
	delete(s.devices, d.deviceCode)
	if norm, ok := normalizeUserCode(d.userCode); ok && s.userCodes[norm] == d.deviceCode {
		delete(s.userCodes, norm)
	}
}

// sweepDevicesLocked drops device codes long expired. Callers hold s.mu.
func (s *storage) sweepDevicesLocked(now time.Time) {
	for _, d := range s.devices {
		if now.After(d.expires.Add(deviceKeptAfterExpiry)) {
			s.forgetDeviceLocked(d)
		}
	}
	cut := 0
	for cut < len(s.wrongUserCodes) && now.Sub(s.wrongUserCodes[cut]) >= wrongUserCodeWindow {
		cut++
	}
	s.wrongUserCodes = s.wrongUserCodes[cut:]
}

// userCodeResult is what the verification page learns from a typed code.
type userCodeResult int

const (
	userCodeOK userCodeResult = iota
	userCodeWrong
	userCodeExpired
	userCodeTooMany
)

// startDeviceLogin checks a typed user code and, when it names a pending
// device request, makes an authorization request for the login and consent
// pages that stands for it; it returns that request's id. Wrong codes count
// against the brute-force bound, which is checked before the code.
func (s *storage) startDeviceLogin(typed string) (string, userCodeResult, error) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepDevicesLocked(now)
	if len(s.wrongUserCodes) >= maxWrongUserCodes {
		return "", userCodeTooMany, nil
	}
	norm, ok := normalizeUserCode(typed)
	var d *deviceAuth
	if ok {
		d = s.devices[s.userCodes[norm]]
	}
	if d == nil || d.done || d.denied {
		s.wrongUserCodes = append(s.wrongUserCodes, now)
		return "", userCodeWrong, nil
	}
	if !now.Before(d.expires) {
		return "", userCodeExpired, nil
	}
	id, err := randomID()
	if err != nil {
		return "", userCodeOK, err
	}
	s.sweep(now)
	if len(s.authRequests) >= maxPending {
		return "", userCodeOK, oidc.ErrServerError().WithDescription("too many pending sign-ins")
	}
	s.authRequests[id] = &authRequest{
		id: id, createdAt: now, clientID: d.clientID, scopes: slices.Clone(d.scopes),
		deviceCode: d.deviceCode, userCode: d.userCode,
	}
	return id, userCodeOK, nil
}

// finishDevice records the person's decision on the device request behind
// authorization request id and forgets that request. It fails when either
// has expired or was decided already.
func (s *storage) finishDevice(id string, allow bool) error {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, ok := s.authRequests[id]
	if !ok || ar.deviceCode == "" || ar.userID == "" {
		return fmt.Errorf("device sign-in: %w", errNotFound)
	}
	delete(s.authRequests, id)
	d, ok := s.devices[ar.deviceCode]
	if !ok || d.done || d.denied || !now.Before(d.expires) {
		return fmt.Errorf("device code: %w", errNotFound)
	}
	if allow {
		d.done, d.subject, d.authTime = true, ar.userID, ar.authTime
	} else {
		d.denied = true
	}
	return nil
}

// deviceData fills templates/device.html.
type deviceData struct {
	pageData
	UserCode string
	Problem  string
}

// handleDevice serves the verification URI: GET shows the form (a
// user_code in the query, from verification_uri_complete, prefills it; the
// person still presses Continue, so a link alone approves nothing), POST
// checks the code and sends the browser to the login page.
func (s *Server) handleDevice(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		if err := r.ParseForm(); err != nil {
			s.renderError(w, http.StatusBadRequest, "The request could not be read.", "Type the code your device shows.")
			return
		}
		code := r.Form.Get("user_code")
		if len(code) > 32 {
			code = ""
		}
		s.renderDevice(w, http.StatusOK, code, "")
	case http.MethodPost:
		if err := r.ParseForm(); err != nil {
			s.renderDevice(w, http.StatusBadRequest, "", "The form could not be read. Type the code again.")
			return
		}
		if _, ok := repeatedParam(r.PostForm); ok {
			s.renderDevice(w, http.StatusBadRequest, "", "The form sent a field twice. Type the code again.")
			return
		}
		typed := r.PostForm.Get("user_code")
		id, res, err := s.storage.startDeviceLogin(typed)
		if err != nil {
			s.renderError(w, http.StatusInternalServerError, "The demo provider could not start the sign-in.", "Try again.")
			return
		}
		shown := typed
		if len(shown) > 32 {
			shown = ""
		}
		switch res {
		case userCodeTooMany:
			s.log.Debug("demo device code refused", "reason", "too many wrong codes")
			s.renderDevice(w, http.StatusTooManyRequests, shown,
				"Too many wrong codes were typed. Wait a minute, then type the code your device shows.")
		case userCodeWrong:
			s.log.Debug("demo device code refused", "reason", "unknown")
			s.renderDevice(w, http.StatusBadRequest, shown,
				"That code is not valid. Check the code your device shows (8 letters, like BCDF-GHJK) and type it again.")
		case userCodeExpired:
			s.renderDevice(w, http.StatusBadRequest, "",
				"That code has expired. Start the sign-in again on your device to get a new code.")
		default:
			http.Redirect(w, r, loginPath+"?"+url.Values{"id": {id}}.Encode(), http.StatusSeeOther)
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *Server) renderDevice(w http.ResponseWriter, status int, code, problem string) {
	s.renderPage(w, status, "device.html", "", deviceData{
		pageData: pageData{Title: "Sign in a device", Issuer: s.issuer},
		UserCode: code,
		Problem:  problem,
	})
}

// decideDevice ends the consent step of a device sign-in: Allow lets the
// device's next poll get its tokens, Deny makes it access_denied.
func (s *Server) decideDevice(w http.ResponseWriter, id string, user User, allow bool) {
	if err := s.storage.finishDevice(id, allow); err != nil {
		s.renderError(w, http.StatusBadRequest, "This device sign-in has expired or was already decided.",
			"Start the sign-in again on your device to get a new code.")
		return
	}
	decision := map[bool]string{true: "allow", false: "deny"}[allow]
	s.log.Debug("demo device consent", "user", user.Username, "decision", decision)
	if !allow {
		s.renderPage(w, http.StatusOK, "message.html", "", messageData{
			pageData: pageData{Title: "Device refused", Issuer: s.issuer},
			Message:  "You denied the device's sign-in. It gets no access.",
			Next:     "You can close this tab; PKCE Desk shows that the sign-in was denied.",
		})
		return
	}
	s.renderPage(w, http.StatusOK, "message.html", "", messageData{
		pageData: pageData{Title: "Device signed in", Issuer: s.issuer},
		Message:  "Device signed in as " + user.Name + " — return to PKCE Desk.",
		Next:     "You can close this tab; the device finishes signing in on its own within a few seconds.",
	})
}

// guardDeviceAuthorization runs before op's device authorization endpoint
// (RFC 8628 §3.1): POST only, and every scope must be one the public client
// may ask for (op stores any scope; a bad one gets invalid_scope here, not
// tokens later). Client and grant checks are op's.
func (s *Server) guardDeviceAuthorization(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		writeTokenError(w, http.StatusMethodNotAllowed, "invalid_request", "the device authorization request is a POST (RFC 8628 §3.1)")
		return
	}
	if param(r.Form, clientIDParam) == s.client.id {
		var bad []string
		for _, sc := range strings.Fields(param(r.Form, "scope")) {
			if !s.client.IsScopeAllowed(sc) {
				bad = append(bad, sc)
			}
		}
		if len(bad) > 0 {
			writeTokenError(w, http.StatusBadRequest, "invalid_scope",
				s.client.id+" may not ask for "+strings.Join(safeList(bad), " ")+"; allowed: "+strings.Join(allowedScopes, " "))
			return
		}
	}
	s.provider.ServeHTTP(w, r)
}
