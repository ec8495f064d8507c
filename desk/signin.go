package desk

import (
	"context"
	"errors"

	"pkcedesk/auth"
	"pkcedesk/store"
	"pkcedesk/view"
)

// SignIn runs a whole sign-in for the profile with its grant and returns the
// resulting session. Trace events and status changes stream to the frontend
// meanwhile. With another, prompt=login asks the provider to show its login
// page even if the browser has a session there.
//
// The code grant opens the system browser and waits for the loopback
// callback or a pasted redirect (PasteRedirect); Session.Handoff carries the
// URL and, when the browser could not be started, why — and after a timeout
// with no callback it stays, so a paste can still finish the sign-in. The
// device grant shows Session.Device (user code, verification URI, QR code)
// while it polls, and opens no browser by itself (OpenAuthorizationAgain
// does). Client credentials run without a browser, straight to signed in.
// The window comes to the front when the browser hands the sign-in back.
//
// CancelSignIn works from the first instant: the cancel is in place before
// the profile, its client secret and its CA bundle are read, and those reads
// run aside (a keychain may wait on an unlock prompt), so a stuck first step
// ends at Cancel too. A profile whose endpoint overrides leave the issuer
// for origins the user has not confirmed ends with error kind
// "foreign_endpoints" before the browser opens; after TrustEndpointOrigins
// the next SignIn goes on.
func (d *Desk) SignIn(ctx context.Context, id string, another bool) (view.Session, error) {
	if err := d.ready(); err != nil {
		return view.Session{}, err
	}
	if from := d.exchangedFrom(id); from != "" {
		return view.Session{}, errors.New("an exchanged session cannot sign in: exchange a token again from the Tokens tab of the profile it came from")
	}
	stored, err := d.st().Profile(id)
	if err != nil {
		return view.Session{}, err
	}
	first := view.StatusWaiting
	if stored.EffectiveGrant() == store.GrantClientCredentials {
		first = view.StatusExchanging // no one to wait for: straight to the token endpoint
	}
	state := d.stateFor(id)
	state.mu.Lock()
	if state.cancel != nil {
		state.mu.Unlock()
		return view.Session{}, errors.New("a sign-in for this profile is already waiting for the browser; finish it or click Cancel")
	}
	runCtx, cancel := context.WithCancel(d.ctx)
	state.attempt++
	attempt := state.attempt
	prevStatus := state.status
	state.cancel, state.status, state.err = cancel, first, nil
	state.device, state.handoff = nil, nil
	state.mu.Unlock()
	defer cancel()
	d.emit(EventSession, d.Session(id))

	p, cfg, err := d.prepare(runCtx, id)
	if err != nil {
		return d.failPrepare(id, state, prevStatus, err), nil
	}
	if another && cfg.Grant == auth.GrantAuthorizationCode {
		cfg.Params = append(withoutParam(cfg.Params, "prompt"), auth.Param{Key: "prompt", Value: "login"})
	}
	opts := auth.LoginOptions{
		Trace:   d.tracer(id, state, attempt),
		OnToken: d.keepTokens(id, state, p),
		Logger:  d.log,
		AppName: appName, ProfileName: p.Name,
	}
	var h *handoff
	switch cfg.Grant {
	case auth.GrantAuthorizationCode:
		h = &handoff{box: auth.NewPasteBox(), pasteOnly: cfg.Redirect.URI != ""}
		opts.Open, opts.Paste = d.handoffOpener(id, state, attempt), h.box
	case auth.GrantDevice:
		// No browser of its own: the screen shows the code and the QR
		// code, and "Open in browser" is one click (OpenAuthorizationAgain).
		opts.OnDeviceCode = d.onDeviceCode(id, state, attempt)
	}

	state.mu.Lock()
	state.grant, state.handoff = cfg.Grant, h
	state.newTraceLocked(attempt)
	state.userInfo, state.refreshes, state.rotations, state.restored = nil, 0, 0, false
	old := state.session
	state.session = nil
	state.mu.Unlock()
	if old != nil {
		// Signing in again replaces the old session; its tokens stay valid at
		// the provider until they expire, as with any client.
		d.log.Debug("replacing session", "profile", id)
	}

	d.emit(EventSession, d.Session(id))

	sess, err := auth.Login(runCtx, cfg, opts)
	state.mu.Lock()
	state.cancel, state.device = nil, nil
	if err != nil {
		state.status, state.err = view.StatusError, errorView(err)
		var nc *auth.NoCallbackError
		if errors.As(err, &nc) && nc.Pending != nil && state.handoff != nil {
			// Nothing came back before the timeout: a paste can still
			// finish this sign-in until the pending one expires.
			state.handoff.box, state.handoff.pending = nil, nc.Pending
		} else {
			state.handoff = nil
		}
		if state.err.Kind == "canceled" {
			state.status = view.StatusSignedOut
		}
		state.mu.Unlock()
		v := d.Session(id)
		d.emit(EventSession, v)
		d.emit(EventProfiles, nil)
		return v, nil
	}
	state.session, state.status, state.handoff = sess, view.StatusSignedIn, nil
	state.mu.Unlock()
	if cfg.Grant == auth.GrantDevice {
		d.raise() // approved on another screen (or in the browser): back to the app
	}
	d.fetchUserInfo(runCtx, id, state, sess)
	v := d.Session(id)
	d.emit(EventSession, v)
	d.emit(EventProfiles, nil)
	return v, nil
}

// failPrepare ends a sign-in that stopped before the engine ran: the profile,
// its client secret or its CA bundle could not be read, or the user canceled
// meanwhile. A session from before is kept (nothing replaced it): a cancel
// then goes back to the status from before, any other error is shown.
func (d *Desk) failPrepare(id string, state *profileState, prevStatus string, err error) view.Session {
	ev := errorView(err)
	state.mu.Lock()
	state.cancel, state.device, state.handoff = nil, nil, nil
	switch {
	case ev.Kind == "canceled" && state.session != nil:
		state.status, state.err = prevStatus, nil
	case ev.Kind == "canceled":
		state.status, state.err = view.StatusSignedOut, ev
	default:
		state.status, state.err = view.StatusError, ev
	}
	state.mu.Unlock()
	v := d.Session(id)
	d.emit(EventSession, v)
	return v
}

// CancelSignIn stops a sign-in that is waiting for the browser; the
// loopback port closes at once.
func (d *Desk) CancelSignIn(id string) {
	d.mu.Lock()
	state := d.states[id]
	d.mu.Unlock()
	if state == nil {
		return
	}
	state.mu.Lock()
	cancel := state.cancel
	state.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// appName is how the loopback callback page names the app.
const appName = "PKCE Desk"

func withoutParam(ps []auth.Param, key string) []auth.Param {
	out := ps[:0:0]
	for _, p := range ps {
		if p.Key != key {
			out = append(out, p)
		}
	}
	return out
}
