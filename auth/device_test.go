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

// fakeClock is a test clock whose sleep only moves time: device polling
// runs at once, and the waits it asked for are recorded.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	slept []time.Duration
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Now()} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) sleep(ctx context.Context, d time.Duration) error {
	if ctx.Err() != nil {
		return ctxErr(ctx)
	}
	c.mu.Lock()
	c.slept = append(c.slept, d)
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return nil
}

func (c *fakeClock) waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.slept...)
}

func deviceConfig(op *fakeOP) Config {
	cfg := op.config()
	cfg.Grant = GrantDevice
	cfg.Scopes = []string{"openid", "profile"}
	return cfg
}

// deviceLogin runs a device sign-in on the fake clock.
func deviceLogin(t *testing.T, op *fakeOP, opts LoginOptions) (*Session, *events, *fakeClock, error) {
	t.Helper()
	ev := &events{}
	clk := newFakeClock()
	opts.Trace, opts.Now, opts.sleep = ev.add, clk.now, clk.sleep
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := Login(ctx, deviceConfig(op), opts)
	return s, ev, clk, err
}

func kindsOf(evs []Event, k EventKind) []Event {
	var out []Event
	for _, e := range evs {
		if e.Kind == k {
			out = append(out, e)
		}
	}
	return out
}

