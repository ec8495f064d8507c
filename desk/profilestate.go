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
		if !t.Expiry.IsZero() && now.After(t.Expiry) && t.RefreshToken.IsZero() {
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
