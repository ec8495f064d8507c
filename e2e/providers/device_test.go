package providers

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pkcedesk/auth"
	"pkcedesk/demo"

	"pkcedesk/e2e/harness"
)

// The device authorization grant (RFC 8628) through pkcedesk/auth, as the
// GUI and `pkce-desk login --grant device` run it, against every provider
// here that has it: node-oidc-provider, zitadel's example OP and the demo
// provider. (Ory Hydra v2.3.0 has no device flow: neither it nor its fosite
// v0.49.0 knows device_authorization; it gets client credentials only.)
// A stand-in browser on a "second device" opens the verification URI,
// signs in and allows or denies.

// deviceTimeout bounds one device sign-in (the providers' intervals are 1 s,
// zitadel's is a fixed 5 s).
const deviceTimeout = 90 * time.Second

// deviceTarget is one provider's device client as the device tests use it.
type deviceTarget struct {
	name     string
	issuer   string
	clientID string
	secret   string // "" for a public client
	scopes   []string
	// interval is the polling interval the provider announces.
	interval time.Duration
	verify   harness.DeviceVerifier
	// subject is who the stand-in browser signs in as.
	subject string
	// tokenValid proves the access token is live at the provider
	// (introspection or the provider's API) and names its subject.
	tokenValid func(ctx context.Context, t *testing.T, accessToken string) (subject string)
	// otherClient is a client of this provider not allowed the device
	// grant (its secret may be ""): the device endpoint must refuse it.
	otherClient, otherSecret string
	logs                     func() string
}

// config is the profile the app would hold for the device sign-in.
func (dt *deviceTarget) config() auth.Config {
	cfg := auth.Config{Issuer: dt.issuer, ClientID: dt.clientID, Scopes: dt.scopes, Grant: auth.GrantDevice, Timeout: deviceTimeout}
	if dt.secret != "" {
		cfg.ClientSecret, cfg.AuthMethod = auth.NewSecret(dt.secret), auth.AuthClientSecretBasic
	}
	return cfg
}

// deviceSignIn is one device sign-in and what the second device saw.
type deviceSignIn struct {
	s      *auth.Session
	err    error
	codes  []auth.DeviceCode // what OnDeviceCode was given
	opened []string          // what Open was given
	page   *harness.Page     // where the verification ended
	verr   error             // what the verification returned
	trace  *traceLog
	took   time.Duration
}

// deviceLogin runs auth.Login with the device grant. The verification
// starts after delay, from OnDeviceCode (useOpen false: Open is nil, as in
// the GUI, which shows a QR code instead) or from Open (useOpen true: as the
// CLI's browser would); allow says what the person chooses. With cancelAt
// > 0 the sign-in's context is cancelled that long after the code is shown
// and no verification happens.
func deviceLogin(ctx context.Context, dt *deviceTarget, cfg auth.Config, useOpen, allow bool, delay, cancelAt time.Duration) *deviceSignIn {
	ds := &deviceSignIn{trace: &traceLog{}}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	var started atomic.Bool
	start := func(u, code string) {
		if !started.CompareAndSwap(false, true) {
			return
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if cancelAt > 0 {
				time.Sleep(cancelAt)
				cancel()
				return
			}
			time.Sleep(delay)
			p, err := dt.verify(ctx, u, code, allow)
			mu.Lock()
			ds.page, ds.verr = p, err
			mu.Unlock()
		}()
	}
	opts := auth.LoginOptions{
		Trace: ds.trace.add,
		OnDeviceCode: func(dc auth.DeviceCode) {
			mu.Lock()
			ds.codes = append(ds.codes, dc)
			mu.Unlock()
			if !useOpen {
				u := dc.VerificationURIComplete
				if u == "" {
					u = dc.VerificationURI
				}
				start(u, dc.UserCode)
			}
		},
	}
	if useOpen {
		opts.Open = func(_ context.Context, u string) error {
			mu.Lock()
			ds.opened = append(ds.opened, u)
			mu.Unlock()
			start(u, "")
			return nil
		}
	}
	t0 := time.Now()
	ds.s, ds.err = auth.Login(ctx, cfg, opts)
	ds.took = time.Since(t0)
	cancel()
	wg.Wait()
	return ds
}

