package desk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pkcedesk/auth"
	"pkcedesk/store"
	"pkcedesk/view"
)

var errNotSignedIn = errors.New("not signed in: click Sign in first")

// browserGrace is how long the opener waits for the system browser command
// to report a failure before letting the sign-in go on waiting.
const browserGrace = 3 * time.Second

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
	if _, err := d.store.Profile(id); err != nil {
		return view.Session{}, err
	}
	f := d.flowFor(id)
	f.mu.Lock()
	if f.cancel != nil {
		f.mu.Unlock()
		return view.Session{}, errors.New("a sign-in for this profile is already waiting for the browser; finish it or click Cancel")
	}
	runCtx, cancel := context.WithCancel(d.ctx)
	f.attempt++
	attempt := f.attempt
	prevStatus := f.status
	f.cancel, f.status, f.err = cancel, view.StatusWaiting, nil
	f.mu.Unlock()
	defer cancel()
	d.emit(EventSession, d.Session(id))

	p, cfg, err := d.prepare(runCtx, id)
	if err != nil {
		return d.failPrepare(id, f, prevStatus, err), nil
	}
	if another {
		cfg.Params = append(withoutParam(cfg.Params, "prompt"), auth.Param{Key: "prompt", Value: "login"})
	}

	f.mu.Lock()
	f.events, f.started = nil, time.Now()
	f.userInfo, f.refreshes, f.rotations, f.restored = nil, 0, 0, false
	old := f.session
	f.session = nil
	f.mu.Unlock()
	if old != nil {
		// Signing in again replaces the old session; its tokens stay valid at
		// the provider until they expire, as with any client.
		d.log.Debug("replacing session", "profile", id)
	}

	sess, err := auth.Login(runCtx, cfg, auth.LoginOptions{
		Open:    d.opener(),
		Trace:   d.tracer(id, f, attempt),
		OnToken: d.onToken(id, f, p),
		Logger:  d.log,
	})
	f.mu.Lock()
	f.cancel = nil
	if err != nil {
		f.status, f.err = view.StatusError, errorView(err)
		if f.err.Kind == "canceled" {
			f.status = view.StatusSignedOut
		}
		f.mu.Unlock()
		v := d.Session(id)
		d.emit(EventSession, v)
		d.emit(EventProfiles, nil)
		return v, nil
	}
	f.session, f.status = sess, view.StatusSignedIn
	f.mu.Unlock()
	d.fetchUserInfo(runCtx, id, f, sess)
	v := d.Session(id)
	d.emit(EventSession, v)
	d.emit(EventProfiles, nil)
	return v, nil
}

// failPrepare ends a sign-in that stopped before the engine ran: the profile,
// its client secret or its CA bundle could not be read, or the user canceled
// meanwhile. A session from before is kept (nothing replaced it): a cancel
// then goes back to the status from before, any other error is shown.
func (d *Desk) failPrepare(id string, f *flow, prevStatus string, err error) view.Session {
	ev := errorView(err)
	f.mu.Lock()
	f.cancel = nil
	switch {
	case ev.Kind == "canceled" && f.session != nil:
		f.status, f.err = prevStatus, nil
	case ev.Kind == "canceled":
		f.status, f.err = view.StatusSignedOut, ev
	default:
		f.status, f.err = view.StatusError, ev
	}
	f.mu.Unlock()
	v := d.Session(id)
	d.emit(EventSession, v)
	return v
}

