package desk

import (
	"context"
	"errors"
	"sync"
	"time"

	"pkcedesk/auth"
	"pkcedesk/view"
)

// profileState is everything the running app knows about one profile
// beyond what the store keeps: the sign-in attempt running now (if any), the
// session the last one produced, and the trace of the last flow with its
// secrets, which only leave through an explicit reveal. It lives as long as
// the profile (takeState drops it when the profile is deleted), across any
// number of sign-ins.
//
// Lock order: an auth.Session's lock comes before mu. The engine calls the
// Trace hook while it holds its session lock (a refresh traces from inside
// it, see auth/refresh.go), and the hook (tracer) takes mu; so no session
// method is ever called with mu held — callers copy what they need under mu,
// unlock, then ask the session. OnToken runs after the engine released its
// lock (auth's Session.announce), but keeps the same rule.
type profileState struct {
	mu      sync.Mutex
	status  string
	cancel  context.CancelFunc // cancels a running sign-in
	attempt int                // increments per sign-in or restore, so late events of an old attempt are dropped
	session *auth.Session
	// The trace of the last flow: its events, the attempt they belong to,
	// when it started, and how many forged callbacks it ignored (the
	// engine's count, see tracer).
	events       []auth.Event
	traceAttempt int
	started      time.Time
	ignored      int
	err          *view.Error
	userInfo     map[string]any
	refreshes    int
	rotations    int
	lastRT       string    // current refresh token, to count rotations
	tokenAt      time.Time // when the current tokens arrived
	restored     bool

	// grant is the grant of the current (or last) sign-in.
	grant auth.Grant
	// device is the device code a device sign-in shows while it waits.
	device *view.Device
	// handoff is a code sign-in's hand-over to the browser and back: while
	// it waits, and after a timeout while a paste can still finish it.
	handoff *handoff
	// exchangedFrom is, for a transient state made by ExchangeToken, the
	// id of the profile whose token was exchanged; "" for a stored profile.
	exchangedFrom string
}

// handoff is what a code sign-in needs to hand over to the browser and
// come back another way when the redirect cannot: the authorization URL
// (Copy, Open again), why the browser did not open, and where a pasted
// redirect goes — the running sign-in's PasteBox, or after a timeout with
// no callback the engine's PendingSignIn.
type handoff struct {
	url        string
	browserErr string
	box        *auth.PasteBox
	pending    *auth.PendingSignIn
	pasteOnly  bool
}

// newTraceLocked starts the empty trace of attempt. Callers hold mu.
func (state *profileState) newTraceLocked(attempt int) {
	state.events, state.traceAttempt, state.started, state.ignored = nil, attempt, time.Now(), 0
}

// stateFor returns the profile's state, creating an empty one.
func (d *Desk) stateFor(id string) *profileState {
	d.mu.Lock()
	defer d.mu.Unlock()
	state := d.states[id]
	if state == nil {
		state = &profileState{status: view.StatusSignedOut}
		d.states[id] = state
	}
	return state
}

// lookupState returns the profile's state, or nil when it has none (it
// creates nothing).
func (d *Desk) lookupState(id string) *profileState {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.states[id]
}

// takeState removes and returns a profile's state.
func (d *Desk) takeState(id string) *profileState {
	d.mu.Lock()
	defer d.mu.Unlock()
	state := d.states[id]
	delete(d.states, id)
	return state
}

// status is the profile's session status for the sidebar.
func (d *Desk) status(id string) string {
	d.mu.Lock()
	state := d.states[id]
	d.mu.Unlock()
	if state == nil {
		return view.StatusSignedOut
	}
	state.mu.Lock()
	st, sess := state.status, state.session
	state.mu.Unlock()
	return deriveStatus(st, sess, time.Now())
}

// deriveStatus refines a stored status with the session's own state: a
// session the provider ended is signed out, and one whose access token has
// expired with no way to refresh is expired. It calls session methods, so
// never with profileState.mu held (see profileState).
func deriveStatus(st string, sess *auth.Session, now time.Time) string {
	if st == view.StatusSignedIn && sess != nil {
		if sess.Ended() {
			return view.StatusSignedOut
		}
		t := sess.Token()
		// A service account's expired token is not the end: its token
		// source gets a new one with the client's own credentials.
		renewable := !t.RefreshToken.IsZero() || sess.Grant() == auth.GrantClientCredentials
		if !t.Expiry.IsZero() && now.After(t.Expiry) && !renewable {
			return view.StatusExpired
		}
	}
	return st
}

var errNotSignedIn = errors.New("not signed in: click Sign in first")

// currentSession returns the profile's live session, or an error that says
// to sign in.
func (d *Desk) currentSession(id string) (*profileState, *auth.Session, error) {
	state := d.stateFor(id)
	state.mu.Lock()
	sess := state.session
	state.mu.Unlock()
	if sess == nil || sess.Ended() {
		return state, nil, errNotSignedIn
	}
	return state, sess, nil
}