// mustDeviceSignIn is deviceLogin (verification from OnDeviceCode, allowed,
// half a second after the first poll, so that poll is pending) failing t
// on any error.
func mustDeviceSignIn(ctx context.Context, t *testing.T, dt *deviceTarget) *deviceSignIn {
	t.Helper()
	ds := deviceLogin(ctx, dt, dt.config(), false, true, dt.interval+500*time.Millisecond, 0)
	if ds.err != nil || ds.verr != nil {
		t.Fatalf("device sign-in: %v\nverification: %v\ntrace:\n%s\nprovider output:\n%s", ds.err, ds.verr, ds.trace.text(), dt.logs())
	}
	return ds
}

// testDevice is the device suite for one provider.
func testDevice(t *testing.T, dt *deviceTarget) {
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()

	t.Run("signs_in", func(t *testing.T) {
		ds := mustDeviceSignIn(ctx, t, dt)
		s := ds.s
		if len(ds.codes) != 1 {
			t.Fatalf("OnDeviceCode called %d times, want once", len(ds.codes))
		}
		dc := ds.codes[0]
		vu, err := url.Parse(dc.VerificationURI)
		iss, _ := url.Parse(dt.issuer)
		if err != nil || vu.Host != iss.Host || dc.UserCode == "" {
			t.Errorf("device code: verification_uri %q (want on %s), user code %q", dc.VerificationURI, iss.Host, dc.UserCode)
		}
		if dc.VerificationURIComplete != "" && !strings.Contains(dc.VerificationURIComplete, url.QueryEscape(dc.UserCode)) &&
			!strings.Contains(dc.VerificationURIComplete, dc.UserCode) {
			t.Errorf("verification_uri_complete %q does not carry the user code %q", dc.VerificationURIComplete, dc.UserCode)
		}
		if dc.Interval != dt.interval {
			t.Errorf("DeviceCode.Interval %s, the provider announced %s", dc.Interval, dt.interval)
		}
		if left := time.Until(dc.ExpiresAt); left <= 0 || left > 30*time.Minute {
			t.Errorf("DeviceCode.ExpiresAt %s is not a near future time", dc.ExpiresAt)
		}
		if s.Grant() != auth.GrantDevice {
			t.Errorf("Session.Grant() = %q, want %q", s.Grant(), auth.GrantDevice)
		}
		// The timeline: the code shown, polls answered authorization_pending
		// (the browser waited past the first poll), the token response and the sign-in; no
		// loopback listener and no authorization URL in this grant.
		if missing := ds.trace.missingKinds(auth.KindDeviceCode, auth.KindDevicePending, auth.KindTokenResponse, auth.KindSignedIn); len(missing) > 0 {
			t.Errorf("trace lacks %v; it has %v", missing, ds.trace.kinds())
		}
		for _, k := range []auth.EventKind{auth.KindListenerUp, auth.KindAuthorizationURL, auth.KindCallbackReceived} {
			if ds.trace.count(k) > 0 {
				t.Errorf("a device sign-in traced %s", k)
			}
		}
		if e, ok := ds.trace.first(auth.KindDeviceCode); ok {
			if field(e, "user_code") != dc.UserCode || field(e, "verification_uri") != dc.VerificationURI || field(e, "interval") == "" || field(e, "expires_in") == "" {
				t.Errorf("device_code event fields %v", e.Fields)
			}
		}
		tok := s.Token()
		if tok.AccessToken.IsZero() {
			t.Fatal("no access token")
		}
		assertNoSecrets(t, ds.trace, tok)
		if sub := dt.tokenValid(ctx, t, tok.AccessToken.Reveal()); sub != dt.subject {
			t.Errorf("the provider says the access token is %q's, want %q", sub, dt.subject)
		}
		// ID token: checked as in the code flow, the nonce check skipped
		// and saying why (the device grant has no nonce).
		if !tok.IDToken.IsZero() {
			if s.Subject() != dt.subject {
				t.Errorf("ID token subject %q, want %q", s.Subject(), dt.subject)
			}
			nonceSkipped := false
			for _, c := range s.Checks() {
				if !c.Passed {
					t.Errorf("check %q failed: %s", c.Name, c.Detail)
				}
				if c.Skipped && strings.Contains(strings.ToLower(c.Name+" "+c.Detail), "nonce") {
					nonceSkipped = true
				}
			}
			if !nonceSkipped {
				t.Errorf("the checklist does not say the nonce check is skipped in the device grant: %s", checkNames(s.Checks()))
			}
		}
		t.Logf("device sign-in at %s took %s (interval %s)", dt.name, ds.took.Round(time.Millisecond), dc.Interval)
	})

	t.Run("open_gets_verification_uri_complete", func(t *testing.T) {
		ds := deviceLogin(ctx, dt, dt.config(), true, true, 0, 0)
		if ds.err != nil || ds.verr != nil {
			t.Fatalf("device sign-in through Open: %v; verification: %v\ntrace:\n%s", ds.err, ds.verr, ds.trace.text())
		}
		if len(ds.opened) != 1 || len(ds.codes) != 1 {
			t.Fatalf("Open called %d times, OnDeviceCode %d times; want once each", len(ds.opened), len(ds.codes))
		}
		want := ds.codes[0].VerificationURIComplete
		if want == "" {
			want = ds.codes[0].VerificationURI
		}
		if ds.opened[0] != want {
			t.Errorf("Open got %q, want verification_uri_complete %q", ds.opened[0], want)
		}
	})

	t.Run("denied", func(t *testing.T) {
		ds := deviceLogin(ctx, dt, dt.config(), false, false, 0, 0)
		if ds.verr != nil {
			t.Fatalf("the stand-in browser could not deny: %v", ds.verr)
		}
		var pe *auth.ProviderError
		if !errors.As(ds.err, &pe) || pe.Code != "access_denied" {
			t.Fatalf("a denied device sign-in: %v (session %v), want *ProviderError access_denied\ntrace:\n%s", ds.err, ds.s != nil, ds.trace.text())
		}
		if errors.Is(ds.err, auth.ErrTimeout) || errors.Is(ds.err, auth.ErrCanceled) {
			t.Errorf("access_denied must not read as a timeout or cancel: %v", ds.err)
		}
		if e, ok := ds.trace.first(auth.KindError); !ok || !e.Failed {
			t.Errorf("the timeline has no failed error event: %v", ds.trace.kinds())
		}
	})

	t.Run("cancel_while_polling", func(t *testing.T) {
		ds := deviceLogin(ctx, dt, dt.config(), false, true, 0, 1500*time.Millisecond)
		if !errors.Is(ds.err, auth.ErrCanceled) {
			t.Fatalf("cancelled device sign-in: %v, want ErrCanceled", ds.err)
		}
		// Cancel is prompt: not a whole poll interval (or the code's
		// lifetime) later.
		if ds.took > 1500*time.Millisecond+dt.interval+2*time.Second {
			t.Errorf("Login returned %s after the code was shown; the cancel came at 1.5 s", ds.took)
		}
	})

	t.Run("client_without_device_grant_refused", func(t *testing.T) {
		cfg := dt.config()
		cfg.ClientID = dt.otherClient
		cfg.ClientSecret, cfg.AuthMethod = auth.Secret{}, ""
		if dt.otherSecret != "" {
			cfg.ClientSecret, cfg.AuthMethod = auth.NewSecret(dt.otherSecret), auth.AuthClientSecretBasic
		}
		ds := deviceLogin(ctx, dt, cfg, false, true, 0, 0)
		var pe *auth.ProviderError
		if !errors.As(ds.err, &pe) || (pe.Code != "unauthorized_client" && pe.Code != "invalid_client" && pe.Code != "invalid_request") {
			t.Fatalf("device sign-in with client %s (no device grant): %v, want the provider's unauthorized_client", dt.otherClient, ds.err)
		}
		if len(ds.codes) != 0 {
			t.Errorf("OnDeviceCode was called with a code the provider should not have issued")
		}
		t.Logf("%s refuses %s: %s %s", dt.name, dt.otherClient, pe.Code, pe.Description)
	})
	testCLIDevice(t, dt)
}

