package desk

import (
	"context"
	"sync"
	"time"

	"pkcedesk/auth"
	"pkcedesk/view"
)

// flow is one profile's sign-in state: the running attempt (if any), the
// session it produced, and the trace of the last flow with its secrets,
// which only leave through an explicit reveal.
type flow struct {
	mu        sync.Mutex
	status    string
	cancel    context.CancelFunc // cancels a running sign-in
	attempt   int                // increments per sign-in, so late events of an old attempt are dropped
	session   *auth.Session
	events    []auth.Event
	started   time.Time
	err       *view.Error
	userInfo  map[string]any
	refreshes int
	rotations int
	lastRT    string    // current refresh token, to count rotations
	tokenAt   time.Time // when the current tokens arrived
	restored  bool
}

// flowFor returns the profile's flow, creating an empty one.
func (d *Desk) flowFor(id string) *flow {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.flows[id]
	if f == nil {
		f = &flow{status: view.StatusSignedOut}
		d.flows[id] = f
	}
	return f
}

// takeFlow removes and returns a profile's flow.
func (d *Desk) takeFlow(id string) *flow {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.flows[id]
	delete(d.flows, id)
	return f
}

// status is the profile's session status for the sidebar.
func (d *Desk) status(id string) string {
	d.mu.Lock()
	f := d.flows[id]
	d.mu.Unlock()
	if f == nil {
		return view.StatusSignedOut
	}
	f.mu.Lock()
	st, sess := f.status, f.session
	f.mu.Unlock()
	return deriveStatus(st, sess, time.Now())
}

// deriveStatus refines a stored status with the session's own state: a
// session the provider ended is signed out, and one whose access token has
// expired with no way to refresh is expired.
//
// Lock order: the engine calls Trace and OnToken hooks while holding its
// session lock, and those hooks take flow.mu. So session methods are never
// called with flow.mu held — callers copy what they need first.
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

// currentSession returns the profile's live session, or an error that says
// to sign in.
func (d *Desk) currentSession(id string) (*flow, *auth.Session, error) {
	f := d.flowFor(id)
	f.mu.Lock()
	sess := f.session
	f.mu.Unlock()
	if sess == nil || sess.Ended() {
		return f, nil, errNotSignedIn
	}
	return f, sess, nil
}
