package auth

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"pkcedesk/internal/origin"
)

// Opener opens url in the system browser (RFC 8252 §7: never an embedded
// webview). In the GUI it is Wails' BrowserOpenURL; headless, $BROWSER or
// the platform default.
type Opener func(ctx context.Context, url string) error

// LoginOptions are the per-call hooks of Login and Restore.
type LoginOptions struct {
	// Open opens the authorization URL (code grant) or the verification URI
	// (device grant: verification_uri_complete when the provider sent one).
	// An error is not fatal: Login traces KindBrowserFailed and keeps
	// waiting for the callback, a paste or the device approval, so the UI
	// can show the URL with Copy / Open again. For the device grant Open may
	// be nil (the GUI shows a QR code instead). Not used for client
	// credentials.
	Open Opener
	// OnDeviceCode is called once the device grant's code is issued, before
	// polling starts, so the UI can show the user code (it must not block).
	OnDeviceCode func(DeviceCode)
	// Paste lets the user hand a code-grant sign-in the redirect the browser
	// could not deliver (nil: no paste). Required when Config.Redirect.URI
	// is set, since a pasted redirect is then the only way back.
	Paste *PasteBox
	// AppName and ProfileName are shown on the loopback callback page
	// (AppName "" = DefaultAppName).
	AppName, ProfileName string
	// Trace receives every step as it happens (may be nil). It is called
	// from the engine's goroutines and must not block for long.
	Trace func(Event)
	// OnToken is called after sign-in and after every refresh with the new
	// tokens, so the app can persist a rotated refresh token at once.
	OnToken func(TokenSet)
	// Logger receives redacted debug records of each step (nil: slog.Default()).
	Logger *slog.Logger
	// Now replaces time.Now (tests).
	Now func() time.Time

	// sleep replaces the device grant's poll wait (tests); it must return
	// ctxErr(ctx) when ctx ends first.
	sleep func(ctx context.Context, d time.Duration) error
}

// Login runs one complete sign-in with cfg.Grant.
//
// The authorization code grant (the default): discovery, loopback listener
// on an ephemeral port (none with Config.Redirect.URI), PKCE S256, state and
// nonce, the authorization URL handed to opts.Open, the one valid callback
// or pasted redirect (opts.Paste), a single code exchange, token response
// checks and ID-token validation. The listener is closed before Login
// returns, whatever the outcome. A timeout with nothing back returns a
// *NoCallbackError whose Pending can still finish the sign-in by a paste.
//
// The device grant (RFC 8628, device.go) and client credentials (RFC 6749
// §4.4, clientcredentials.go) need no listener.
//
// Errors are typed: ErrCanceled, ErrTimeout, ErrDeviceCodeExpired,
// ErrPKCEUnsupported, *ProviderError, *RedirectURIError, *NoCallbackError,
// *PortInUseError, *CheckError, *HTTPError, ErrInvalidConfig.
func Login(ctx context.Context, cfg Config, opts LoginOptions) (*Session, error) {
	s, err := newSession(ctx, cfg, opts)
	if err != nil {
		if s != nil {
			s.tr.fail(StepError, KindError, err.Error())
		}
		return nil, err
	}
	switch s.grant {
	case GrantDevice:
		err = s.loginDevice(ctx)
	case GrantClientCredentials:
		err = s.loginClientCredentials(ctx)
	default:
		err = s.login(ctx)
	}
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, ErrCanceled) && !errors.Is(err, ErrTimeout) {
			err = fmt.Errorf("%w: %w", ctxErr(ctx), err) // canceled mid-exchange
		}
		s.tr.fail(StepError, KindError, err.Error())
		return nil, err
	}
	s.signedIn()
	return s, nil
}

// signedIn ends a successful sign-in on the timeline and hands the tokens
// to OnToken.
func (s *Session) signedIn() {
	s.tr.add(StepDone, KindSignedIn, "signed in", field("subject", s.subject()), field("grant", string(s.grant)))
	s.announce()
}