// testDeviceExpired checks a device code that runs out before anyone
// verifies it: ErrDeviceCodeExpired, which is also an ErrTimeout.
func testDeviceExpired(t *testing.T, dt *deviceTarget) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	never := *dt
	never.verify = func(context.Context, string, string, bool) (*harness.Page, error) { return nil, nil }
	ds := deviceLogin(ctx, &never, never.config(), false, true, 0, 0)
	if !errors.Is(ds.err, auth.ErrDeviceCodeExpired) || !errors.Is(ds.err, auth.ErrTimeout) {
		t.Fatalf("device code left to expire: %v, want ErrDeviceCodeExpired (an ErrTimeout)\ntrace:\n%s", ds.err, ds.trace.text())
	}
	if ds.took > 30*time.Second {
		t.Errorf("Login took %s to notice the code expired", ds.took)
	}
}

// TestDeviceNodeOIDC: node-oidc-provider's device flow (features.deviceFlow)
// with its native public client, plus slow_down (from the e2e wrapper,
// server.js) and an expired code.
func TestDeviceNodeOIDC(t *testing.T) {
	requireNodeOIDC(t)
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	op := startNodeOIDC(ctx, t, harness.NodeOIDCOptions{DeviceInterval: 1})
	md := discoverGrants(ctx, t, op.Issuer)
	dt := nodeOIDCDeviceTarget(op, md)
	testDevice(t, dt)

	t.Run("slow_down_honoured", func(t *testing.T) {
		slow := startNodeOIDC(ctx, t, harness.NodeOIDCOptions{DeviceInterval: 1, SlowDownFirst: 1})
		sdt := nodeOIDCDeviceTarget(slow, discoverGrants(ctx, t, slow.Issuer))
		// The person takes 1.5 s, so the first poll (at 1 s) is pending
		// and gets the forced slow_down.
		ds := deviceLogin(ctx, sdt, sdt.config(), false, true, 1500*time.Millisecond, 0)
		if ds.err != nil || ds.verr != nil {
			t.Fatalf("device sign-in with a slow_down: %v; verification %v\ntrace:\n%s", ds.err, ds.verr, ds.trace.text())
		}
		e, ok := ds.trace.first(auth.KindDeviceSlowDown)
		if !ok {
			t.Fatalf("no %s event; trace kinds %v", auth.KindDeviceSlowDown, ds.trace.kinds())
		}
		if got := field(e, "interval"); !strings.HasPrefix(got, "6") {
			t.Errorf("after slow_down the interval is %q, want 6 s (1 s + 5 s, RFC 8628 §3.5)", got)
		}
		// The wrapper answers slow_down again to any poll sooner than the
		// raised interval: exactly one means the engine waited.
		if n := ds.trace.count(auth.KindDeviceSlowDown); n != 1 {
			t.Errorf("%d slow_down answers: the engine polled again before the raised interval", n)
		}
		if ds.took < 6*time.Second {
			t.Errorf("the sign-in took %s: it cannot have waited the raised 6 s interval", ds.took)
		}
	})

	t.Run("expired_code", func(t *testing.T) {
		short := startNodeOIDC(ctx, t, harness.NodeOIDCOptions{DeviceInterval: 1, DeviceTTL: 3})
		testDeviceExpired(t, nodeOIDCDeviceTarget(short, discoverGrants(ctx, t, short.Issuer)))
	})
}

