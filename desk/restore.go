package desk

import (
	"context"
	"errors"
	"fmt"

	"pkcedesk/auth"
	"pkcedesk/store"
	"pkcedesk/view"
)

// restoreKept restores sessions from kept refresh tokens at launch, so a
// user who chose "keep me signed in" is signed in without a browser. Each
// restore is traced like a sign-in.
func (d *Desk) restoreKept() {
	for _, p := range d.store.Profiles() {
		if !p.KeepSignedIn {
			continue
		}
		rt, err := d.store.Secrets().Get(p.ID, store.RefreshToken)
		if err != nil || rt == "" {
			continue
		}
		if err := d.restore(p.ID, rt); err != nil {
			d.emitNotice("warn", fmt.Sprintf("%s: could not restore your session (%v). Sign in again.", p.Name, err))
		}
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
	state.status, state.lastRT = view.StatusExchanging, refreshToken
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
			_ = d.store.Secrets().Delete(id, store.RefreshToken)
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
