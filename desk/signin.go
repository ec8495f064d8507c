package desk

import (
	"context"
	"errors"

	"pkcedesk/auth"
	"pkcedesk/view"
)

// SignIn runs a whole sign-in for the profile in the system browser and
// returns the resulting session. Trace events and status changes stream to
// the frontend meanwhile. With another, prompt=login asks the provider to
// show its login page even if the browser has a session there.
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
	if _, err := d.st().Profile(id); err != nil {
		return view.Session{}, err
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
	state.cancel, state.status, state.err = cancel, view.StatusWaiting, nil
	state.mu.Unlock()
	defer cancel()
	d.emit(EventSession, d.Session(id))

	p, cfg, err := d.prepare(runCtx, id)
	if err != nil {
		return d.failPrepare(id, state, prevStatus, err), nil
	}
	if another {
		cfg.Params = append(withoutParam(cfg.Params, "prompt"), auth.Param{Key: "prompt", Value: "login"})
	}

	state.mu.Lock()
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

	sess, err := auth.Login(runCtx, cfg, auth.LoginOptions{
		Open:    d.opener(),
		Trace:   d.tracer(id, state, attempt),
		OnToken: d.keepTokens(id, state, p),
		Logger:  d.log,
	})
	state.mu.Lock()
	state.cancel = nil
	if err != nil {
		state.status, state.err = view.StatusError, errorView(err)
		if state.err.Kind == "canceled" {
			state.status = view.StatusSignedOut
		}
		state.mu.Unlock()
		v := d.Session(id)
		d.emit(EventSession, v)
		d.emit(EventProfiles, nil)
		return v, nil
	}
	state.session, state.status = sess, view.StatusSignedIn
	state.mu.Unlock()
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
	state.cancel = nil
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

func withoutParam(ps []auth.Param, key string) []auth.Param {
	out := ps[:0:0]
	for _, p := range ps {
		if p.Key != key {
			out = append(out, p)
		}
	}
	return out
}