// The device grant: the code reaches the UI and the opener
// (verification_uri_complete), polling waits the default 5 s between polls
// through authorization_pending, and the tokens get the full ID-token
// checklist, whose nonce item says the grant has none.
func TestDeviceSignInPollsUntilApproved(t *testing.T) {
	op := newFakeOP(t).withDevice()
	op.dev.polls = []string{"authorization_pending", "authorization_pending", "ok"}
	var got []DeviceCode
	var opened []string
	s, ev, clk, err := deviceLogin(t, op, LoginOptions{
		OnDeviceCode: func(dc DeviceCode) { got = append(got, dc) },
		Open:         func(_ context.Context, u string) error { opened = append(opened, u); return nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].UserCode != "WDJB-MJHT" || got[0].Interval != 5*time.Second ||
		got[0].VerificationURIComplete != op.issuer()+"/activate?user_code=WDJB-MJHT" {
		t.Fatalf("OnDeviceCode got %+v", got)
	}
	if len(opened) != 1 || opened[0] != got[0].VerificationURIComplete {
		t.Errorf("opened %v", opened)
	}
	if w := clk.waits(); len(w) != 3 || w[0] != 5*time.Second || w[2] != 5*time.Second {
		t.Errorf("waits %v, want three of 5s", w)
	}
	if s.Grant() != GrantDevice || s.Subject() != "user-1" || s.Token().AccessToken.IsZero() {
		t.Errorf("grant %q subject %q", s.Grant(), s.Subject())
	}
	if form := op.dev.lastForm; form["scope"][0] != "openid profile" || form["client_id"][0] != "desk-app" {
		t.Errorf("device authorization form %v", form)
	}
	var nonce *Check
	for _, c := range s.Checks() {
		if !c.Passed {
			t.Errorf("check %s failed: %s", c.Name, c.Detail)
		}
		if c.Name == "nonce" {
			nonce = &c
		}
	}
	if nonce == nil || !nonce.Skipped || !strings.Contains(nonce.Detail, "device grant has no") {
		t.Errorf("nonce check %+v", nonce)
	}
	evs := ev.all()
	dcEv := kindsOf(evs, KindDeviceCode)
	if len(dcEv) != 1 {
		t.Fatalf("%d device_code events", len(dcEv))
	}
	for _, k := range []string{"user_code", "verification_uri", "verification_uri_complete", "expires_in", "interval"} {
		if _, ok := dcEv[0].Field(k); !ok {
			t.Errorf("device_code event lacks %s", k)
		}
	}
	// The user code is no secret (the screen shows it large): the title
	// must reach the timeline whole, not cut by the last-net redaction.
	if strings.Contains(dcEv[0].Message, "[redacted]") {
		t.Errorf("device_code title redacted: %q", dcEv[0].Message)
	}
	if f, _ := dcEv[0].Field("device_code"); !f.Secret || strings.Contains(dcEv[0].String(), fakeDeviceCode) {
		t.Error("device_code is not a masked field")
	}
	if len(kindsOf(evs, KindDevicePending)) != 1 || len(kindsOf(evs, KindDeviceAuthorizationRequest)) != 1 {
		t.Errorf("pending events %d", len(kindsOf(evs, KindDevicePending)))
	}
	if len(kindsOf(evs, KindSignedIn)) != 1 || len(kindsOf(evs, KindTokenResponse)) != 1 {
		t.Error("no signed_in / token_response")
	}
}

// slow_down adds 5 s to the interval each time, and the interval stays
// raised (RFC 8628 §3.5), measured on the fake clock.
func TestDeviceSlowDownAddsFiveSeconds(t *testing.T) {
	op := newFakeOP(t).withDevice()
	op.dev.interval = 2
	op.dev.polls = []string{"authorization_pending", "slow_down", "authorization_pending", "slow_down", "ok"}
	_, ev, clk, err := deviceLogin(t, op, LoginOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{2 * time.Second, 2 * time.Second, 7 * time.Second, 7 * time.Second, 12 * time.Second}
	if w := clk.waits(); len(w) != len(want) {
		t.Fatalf("waits %v, want %v", w, want)
	} else {
		for i := range want {
			if w[i] != want[i] {
				t.Fatalf("waits %v, want %v", w, want)
			}
		}
	}
	sd := kindsOf(ev.all(), KindDeviceSlowDown)
	if len(sd) != 2 {
		t.Fatalf("%d slow_down events", len(sd))
	}
	if f, _ := sd[1].Field("interval"); f.Value != "12" {
		t.Errorf("second slow_down interval %q", f.Value)
	}
}

func TestDeviceAccessDenied(t *testing.T) {
	op := newFakeOP(t).withDevice()
	op.dev.polls = []string{"authorization_pending", "access_denied"}
	_, _, _, err := deviceLogin(t, op, LoginOptions{})
	var pe *ProviderError
	if !errors.As(err, &pe) || pe.Code != "access_denied" {
		t.Fatalf("err = %v, want *ProviderError access_denied", err)
	}
}

func TestDeviceExpiredToken(t *testing.T) {
	op := newFakeOP(t).withDevice()
	op.dev.polls = []string{"authorization_pending", "expired_token"}
	_, _, _, err := deviceLogin(t, op, LoginOptions{})
	var pe *ProviderError
	if !errors.Is(err, ErrDeviceCodeExpired) || !errors.Is(err, ErrTimeout) || !errors.As(err, &pe) || pe.Code != "expired_token" {
		t.Fatalf("err = %v", err)
	}
}

// When expires_in passes the app stops polling by itself.
func TestDeviceExpiresInPasses(t *testing.T) {
	op := newFakeOP(t).withDevice()
	op.dev.expiresIn = 12
	op.dev.polls = []string{"authorization_pending"}
	_, _, clk, err := deviceLogin(t, op, LoginOptions{})
	if !errors.Is(err, ErrDeviceCodeExpired) || !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v", err)
	}
	if n := op.count(&op.dev.pollCount); n != 2 || len(clk.waits()) != 3 {
		t.Errorf("%d polls, waits %v: want 2 polls before the code expired at 12 s", n, clk.waits())
	}
}

// A device endpoint that answers an HTML page is a clear error, not a
// JSON parse failure; an HTML 500 is an *HTTPError with the text.
func TestDeviceEndpointAnswersHTML(t *testing.T) {
	for _, status := range []int{200, 500} {
		op := newFakeOP(t).withDevice()
		op.dev.handler = func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			_, _ = w.Write([]byte("<html><body><h1>Enter your code</h1><script>x()</script></body></html>"))
		}
		_, _, _, err := deviceLogin(t, op, LoginOptions{})
		if status == 200 {
			ce := checkErr(t, err, "device authorization response")
			if !strings.Contains(ce.Detail, "not JSON (text/html") || !strings.Contains(ce.Detail, "device_authorization_endpoint") {
				t.Errorf("detail %q", ce.Detail)
			}
			continue
		}
		var he *HTTPError
		if !errors.As(err, &he) || he.Status != 500 || strings.Contains(err.Error(), "<") {
			t.Errorf("err = %v", err)
		}
	}
}

// Cancel in the middle of a 5 s wait ends the sign-in at once.
func TestDeviceCancelMidPollReturnsPromptly(t *testing.T) {
	op := newFakeOP(t).withDevice()
	op.dev.polls = []string{"authorization_pending"}
	ctx, cancel := context.WithCancel(context.Background())
	codes := make(chan DeviceCode, 1)
	done := make(chan error, 1)
	go func() {
		_, err := Login(ctx, deviceConfig(op), LoginOptions{OnDeviceCode: func(dc DeviceCode) { codes <- dc }})
		done <- err
	}()
	select {
	case <-codes:
	case <-time.After(10 * time.Second):
		t.Fatal("no device code")
	}
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, ErrCanceled) {
			t.Fatalf("err = %v", err)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("cancel took %v", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("cancel did not end the poll wait")
	}
	if op.count(&op.dev.pollCount) != 0 {
		t.Error("polled although canceled within the first interval")
	}
}

// Without a device endpoint the profile is told what to set; a manual one
// needs no authorization endpoint.
func TestDeviceNeedsAnEndpoint(t *testing.T) {
	op := newFakeOP(t) // discovery has no device endpoint
	_, _, _, err := deviceLogin(t, op, LoginOptions{})
	if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), "device authorization endpoint") {
		t.Fatalf("err = %v", err)
	}
	cfg := Config{Grant: GrantDevice, ClientID: "x", Endpoints: Endpoints{Token: "https://op.example/token"}}
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "device authorization endpoint") {
		t.Errorf("manual without device endpoint: %v", err)
	}
	cfg.Endpoints.DeviceAuthorization = "https://op.example/device"
	if err := cfg.Validate(); err != nil {
		t.Errorf("manual device endpoints refused: %v", err)
	}
	cfg.Params = []Param{{Key: "grant_type", Value: "x"}}
	if err := cfg.Validate(); err == nil {
		t.Error("grant_type accepted as an extra parameter")
	}
}

// An opener that fails is not fatal for the device grant either.
func TestDeviceOpenerFailureKeepsPolling(t *testing.T) {
	op := newFakeOP(t).withDevice()
	s, ev, _, err := deviceLogin(t, op, LoginOptions{Open: func(context.Context, string) error { return errors.New("exit status 1") }})
	if err != nil || s == nil {
		t.Fatal(err)
	}
	bf := kindsOf(ev.all(), KindBrowserFailed)
	if len(bf) != 1 {
		t.Fatalf("%d browser_failed events", len(bf))
	}
	if f, _ := bf[0].Field("error"); f.Value != "exit status 1" {
		t.Errorf("error field %q", f.Value)
	}
}
