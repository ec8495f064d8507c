package desk

import (
	"time"

	"pkcedesk/auth"
	"pkcedesk/store"
)

// keepTokens returns the engine's OnToken hook for a sign-in or a restore:
// it notes when the tokens arrived, counts refresh-token rotations, and —
// when the user asked to stay signed in — keeps the newest refresh token in
// the keychain at once (security rule 22, 32), so a rotation is never lost. A
// keychain that refuses is a warning notice; the session goes on.
func (d *Desk) keepTokens(id string, state *profileState, p store.Profile) func(auth.TokenSet) {
	return func(ts auth.TokenSet) {
		rt := ts.RefreshToken.Reveal()
		state.mu.Lock()
		if state.lastRT != "" && rt != "" && rt != state.lastRT {
			state.rotations++
		}
		if rt != "" {
			state.lastRT = rt
		}
		state.tokenAt = time.Now()
		state.mu.Unlock()
		if p.KeepSignedIn && rt != "" {
			if err := d.st().Secrets().Set(id, store.RefreshToken, rt); err != nil {
				d.emitNotice("warn", "The refresh token could not be kept in the keychain: "+err.Error())
			}
		}
	}
}
