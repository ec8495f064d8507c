package desk

import (
	"context"
	"errors"
	"time"

	"pkcedesk/auth"
	"pkcedesk/view"
)

// view is the handoff as the waiting screen shows it, or nil when there is
// none. A paste is accepted while the sign-in waits (its PasteBox), or after
// a timeout until the pending sign-in expires. Callers hold the state's mu.
func (h *handoff) view(now time.Time) *view.Handoff {
	if h == nil {
		return nil
	}
	v := &view.Handoff{URL: h.url, BrowserError: h.browserErr, PasteOnly: h.pasteOnly, Paste: h.box != nil}
	if h.pending != nil {
		until := h.pending.Expires()
		v.Paste = now.Before(until)
		v.PasteUntil = until.UTC().Format(time.RFC3339)
	}
	return v
}

// handoffOpener is the code grant's opener: it notes the authorization URL
// (for Copy and Open again) and what the system browser said, so the
// waiting screen shows the URL and the paste box instead of a spinner when
// the browser could not be started. The error still goes back to the
// engine, which traces it and keeps waiting (for the loopback callback or
// a paste) until the timeout.
func (d *Desk) handoffOpener(id string, state *profileState, attempt int) auth.Opener {
	open := d.opener()
	return func(ctx context.Context, url string) error {
		d.noteHandoff(id, state, attempt, func(h *handoff) { h.url = url })
		err := open(ctx, url)
		msg := ""
		if err != nil && ctx.Err() == nil {
			msg = err.Error()
		}
		d.noteHandoff(id, state, attempt, func(h *handoff) { h.browserErr = msg })
		return err
	}
}

// noteHandoff changes the attempt's handoff (if it is still the current
// attempt and has one) and sends the session to the frontend.
func (d *Desk) noteHandoff(id string, state *profileState, attempt int, change func(*handoff)) {
	state.mu.Lock()
	ok := state.attempt == attempt && state.handoff != nil
	if ok {
		change(state.handoff)
	}
	state.mu.Unlock()
	if ok {
		d.emit(EventSession, d.Session(id))
	}
}

// PasteRedirect hands a sign-in the address the browser ended on (the full
// redirect URL, or only its query) when the redirect could not reach the
// app: the loopback listener is out of the browser's reach, the profile
// uses a hosted redirect URI, or the wait timed out with no callback. The
// engine makes the loopback receiver's checks (state, iss, a code or an
// error, one use). nil means accepted: the sign-in goes on to the token
// exchange and its progress arrives as usual. A refusal's error text is the
// reason, for the paste box to show ("the state does not match this
// sign-in: …"); the sign-in keeps waiting for a better paste.
func (d *Desk) PasteRedirect(ctx context.Context, id, raw string) error {
	state := d.lookupState(id)
	if state == nil {
		return errNoHandoff
	}
	state.mu.Lock()
	h := state.handoff
	var box *auth.PasteBox
	var pending *auth.PendingSignIn
	if h != nil {
		box, pending = h.box, h.pending
	}
	attempt := state.attempt
	state.mu.Unlock()
	switch {
	case box != nil:
		return pasteError(box.Submit(raw))
	case pending != nil:
		return d.finishPending(ctx, id, state, attempt, pending, raw)
	}
	return errNoHandoff
}

var errNoHandoff = errors.New("no sign-in is waiting for a redirect: click Sign in first")

// pasteError turns the engine's answer to a paste into the error the paste
// box shows: the refusal reason alone, or what to do when nothing waits.
func pasteError(err error) error {
	var pe *auth.PasteError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &pe):
		return errors.New(pe.Reason)
	case errors.Is(err, auth.ErrNothingWaiting):
		return errors.New("this sign-in is no longer waiting for a redirect: sign in again")
	}
	return err
}

// finishPending completes a sign-in that timed out with no callback, with a
// pasted redirect, before the pending sign-in expires.
func (d *Desk) finishPending(ctx context.Context, id string, state *profileState, attempt int, pending *auth.PendingSignIn, raw string) error {
	if !time.Now().Before(pending.Expires()) {
		state.mu.Lock()
		if state.attempt == attempt {
			state.handoff = nil
		}
		state.mu.Unlock()
		d.emit(EventSession, d.Session(id))
		return errors.New("this sign-in expired: click Sign in to start a new one")
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	sess, err := pending.Paste(ctx, raw)
	var pe *auth.PasteError
	if errors.As(err, &pe) {
		return errors.New(pe.Reason)
	}
	state.mu.Lock()
	if state.attempt != attempt || state.cancel != nil {
		// A new sign-in started meanwhile: it owns the profile now.
		state.mu.Unlock()
		if err == nil {
			_ = sess.SignOut(ctx)
		}
		return errors.New("a new sign-in started meanwhile; finish that one")
	}
	state.handoff = nil
	if err != nil {
		state.status, state.err = view.StatusError, errorView(err)
		state.mu.Unlock()
		d.emit(EventSession, d.Session(id))
		d.emit(EventProfiles, nil)
		return pasteError(err)
	}
	state.session, state.status, state.err = sess, view.StatusSignedIn, nil
	state.mu.Unlock()
	d.fetchUserInfo(ctx, id, state, sess)
	d.emit(EventSession, d.Session(id))
	d.emit(EventProfiles, nil)
	return nil
}

// OpenAuthorizationAgain opens the waiting sign-in's page in the system
// browser again: the authorization URL of a code sign-in, or a device
// sign-in's verification URI (with the code when the provider gave one).
// The browser's failure is returned and shown on the waiting screen.
func (d *Desk) OpenAuthorizationAgain(id string) error {
	state := d.lookupState(id)
	if state == nil {
		return errNothingToOpen
	}
	state.mu.Lock()
	url, attempt := "", state.attempt
	switch {
	case state.handoff != nil:
		url = state.handoff.url
	case state.device != nil:
		url = state.device.VerificationURIComplete
		if url == "" {
			url = state.device.VerificationURI
		}
	}
	state.mu.Unlock()
	if url == "" {
		return errNothingToOpen
	}
	err := d.opener()(d.ctx, url)
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	d.noteHandoff(id, state, attempt, func(h *handoff) { h.browserErr = msg })
	return err
}

var errNothingToOpen = errors.New("no sign-in is waiting for the browser: click Sign in first")
