package auth

// The device authorization grant (RFC 8628), written here rather than with
// x/oauth2's Config.DeviceAuth / DeviceAccessToken: those give no event per
// poll (the timeline shows authorization_pending and every slow_down), they
// parse the token answer themselves (so the token-response checks of
// token.go — Bearer only, capped and redacted error text, HTML answers shown
// as text — and the ID-token checklist would not run), their errors carry
// the raw response body, and their wait cannot be replaced by a test clock.
// The rules are the same: interval (default 5 s), slow_down adds 5 s
// (RFC 8628 §3.5), authorization_pending keeps polling, access_denied and
// expired_token stop, and a cancel ends the wait at once.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// DeviceCode is what the user needs to approve a device sign-in (RFC 8628
// §3.2): the code to type at VerificationURI, or VerificationURIComplete
// (the URI with the code in it, for a QR code), before ExpiresAt.
type DeviceCode struct {
	UserCode                string
	VerificationURI         string
	VerificationURIComplete string // "" when the provider sent none
	ExpiresAt               time.Time
	// Interval is the polling interval the provider asked for (default 5 s).
	Interval time.Duration
}

// deviceExpiredError is ErrDeviceCodeExpired's type: it unwraps to ErrTimeout.
type deviceExpiredError struct{}

func (deviceExpiredError) Error() string {
	return "the device code expired before the sign-in was approved; start the sign-in again and enter the new code in time"
}
func (deviceExpiredError) Unwrap() error { return ErrTimeout }

// ErrDeviceCodeExpired means the device grant's code expired (the provider
// answered expired_token, or expires_in passed) before the user approved.
// errors.Is(err, ErrTimeout) holds.
var ErrDeviceCodeExpired error = deviceExpiredError{}

// DeviceGrantType is the grant_type of the device access token request
// (RFC 8628 §3.4).
const DeviceGrantType = "urn:ietf:params:oauth:grant-type:device_code"

// Device grant limits.
const (
	defaultDeviceInterval = 5 * time.Second
	slowDownStep          = 5 * time.Second // RFC 8628 §3.5
	maxDeviceInterval     = 5 * time.Minute
	// maxDeviceLifetime caps the provider's expires_in: a sign-in never
	// polls for longer than an hour.
	maxDeviceLifetime = time.Hour
	// maxDevicePolls bounds the loop in count as well as in time.
	maxDevicePolls = 2000
	// pendingTraceEvery: after the first, every n-th authorization_pending
	// is traced (with the running count).
	pendingTraceEvery = 10
)

// loginDevice runs RFC 8628: the device authorization request, the code
// shown to the user, then polling the token endpoint.
func (s *Session) loginDevice(ctx context.Context) error {
	dc, deviceCode, err := s.requestDeviceCode(ctx)
	if err != nil {
		return err
	}
	if s.opts.OnDeviceCode != nil {
		s.opts.OnDeviceCode(dc)
	}
	if s.openFn != nil {
		u := dc.VerificationURIComplete
		if u == "" {
			u = dc.VerificationURI
		}
		s.tr.add(StepBrowser, KindBrowserOpened, "verification page handed to the system browser; waiting for the approval", field("url", u))
		if err := s.openFn(ctx, u); err != nil && ctx.Err() == nil {
			s.browserFailed(u, err, "open the verification URI on any device and enter the code; still waiting for the approval")
		}
	}
	resp, err := s.pollDevice(ctx, dc, deviceCode)
	if err != nil {
		return err
	}
	return s.accept(ctx, resp, idExpect{accessToken: resp.AccessToken.Reveal(),
		noNonce: "skipped: the device grant has no authorization request to carry a nonce (RFC 8628), so none was sent or expected"})
}

