package desk

import (
	"context"

	"pkcedesk/store"
	"pkcedesk/view"
)

// SignOut revokes the tokens (RFC 7009) when the provider supports it, opens
// the provider's logout page (RP-initiated logout) in the system browser
// when it has one, and deletes the profile's kept refresh token.
func (d *Desk) SignOut(ctx context.Context, id string) (view.SignOutResult, error) {
	if err := d.ready(); err != nil {
		return view.SignOutResult{}, err
	}
	if d.exchangedFrom(id) != "" {
		return d.dropExchanged(ctx, id)
	}
	d.CancelSignIn(id)
	state := d.stateFor(id)
	state.mu.Lock()
	sess := state.session
	state.mu.Unlock()
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
	if err := d.st().Secrets().Delete(id, store.RefreshToken); err != nil {
		msgs = append(msgs, "The kept refresh token could not be deleted from the keychain: "+err.Error())
	} else {
		res.SecretsDeleted = true
	}
	state.mu.Lock()
	state.session, state.status, state.err, state.userInfo, state.lastRT = nil, view.StatusSignedOut, nil, nil, ""
	state.device, state.handoff = nil, nil
	state.mu.Unlock()
	res.Message = joinSentences(msgs, "Signed out.")
	d.emit(EventSession, d.Session(id))
	d.emit(EventProfiles, nil)
	return res, nil
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
