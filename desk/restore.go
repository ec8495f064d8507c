package desk

import (
	"context"
	"errors"
	"fmt"

	"pkcedesk/auth"
	"pkcedesk/store"
	"pkcedesk/view"
)

// markRestoring shows every "keep me signed in" profile as restoring from
// the moment the store is loaded, so the window never says "signed out" for
// a session about to come back; restoreKept settles each one.
func (d *Desk) markRestoring(st *store.Store) {
	for _, p := range st.Profiles() {
		if p.KeepSignedIn {
			state := d.stateFor(p.ID)
			state.mu.Lock()
			if state.attempt == 0 {
				state.status = view.StatusRestoring
			}
			state.mu.Unlock()
		}
	}
}

// restoreKept restores sessions from kept refresh tokens at launch, so a
// user who chose "keep me signed in" is signed in without a browser. Each
// restore is traced like a sign-in; a profile with no kept token is shown
// signed out.
func (d *Desk) restoreKept() {
	for _, p := range d.st().Profiles() {
		if !p.KeepSignedIn {
			continue
		}
		rt, err := d.st().Secrets().Get(p.ID, store.RefreshToken)
		if err != nil || rt == "" {
			d.settleRestoring(p.ID)
			continue
		}
		if err := d.restore(p.ID, rt); err != nil {
			d.emitNotice("warn", fmt.Sprintf("%s: could not restore your session (%v). Sign in again.", p.Name, err))
		}
	}
}

// settleRestoring shows a profile marked restoring as signed out when
// there is nothing to restore (and nothing else started meanwhile).
func (d *Desk) settleRestoring(id string) {
	state := d.stateFor(id)
	state.mu.Lock()
	changed := state.status == view.StatusRestoring && state.attempt == 0
	if changed {
		state.status = view.StatusSignedOut
	}
	state.mu.Unlock()
	if changed {
		d.emit(EventSession, d.Session(id))
	}
}

// restore signs in with a kept refresh token, without a browser, within
// opTimeout: the profile's client secret and CA bundle are read aside, so
// a keychain or file that never answers cannot hold up the start-up for
// longer. A profile whose overrides leave the issuer for unconfirmed origins
// is not restored (the engine refuses before sending the refresh token).
func (d *Desk) restore(id, refreshToken string) error {
	ctx, cancel := context.WithTimeout(d.ctx, opTimeout)
	defer cancel()
	p, cfg, err := d.prepare(ctx, id)
	if err != nil {
		return err
	}
	state := d.stateFor(id)
	state.mu.Lock()
	state.attempt++
	attempt := state.attempt
	state.status, state.lastRT = view.StatusRestoring, refreshToken
	state.newTraceLocked(attempt)
	state.mu.Unlock()
	sess, err := auth.Restore(ctx, cfg, auth.NewSecret(refreshToken), auth.LoginOptions{
		Trace: d.tracer(id, state, attempt), OnToken: d.keepTokens(id, state, p), Logger: d.log,
	})
	state.mu.Lock()
	if err != nil {
		state.status, state.err = view.StatusSignedOut, errorView(err)
		state.mu.Unlock()
		if errors.Is(err, auth.ErrSessionEnded) {
			_ = d.st().Secrets().Delete(id, store.RefreshToken)
		}
		d.emit(EventSession, d.Session(id))
		return err
	}
	state.session, state.status, state.restored = sess, view.StatusSignedIn, true
	state.mu.Unlock()
	d.fetchUserInfo(ctx, id, state, sess)
	d.emit(EventSession, d.Session(id))
	return nil
}
