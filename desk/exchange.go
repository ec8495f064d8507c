package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"pkcedesk/auth"
	"pkcedesk/store"
	"pkcedesk/view"
)

// exchangedSep joins a profile id and a counter into the id of a session
// made by ExchangeToken ("p-1a2b~x3"). Store ids never hold "~" (store's
// validID), so such an id never names a stored profile.
const exchangedSep = "~x"

// exchangeSeq numbers the exchanged sessions of one run.
var exchangeSeq atomic.Int64

// ExchangeToken exchanges one of the profile's current tokens for another
// at the provider's token endpoint (RFC 8693): the access token (the
// default) or the ID token as the subject, for the audience, resource and
// scope asked. The issued token becomes a session of its own under a new
// transient profile id — listed in the sidebar after its profile as
// "<name> → exchanged", usable in the inspector (Session, Trace,
// RevealToken, Introspect, Revoke) and the request console (Send, Curl)
// like any session — until it is signed out or the app quits. Its requests
// are kept in the history of the profile it came from. A failed exchange
// leaves no session and returns the provider's reason.
func (d *Desk) ExchangeToken(ctx context.Context, profileID string, req view.ExchangeRequest) (view.Profile, error) {
	if err := d.ready(); err != nil {
		return view.Profile{}, err
	}
	_, src, err := d.currentSession(profileID)
	if err != nil {
		return view.Profile{}, err
	}
	r := auth.ExchangeRequest{
		Audience: strings.Fields(req.Audience), Resource: strings.Fields(req.Resource),
		Scopes: strings.Fields(req.Scope), RequestedTokenType: strings.TrimSpace(req.RequestedTokenType),
	}
	switch req.SubjectToken {
	case "", "access", "access_token":
		r.SubjectToken = "access_token"
	case "id", "id_token":
		r.SubjectToken = "id_token"
	default:
		return view.Profile{}, fmt.Errorf("unknown subject token %q: use access or id", req.SubjectToken)
	}
	// The exchanged session belongs to the profile it came from: an
	// exchange of an exchanged session hangs off the same stored profile.
	root := profileID
	if from := d.exchangedFrom(profileID); from != "" {
		root = from
	}
	if _, err := d.st().Profile(root); err != nil {
		return view.Profile{}, err
	}
	id := fmt.Sprintf("%s%s%d", root, exchangedSep, exchangeSeq.Add(1))
	state := d.stateFor(id)
	state.mu.Lock()
	state.exchangedFrom, state.grant = root, auth.GrantTokenExchange
	state.attempt = 1
	state.status = view.StatusExchanging
	state.newTraceLocked(1)
	state.mu.Unlock()

	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	sess, err := src.ExchangeToken(ctx, r, auth.LoginOptions{
		Trace: d.tracer(id, state, 1), OnToken: d.keepTokens(id, state, store.Profile{}), Logger: d.log,
	})
	if err != nil {
		d.takeState(id)
		return view.Profile{}, err
	}
	state.mu.Lock()
	state.session, state.status = sess, view.StatusSignedIn
	state.mu.Unlock()
	d.emit(EventSession, d.Session(id))
	d.emit(EventProfiles, nil)
	p, _ := d.exchangedProfile(id)
	return profileView(p, d.status(id)), nil
}

// exchangedFrom returns, for an id made by ExchangeToken, the stored
// profile it came from; "" for any other id.
func (d *Desk) exchangedFrom(id string) string {
	if !strings.Contains(id, exchangedSep) {
		return ""
	}
	state := d.lookupState(id)
	if state == nil {
		return ""
	}
	state.mu.Lock()
	defer state.mu.Unlock()
	return state.exchangedFrom
}

// exchangedProfile is the profile an exchanged session stands on: the
// stored profile it came from (its provider, CA bundle, API base), under
// the session's own id and name. ok is false for any other id.
func (d *Desk) exchangedProfile(id string) (store.Profile, bool) {
	from := d.exchangedFrom(id)
	if from == "" || d.st() == nil {
		return store.Profile{}, false
	}
	p, err := d.st().Profile(from)
	if err != nil {
		return store.Profile{}, false
	}
	p = d.withDemo(p)
	p.ID, p.Name = id, p.Name+" → exchanged"
	p.BuiltIn, p.KeepSignedIn, p.HasClientSecret = false, false, false
	p.Grant = ""
	return p, true
}

// exchangedIDs lists the exchanged sessions made from profile from, in the
// order they were made.
func (d *Desk) exchangedIDs(from string) []string {
	d.mu.Lock()
	var ids []string
	for id := range d.states {
		if strings.HasPrefix(id, from+exchangedSep) {
			ids = append(ids, id)
		}
	}
	d.mu.Unlock()
	out := ids[:0]
	for _, id := range ids {
		if d.exchangedFrom(id) == from {
			out = append(out, id)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return exchangeNumber(a) - exchangeNumber(b) })
	return out
}

func exchangeNumber(id string) int {
	_, n, _ := strings.Cut(id[strings.LastIndex(id, exchangedSep):], exchangedSep)
	var v int
	_, _ = fmt.Sscan(n, &v)
	return v
}

// dropExchanged forgets an exchanged session, revoking its token when the
// provider supports it (as Sign out does).
func (d *Desk) dropExchanged(ctx context.Context, id string) (view.SignOutResult, error) {
	state := d.takeState(id)
	res := view.SignOutResult{SecretsDeleted: true, Message: "Exchanged session closed."}
	if state == nil {
		return res, nil
	}
	state.mu.Lock()
	sess := state.session
	state.mu.Unlock()
	if sess != nil && !sess.Ended() {
		octx, cancel := context.WithTimeout(ctx, opTimeout)
		err := sess.SignOut(octx)
		cancel()
		switch {
		case sess.Metadata().RevocationEndpoint == "":
			res.Message += " The provider offers no revocation, so the token stays valid until it expires."
		case err != nil:
			res.Message += " Revocation failed: " + err.Error()
		default:
			res.Revoked = true
			res.Message += " Token revoked at the provider."
		}
	}
	d.emit(EventSession, view.Session{ProfileID: id, Status: view.StatusSignedOut, Scopes: []string{}, Checks: []view.Check{}})
	d.emit(EventProfiles, nil)
	return res, nil
}

var errExchangedNotStored = errors.New("an exchanged session is not a saved profile: it lasts until you sign it out or quit")