// newSession validates cfg, builds the HTTP client and resolves endpoints.
func newSession(ctx context.Context, cfg Config, opts LoginOptions) (*Session, error) {
	tr := newTracer(opts.Trace, opts.Logger)
	if opts.Now != nil {
		tr.now = opts.Now
	}
	s := &Session{tr: tr, onToken: opts.OnToken, openFn: opts.Open, opts: opts, grant: cfg.Grant.normalized()}
	if err := cfg.Validate(); err != nil {
		return s, err
	}
	cfg.Grant = s.grant
	cfg.Redirect, _ = cfg.Redirect.normalize()
	cfg.Scopes = append([]string(nil), cfg.Scopes...)
	cfg.Params = append([]Param(nil), cfg.Params...)
	hc, err := httpClientFor(&cfg)
	if err != nil {
		return s, err
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	var meta *Metadata
	if cfg.Issuer != "" {
		m, err := Discover(ctx, cfg.Issuer, hc)
		if err != nil {
			if ctx.Err() != nil {
				return s, fmt.Errorf("%w during discovery", ctxErr(ctx))
			}
			return s, fmt.Errorf("discovery failed: %w", err)
		}
		meta = m
	}
	foreign := cfg.foreignOverrides(meta)
	meta = resolveEndpoints(&cfg, meta)
	s.c = &client{cfg: &cfg, http: hc, meta: meta, now: now}
	if cfg.Issuer != "" {
		s.traceDiscovery()
	} else {
		tr.add(StepDiscovery, KindDiscovered, "manual endpoints (plain OAuth 2.0, no discovery)",
			field("authorization_endpoint", meta.AuthorizationEndpoint), field("token_endpoint", meta.TokenEndpoint))
	}
	if err := s.checkForeign(foreign); err != nil {
		return s, err
	}
	if cfg.hasOpenID() && s.grant != GrantClientCredentials {
		if meta.JWKSURI == "" {
			return s, fmt.Errorf("%w: the provider publishes no jwks_uri, so ID tokens cannot be verified; set the JWKS URL in the profile", ErrInvalidConfig)
		}
		s.ver = &idVerifier{issuer: cfg.Issuer, template: meta.IssuerTemplate, clientID: cfg.ClientID,
			algs: signingAlgs(meta.IDTokenSigningAlgValuesSupported), keys: keySetFor(meta.JWKSURI, hc),
			tenants: cfg.AllowedTenants, now: now}
	}
	return s, nil
}

// checkForeign puts endpoint overrides that leave the issuer on the
// timeline, every sign-in, and stops with a *ForeignEndpointsError while any
// of their origins is not in Config.TrustedOrigins: nothing has been sent
// to them yet, and the browser has not opened.
func (s *Session) checkForeign(foreign []ForeignEndpoint) error {
	if len(foreign) == 0 {
		return nil
	}
	cfg := s.c.cfg
	trusted := map[string]bool{}
	for _, t := range cfg.TrustedOrigins {
		if o, ok := origin.Parse(t); ok {
			trusted[o.String()] = true
		}
	}
	var unconfirmed []ForeignEndpoint
	fields := make([]Field, 0, len(foreign))
	for _, e := range foreign {
		state := "confirmed by you"
		if !trusted[e.Origin] {
			state = "NOT confirmed"
			unconfirmed = append(unconfirmed, e)
		}
		fields = append(fields, field(e.Name, e.URL+" ("+state+")"))
	}
	const why = "an endpoint outside the issuer receives the code, the verifier, client credentials or tokens while the ID-token checks still pass against the real issuer"
	c := Check{Name: "endpoints at the issuer", Why: why}
	if len(unconfirmed) == 0 {
		c.Passed = true
		c.Detail = fmt.Sprintf("overrides leave %s for %s, which you confirmed", cfg.Issuer, strings.Join(origin.Hosts(foreign), ", "))
		s.tr.add(StepDiscovery, KindForeignEndpoints, "WARNING: this profile's endpoint overrides leave the issuer", fields...)
		s.tr.check(StepDiscovery, c)
		return nil
	}
	err := &ForeignEndpointsError{Issuer: cfg.Issuer, Endpoints: unconfirmed}
	c.Detail = fmt.Sprintf("overrides leave %s for %s; confirm them to sign in", cfg.Issuer, strings.Join(err.Origins(), ", "))
	s.tr.fail(StepDiscovery, KindForeignEndpoints, "stopped: this profile's endpoint overrides leave the issuer and are not confirmed", fields...)
	s.tr.check(StepDiscovery, c)
	return err
}

func (s *Session) traceDiscovery() {
	m := s.c.meta
	s1 := "S256 supported"
	if len(m.CodeChallengeMethodsSupported) == 0 {
		s1 = "PKCE methods not advertised; sending S256"
	} else if !m.S256Supported() {
		s1 = "S256 NOT supported"
	}
	iss := "iss in responses: not advertised"
	if m.AuthorizationResponseIssParameterSupp {
		iss = "iss in responses: required (RFC 9207)"
	}
	fields := []Field{field("issuer", m.Issuer), field("authorization_endpoint", m.AuthorizationEndpoint),
		field("token_endpoint", m.TokenEndpoint), field("pkce", s1), field("iss_parameter", iss)}
	for _, kv := range [][2]string{{"jwks_uri", m.JWKSURI}, {"userinfo_endpoint", m.UserInfoEndpoint},
		{"revocation_endpoint", m.RevocationEndpoint}, {"introspection_endpoint", m.IntrospectionEndpoint},
		{"end_session_endpoint", m.EndSessionEndpoint}} {
		if kv[1] != "" {
			fields = append(fields, field(kv[0], kv[1]))
		}
	}
	s.tr.add(StepDiscovery, KindDiscovered, "discovered provider metadata: "+s1+"; "+iss, fields...)
}

func (s *Session) login(ctx context.Context) error {
	cfg, meta, tr := s.c.cfg, s.c.meta, s.tr
	if meta.AuthorizationEndpoint == "" {
		return fmt.Errorf("%w: the provider publishes no authorization_endpoint; set it in the profile, or use the device or client-credentials grant", ErrInvalidConfig)
	}
	if !meta.S256Supported() {
		return fmt.Errorf("%w: it lists code_challenge_methods_supported %v; the app refuses plain PKCE (RFC 7636 §7.2) — enable S256 for this client at the provider",
			ErrPKCEUnsupported, meta.CodeChallengeMethodsSupported)
	}
	pasteOnly := cfg.Redirect.URI != ""
	if pasteOnly && s.opts.Paste == nil {
		return fmt.Errorf("%w: the redirect URI %s is not a loopback address, so only a pasted redirect can finish this sign-in, and this caller offers no paste box", ErrInvalidConfig, cfg.Redirect.URI)
	}
	ar := authRequest{state: randomToken(), pkce: newPKCE()}
	if cfg.hasOpenID() {
		ar.nonce = randomToken()
	}
	g := newGate(ar.state, tr, s.issVerdict)
	var lb *loopback
	if pasteOnly {
		ar.redirectURI = cfg.Redirect.URI
		tr.add(StepListener, KindListenerNote, "no loopback listener: the provider redirects to "+cfg.Redirect.URI+"; paste the address the browser ends at",
			field("redirect_uri", ar.redirectURI), field("paste_only", true))
	} else {
		var err error
		lb, err = startLoopbackGate(cfg.Redirect, g, pageInfo{AppName: s.opts.AppName, ProfileName: s.opts.ProfileName}, tr)
		if err != nil {
			return err
		}
		defer lb.close()
		ar.redirectURI = lb.redirectURI
		tr.add(StepListener, KindListenerUp, "loopback listener up on "+lb.addrs(), field("redirect_uri", lb.redirectURI))
	}
	s.redirectURI = ar.redirectURI
	if pb := s.opts.Paste; pb != nil {
		t := &pasteTarget{g: g, tr: tr}
		pb.attach(t)
		defer pb.detach(t)
	}
	tr.add(StepPKCE, KindPKCE, "fresh PKCE verifier and S256 challenge", secretField("code_verifier", ar.pkce.verifier),
		field("code_challenge", ar.pkce.challenge), field("code_challenge_method", PKCEMethod))

	authURL, fields, err := authorizationURL(meta.AuthorizationEndpoint, cfg, ar)
	if err != nil {
		return err
	}
	tr.add(StepAuthorize, KindAuthorizationURL, "authorization URL built", append([]Field{field("url", authURL)}, fields...)...)

	wctx, cancel := context.WithTimeoutCause(ctx, cfg.timeout(), ErrTimeout)
	defer cancel()
	if err := wctx.Err(); err != nil {
		return ctxErr(wctx)
	}
	// Traced before the opener runs: a fast browser can be back at the
	// listener before the opener returns, and the timeline must not show the
	// callback before the browser step.
	tr.add(StepBrowser, KindBrowserOpened, "authorization page handed to the system browser; waiting for the redirect", field("timeout", cfg.timeout()))
	if err := s.open(wctx, authURL); err != nil && wctx.Err() == nil {
		s.browserFailed(authURL, err, "copy the authorization URL into a browser; still waiting for the redirect")
	}
	acc, err := g.wait(wctx)
	if lb != nil {
		lb.close()
		tr.add(StepListener, KindListenerClosed, "loopback listener closed", field("ignored_callbacks", lb.forgedCount()))
	}
	if err != nil {
		err = s.c.silentHint(err, ar.redirectURI, g.forgedCount())
		var nc *NoCallbackError
		if errors.As(err, &nc) {
			nc.PasteOnly = pasteOnly
			nc.Pending = s.newPending(g, ar)
		}
		return err
	}
	return s.finishCode(wctx, ctx, acc, ar)
}

// browserFailed traces an opener failure; the sign-in goes on (the URL is
// in the trace and the UI offers Copy / Open again).
func (s *Session) browserFailed(u string, err error, todo string) {
	msg := cleanText(err.Error(), 300)
	s.tr.fail(StepBrowser, KindBrowserFailed, "the system browser could not be started ("+msg+"): "+todo,
		field("url", u), field("error", msg))
}

// finishCode is the code grant after the one accepted response: the iss
// verdict, the provider's error, the code exchange and the ID-token checks.
// wctx bounds the provider calls, ctx is the caller's.
func (s *Session) finishCode(wctx, ctx context.Context, acc accepted, ar authRequest) error {
	if err := s.checkCallbackIssuer(acc); err != nil {
		return err
	}
	p := acc.p
	if p.Error != "" {
		pe := newProviderError("authorization", 0, p.Error, p.ErrorDescription, p.ErrorURI)
		return s.c.redirectHint(pe, ar.redirectURI)
	}
	// The profile's timeout bounds the whole sign-in after the browser
	// opened: a token or JWKS endpoint that never answers must not hold it
	// for the HTTP client's own 30 s.
	resp, err := s.c.exchangeCode(wctx, p.Code, ar, s.tr)
	if err != nil {
		return s.stepTimeout(wctx, ctx, "exchanging the code at the token endpoint", err)
	}
	err = s.accept(wctx, resp, idExpect{nonce: ar.nonce, accessToken: resp.AccessToken.Reveal()})
	return s.stepTimeout(wctx, ctx, "checking the ID token", err)
}

// stepTimeout turns err into a *StepTimeoutError when the sign-in's own
// time limit (wctx) ran out during step while the caller's ctx is still
// live; any other error passes through.
func (s *Session) stepTimeout(wctx, ctx context.Context, step string, err error) error {
	if err == nil || ctx.Err() != nil || !errors.Is(context.Cause(wctx), ErrTimeout) {
		return err
	}
	return &StepTimeoutError{Step: step, Limit: s.c.cfg.timeout()}
}

// open calls the opener, recovering a nil opener into a config error.
func (s *Session) open(ctx context.Context, u string) error {
	if s.openFn == nil {
		return errors.New("no browser opener configured")
	}
	return s.openFn(ctx, u)
}

// issVerdict applies RFC 9207 §2.4 (security rule 14) to a response
// with the right state, without tracing: the gate takes it at once (a
// paste is answered synchronously), checkCallbackIssuer traces it later.
func (s *Session) issVerdict(p callbackParams) (*Check, error) {
	meta, want := s.c.meta, s.c.cfg.Issuer
	if meta.Issuer != "" && meta.IssuerTemplate == "" {
		want = meta.Issuer
	}
	const why = "an iss that differs from the expected issuer means the response came from another provider (mix-up attack)"
	switch {
	case p.HasIss && want != "" && p.Iss != want:
		c := Check{Name: "callback issuer", Detail: fmt.Sprintf("iss %q is not %q", cleanText(p.Iss, 200), want), Why: why}
		return &c, &CheckError{Check: c.Name, Detail: c.Detail + " — the response may come from another provider (RFC 9207); sign-in stopped", Err: ErrInvalidResponse}
	case !p.HasIss && meta.AuthorizationResponseIssParameterSupp:
		c := Check{Name: "callback issuer", Detail: "the provider promises iss in responses but the callback has none", Why: why}
		return &c, &CheckError{Check: c.Name, Detail: c.Detail + " (RFC 9207 §2.4); sign-in stopped", Err: ErrInvalidResponse}
	case p.HasIss && want != "":
		return &Check{Name: "callback issuer", Passed: true, Detail: "iss matches " + want, Why: why}, nil
	}
	return nil, nil
}

// checkCallbackIssuer traces the accepted response's iss verdict and
// returns its failure.
func (s *Session) checkCallbackIssuer(acc accepted) error {
	if acc.check != nil {
		s.tr.check(StepCallback, *acc.check)
	}
	return acc.err
}

// accept checks a token response's ID token and stores the tokens.
func (s *Session) accept(ctx context.Context, resp *tokenResponse, exp idExpect) error {
	cfg := s.c.cfg
	if cfg.hasOpenID() {
		if resp.IDToken.IsZero() {
			return &CheckError{Check: "id_token", Err: ErrInvalidResponse,
				Detail: "the openid scope was requested but the token response has no id_token (OIDC Core §3.1.3.3)"}
		}
		claims, checks, err := s.ver.verify(ctx, resp.IDToken.Reveal(), exp, s.tr)
		s.mu.Lock()
		s.checks = checks
		s.mu.Unlock()
		if err != nil {
			return err
		}
		s.mu.Lock()
		s.claims = claims
		s.mu.Unlock()
	}
	if resp.Scope != "" {
		s.tr.add(StepTokenResponse, KindScopeGranted, "granted scope", field("scope", strings.ReplaceAll(resp.Scope, ",", " ")))
	}
	s.mu.Lock()
	s.tokens = resp.TokenSet
	s.mu.Unlock()
	return nil
}