// requestDeviceCode posts the device authorization request (RFC 8628 §3.1)
// with the profile's client authentication, scope and extra parameters.
func (s *Session) requestDeviceCode(ctx context.Context) (DeviceCode, Secret, error) {
	c, tr := s.c, s.tr
	endpoint := c.meta.DeviceAuthorizationEndpoint
	if endpoint == "" {
		return DeviceCode{}, Secret{}, fmt.Errorf("%w: the provider publishes no device_authorization_endpoint; set the device authorization endpoint in the profile, or use another sign-in method", ErrInvalidConfig)
	}
	form := url.Values{}
	fields := []Field{field("endpoint", endpoint), field("client_id", c.cfg.ClientID), field("client_auth", string(c.cfg.authMethod()))}
	fields = c.grantForm(form, fields)
	tr.add(StepDevice, KindDeviceAuthorizationRequest, "POST to the device authorization endpoint (RFC 8628 §3.1)", fields...)
	status, h, body, err := c.postFormRepeatable(ctx, endpoint, form, maxJSONBytes)
	if err != nil {
		if ctx.Err() != nil {
			return DeviceCode{}, Secret{}, ctxErr(ctx)
		}
		return DeviceCode{}, Secret{}, err
	}
	dc, code, err := parseDeviceResponse(status, h, body, c.now(), c.secretsIn(form))
	if err != nil {
		tr.fail(StepDevice, KindTokenRejected, "device authorization response rejected: "+err.Error(), field("status", status))
		return DeviceCode{}, Secret{}, err
	}
	tr.add(StepDevice, KindDeviceCode, "the provider issued a user code to enter at the verification URI",
		field("user_code", dc.UserCode), field("verification_uri", dc.VerificationURI),
		field("verification_uri_complete", dc.VerificationURIComplete),
		field("expires_in", int64(dc.ExpiresAt.Sub(c.now()).Round(time.Second)/time.Second)),
		field("interval", int64(dc.Interval/time.Second)), secretField("device_code", code))
	return dc, code, nil
}

// parseDeviceResponse applies RFC 8628 §3.2/§3.3 with the same care as a
// token response: an OAuth error becomes a *ProviderError, another non-200
// answer an *HTTPError, a 200 that is not JSON (an HTML page: the
// verification page's URL put in the endpoint field, say) a *CheckError.
func parseDeviceResponse(status int, h http.Header, body []byte, now time.Time, known []string) (DeviceCode, Secret, error) {
	const endpoint = "device authorization"
	var m map[string]any
	jsonErr := json.Unmarshal(body, &m)
	if jsonErr == nil {
		if code, _ := m["error"].(string); code != "" {
			desc, _ := m["error_description"].(string)
			uri, _ := m["error_uri"].(string)
			return DeviceCode{}, Secret{}, newProviderError(endpoint, status, code, desc, uri, known...)
		}
	}
	if status != http.StatusOK {
		return DeviceCode{}, Secret{}, newHTTPError(endpoint, status, h, body, known)
	}
	if jsonErr != nil || m == nil {
		mt := mediaType(h)
		if mt == "" {
			mt = "no content type"
		}
		return DeviceCode{}, Secret{}, &CheckError{Check: "device authorization response", Err: ErrInvalidResponse,
			Detail: fmt.Sprintf("the device authorization endpoint answered 200 with a body that is not JSON (%s: %s) — check the endpoint URL in the profile: it must be the provider's device_authorization_endpoint, not the verification page", mt, bodySnippet(body, known))}
	}
	str := func(k string) string { v, _ := m[k].(string); return v }
	num := func(k string) (int64, bool) {
		switch v := m[k].(type) {
		case float64:
			return int64(v), true
		case string:
			n, err := strconv.ParseInt(v, 10, 64)
			return n, err == nil
		}
		return 0, false
	}
	bad := func(detail string) (DeviceCode, Secret, error) {
		return DeviceCode{}, Secret{}, &CheckError{Check: "device authorization response", Err: ErrInvalidResponse, Detail: detail}
	}
	code := str("device_code")
	if code == "" {
		return bad("the answer has no device_code (RFC 8628 §3.2)")
	}
	dc := DeviceCode{UserCode: str("user_code"), VerificationURI: str("verification_uri"), VerificationURIComplete: str("verification_uri_complete")}
	if dc.VerificationURI == "" {
		dc.VerificationURI = str("verification_url") // Google's older name
	}
	if dc.UserCode == "" || len(dc.UserCode) > 64 || cleanText(dc.UserCode, 64) != dc.UserCode {
		return bad("the answer has no usable user_code (RFC 8628 §3.2)")
	}
	for _, u := range []struct{ name, v string }{{"verification_uri", dc.VerificationURI}, {"verification_uri_complete", dc.VerificationURIComplete}} {
		if u.v == "" && u.name == "verification_uri_complete" {
			continue
		}
		if !webURL(u.v) {
			return bad(fmt.Sprintf("%s %q is not an http(s) URL", u.name, cleanText(u.v, 200)))
		}
	}
	life := maxDeviceLifetime
	if n, ok := num("expires_in"); ok {
		if n <= 0 {
			return bad("expires_in is not a positive number of seconds")
		}
		if d := time.Duration(n) * time.Second; n < int64(maxDeviceLifetime/time.Second) {
			life = d
		}
	} else {
		life = 10 * time.Minute // required by §3.2; a common default when missing
	}
	dc.ExpiresAt = now.Add(life)
	dc.Interval = defaultDeviceInterval
	if n, ok := num("interval"); ok && n > 0 {
		dc.Interval = min(time.Duration(n)*time.Second, maxDeviceInterval)
	}
	return dc, NewSecret(code), nil
}