// nodeOIDCDeviceTarget is node-oidc-provider's native client for the
// device tests; introspection (as the service client) proves the tokens.
func nodeOIDCDeviceTarget(op *harness.NodeOIDC, md grantMetadata) *deviceTarget {
	return &deviceTarget{
		name:     "nodeoidc",
		issuer:   op.Issuer,
		clientID: op.NativeClientID,
		scopes:   []string{"openid", "offline_access", "email"},
		interval: time.Duration(op.DeviceInterval) * time.Second,
		verify:   op.VerifyDevice,
		subject:  harness.NodeOIDCUser,
		tokenValid: func(ctx context.Context, t *testing.T, at string) string {
			t.Helper()
			ir, err := introspect(ctx, md.Introspection, op.ServiceClientID, op.ServiceClientSecret, at)
			if err != nil {
				t.Fatal(err)
			}
			if ir["active"] != true || ir["client_id"] != op.NativeClientID {
				t.Fatalf("introspection: %v", ir)
			}
			sub, _ := ir["sub"].(string)
			return sub
		},
		otherClient: op.ServiceClientID, otherSecret: op.ServiceClientSecret,
		logs: op.Logs,
	}
}

// TestDeviceZitadel: zitadel/oidc's op device flow with the example's
// confidential DeviceClient (its interval is a fixed 5 s and its codes live
// 5 minutes, so there is no expiry test here; the demo and node-oidc cover
// it). The public client "native" has no device grant and is refused.
func TestDeviceZitadel(t *testing.T) {
	ctx, op := startZitadelForGrants(t)
	if op.DeviceClientID == "" {
		t.Fatal("zitadelop announced no device client")
	}
	md := discoverGrants(ctx, t, op.Issuer)
	testDevice(t, &deviceTarget{
		name:     "zitadel",
		issuer:   op.Issuer,
		clientID: op.DeviceClientID,
		secret:   op.DeviceClientSecret,
		scopes:   []string{"openid", "profile", "email"},
		interval: 5 * time.Second,
		verify:   op.VerifyDevice,
		subject:  "id1",
		tokenValid: func(ctx context.Context, t *testing.T, at string) string {
			t.Helper()
			var info map[string]any
			if err := getBearerJSON(ctx, md.UserInfo, at, &info); err != nil {
				t.Fatalf("userinfo with the device grant's access token: %v", err)
			}
			sub, _ := info["sub"].(string)
			return sub
		},
		otherClient: op.ClientID,
		logs:        op.Logs,
	})
}