// opener hands the authorization URL to the system browser (RFC 8252 §7,
// never the app's webview). The browser command may block until the
// browser exits, so it runs aside; a failure within browserGrace is
// reported, after that the sign-in simply keeps waiting.
func (d *Desk) opener() auth.Opener {
	return func(ctx context.Context, url string) error {
		d.mu.Lock()
		open := d.host.OpenBrowser
		d.mu.Unlock()
		if open == nil {
			return errors.New("no system browser is available: copy the URL from the Flow tab into your browser")
		}
		done := make(chan error, 1)
		go func() { done <- open(url) }()
		select {
		case err := <-done:
			return err
		case <-time.After(browserGrace):
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// onToken keeps the newest refresh token in the keychain when the user
// asked to stay signed in (SECURITY.md 22, 32), and counts rotations.
func (d *Desk) onToken(id string, f *flow, p store.Profile) func(auth.TokenSet) {
	return func(ts auth.TokenSet) {
		rt := ts.RefreshToken.Reveal()
		f.mu.Lock()
		if f.lastRT != "" && rt != "" && rt != f.lastRT {
			f.rotations++
		}
		if rt != "" {
			f.lastRT = rt
		}
		f.tokenAt = time.Now()
		f.mu.Unlock()
		if p.KeepSignedIn && rt != "" {
			if err := d.store.Secrets().Set(id, store.RefreshToken, rt); err != nil {
				d.emitNotice("warn", "The refresh token could not be kept in the keychain: "+err.Error())
			}
		}
	}
}

// CancelSignIn stops a sign-in that is waiting for the browser; the
// loopback port closes at once.
func (d *Desk) CancelSignIn(id string) {
	d.mu.Lock()
	f := d.flows[id]
	d.mu.Unlock()
	if f == nil {
		return
	}
	f.mu.Lock()
	cancel := f.cancel
	f.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// SignOut revokes the tokens (RFC 7009) when the provider supports it, opens
// the provider's logout page (RP-initiated logout) in the system browser
// when it has one, and deletes the profile's kept refresh token.
func (d *Desk) SignOut(ctx context.Context, id string) (view.SignOutResult, error) {
	if err := d.ready(); err != nil {
		return view.SignOutResult{}, err
	}
	d.CancelSignIn(id)
	f := d.flowFor(id)
	f.mu.Lock()
	sess := f.session
	f.mu.Unlock()
	var res view.SignOutResult
	var msgs []string
	if sess != nil && !sess.Ended() {
		logoutURL, lerr := sess.LogoutURL("")
		md := sess.Metadata()
		octx, cancel := context.WithTimeout(ctx, opTimeout)
		err := sess.SignOut(octx)
		cancel()
		switch {
		case md.RevocationEndpoint == "":
			msgs = append(msgs, "The provider offers no revocation, so the tokens stay valid until they expire.")
		case err != nil:
			msgs = append(msgs, "Revocation failed: "+err.Error())
		default:
			res.Revoked = true
			msgs = append(msgs, "Tokens revoked at the provider.")
		}
		if lerr == nil && logoutURL != "" {
			if oerr := d.opener()(ctx, logoutURL); oerr == nil {
				res.LoggedOutAtIdP = true
				msgs = append(msgs, "The provider's logout page opened in your browser.")
			}
		}
	}
	if err := d.store.Secrets().Delete(id, store.RefreshToken); err != nil {
		msgs = append(msgs, "The kept refresh token could not be deleted from the keychain: "+err.Error())
	} else {
		res.SecretsDeleted = true
	}
	f.mu.Lock()
	f.session, f.status, f.err, f.userInfo, f.lastRT = nil, view.StatusSignedOut, nil, nil, ""
	f.mu.Unlock()
	res.Message = joinSentences(msgs, "Signed out.")
	d.emit(EventSession, d.Session(id))
	d.emit(EventProfiles, nil)
	return res, nil
}

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
	f := d.flowFor(id)
	f.mu.Lock()
	f.attempt++
	attempt := f.attempt
	f.status, f.events, f.started, f.lastRT = view.StatusExchanging, nil, time.Now(), refreshToken
	f.mu.Unlock()
	sess, err := auth.Restore(ctx, cfg, auth.NewSecret(refreshToken), auth.LoginOptions{
		Trace: d.tracer(id, f, attempt), OnToken: d.onToken(id, f, p), Logger: d.log,
	})
	f.mu.Lock()
	if err != nil {
		f.status, f.err = view.StatusSignedOut, errorView(err)
		f.mu.Unlock()
		if errors.Is(err, auth.ErrSessionEnded) {
			_ = d.store.Secrets().Delete(id, store.RefreshToken)
		}
		d.emit(EventSession, d.Session(id))
		return err
	}
	f.session, f.status, f.restored = sess, view.StatusSignedIn, true
	f.mu.Unlock()
	d.fetchUserInfo(ctx, id, f, sess)
	d.emit(EventSession, d.Session(id))
	return nil
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

func joinSentences(msgs []string, empty string) string {
	if len(msgs) == 0 {
		return empty
	}
	s := msgs[0]
	for _, m := range msgs[1:] {
		s += " " + m
	}
	return s
}