// webURL reports whether s is an absolute http or https URL.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// sleepCtx waits d, or less when ctx ends first (then ctxErr(ctx)).
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctxErr(ctx)
	}
}

// pollDevice polls the token endpoint (RFC 8628 §3.4, §3.5) until the user
// approves or denies, the code expires, or ctx ends.
func (s *Session) pollDevice(ctx context.Context, dc DeviceCode, deviceCode Secret) (*tokenResponse, error) {
	c, tr := s.c, s.tr
	sleep := s.opts.sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	// A real deadline too, a little after the code's expiry, so a stuck
	// token request cannot outlive the code.
	pctx, cancel := context.WithDeadlineCause(ctx, time.Now().Add(dc.ExpiresAt.Sub(c.now())+DefaultHTTPTimeout), ErrDeviceCodeExpired)
	defer cancel()
	interval := dc.Interval
	pending := 0
	form := url.Values{"grant_type": {DeviceGrantType}, "device_code": {deviceCode.Reveal()}}
	for poll := 1; poll <= maxDevicePolls; poll++ {
		if err := sleep(pctx, interval); err != nil {
			return nil, s.deviceCtxErr(ctx, pctx)
		}
		if !c.now().Before(dc.ExpiresAt) {
			tr.fail(StepDevice, KindTokenRejected, "the device code expired before the sign-in was approved", field("polls", poll-1))
			return nil, ErrDeviceCodeExpired
		}
		if poll == 1 {
			tr.add(StepTokenRequest, KindTokenRequest, "polling the token endpoint with the device code (RFC 8628 §3.4)",
				field("endpoint", c.meta.TokenEndpoint), field("grant_type", DeviceGrantType), secretField("device_code", deviceCode),
				field("client_id", c.cfg.ClientID), field("client_auth", string(c.cfg.authMethod())), field("interval", int64(interval/time.Second)))
		}
		status, h, body, err := c.postFormRepeatable(pctx, c.meta.TokenEndpoint, form, maxTokenBytes)
		if err != nil {
			if pctx.Err() != nil {
				return nil, s.deviceCtxErr(ctx, pctx)
			}
			tr.fail(StepTokenResponse, KindTokenRejected, "device token request failed: "+err.Error())
			return nil, err
		}
		resp, err := parseTokenResponse("token", status, h, body, c.now(), c.secretsIn(form))
		var pe *ProviderError
		if errors.As(err, &pe) {
			switch pe.Code {
			case "authorization_pending":
				pending++
				if pending == 1 || pending%pendingTraceEvery == 0 {
					tr.add(StepDevice, KindDevicePending, "waiting for the user to approve (authorization_pending)", field("polls", poll), field("interval", int64(interval/time.Second)))
				}
				continue
			case "slow_down":
				interval = min(interval+slowDownStep, maxDeviceInterval)
				tr.add(StepDevice, KindDeviceSlowDown, fmt.Sprintf("the provider asked to slow down: polling every %s from now on (RFC 8628 §3.5)", interval),
					field("interval", int64(interval/time.Second)), field("polls", poll))
				continue
			case "expired_token":
				tr.fail(StepTokenResponse, KindTokenRejected, "the provider says the device code expired (expired_token)", field("status", status))
				return nil, fmt.Errorf("%w: %w", ErrDeviceCodeExpired, pe)
			}
		}
		if err != nil {
			tr.fail(StepTokenResponse, KindTokenRejected, "token response rejected: "+err.Error(), field("status", status))
			return nil, err
		}
		tr.add(StepTokenResponse, KindTokenResponse, "token response accepted", resp.traceFields(status)...)
		return resp, nil
	}
	return nil, fmt.Errorf("%w (after %d polls)", ErrDeviceCodeExpired, maxDevicePolls)
}

// deviceCtxErr says why polling stopped: the caller's cancel or deadline,
// or the code's own expiry.
func (s *Session) deviceCtxErr(ctx, pctx context.Context) error {
	if ctx.Err() != nil {
		return ctxErr(ctx)
	}
	if errors.Is(context.Cause(pctx), ErrDeviceCodeExpired) {
		return ErrDeviceCodeExpired
	}
	return ctxErr(pctx)
}