// TestDeviceDemo: the demo provider's device grant (its public client,
// 1 s interval), its plain verification page and the demo API accepting
// the token; an expired code with a 2 s lifetime.
func TestDeviceDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	defer cancel()
	srv := startDemo(ctx, t, demo.Options{DevicePollInterval: time.Second})
	testDevice(t, demoDeviceTarget(srv))
	t.Run("expired_code", func(t *testing.T) {
		short := startDemo(ctx, t, demo.Options{DevicePollInterval: time.Second, DeviceCodeLifetime: 2 * time.Second})
		testDeviceExpired(t, demoDeviceTarget(short))
	})
}

// demoDeviceTarget is the demo's public client for the device tests; the
// demo API's /me proves the token.
func demoDeviceTarget(srv *demo.Server) *deviceTarget {
	svcID, svcSecret := srv.ServiceClient()
	return &deviceTarget{
		name:     "demo",
		issuer:   srv.Issuer(),
		clientID: srv.ClientID(),
		scopes:   []string{"openid", "offline_access", "profile", "email"},
		interval: time.Second,
		verify:   harness.VerifyDemoDevice,
		subject:  demoSubject(srv, "alice"),
		tokenValid: func(ctx context.Context, t *testing.T, at string) string {
			t.Helper()
			return demoAPISubject(ctx, t, srv, at)
		},
		otherClient: svcID, otherSecret: svcSecret,
		logs: func() string { return "(the demo provider runs in the test process)" },
	}
}
