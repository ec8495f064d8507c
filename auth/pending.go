package auth

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// PendingWindow is how long after a timeout a pasted redirect can still
// finish a code-grant sign-in (NoCallbackError.Pending).
const PendingWindow = 10 * time.Minute

// PendingSignIn is a code-grant sign-in that timed out with nothing back:
// its listener is closed, but its state, nonce and PKCE verifier are kept
// in memory for PendingWindow so the redirect the browser could not
// deliver can still be pasted. Safe for concurrent use; it finishes once.
type PendingSignIn struct {
	s       *Session
	ar      authRequest
	t       *pasteTarget
	expires time.Time
}

func (s *Session) newPending(g *gate, ar authRequest) *PendingSignIn {
	return &PendingSignIn{s: s, ar: ar, t: &pasteTarget{g: g, tr: s.tr}, expires: s.c.now().Add(PendingWindow)}
}

// Expires is when the pending sign-in stops accepting a paste: ten
// minutes after the timeout.
func (p *PendingSignIn) Expires() time.Time { return p.expires }

// errPendingExpired means the paste came after Expires.
var errPendingExpired = fmt.Errorf("%w: the ten minutes to paste the redirect of this sign-in have passed; sign in again", ErrTimeout)

// Paste finishes the sign-in with a pasted redirect (a full URL or its
// query), under the same checks as PasteBox.Submit: a refused paste
// returns a *PasteError and the sign-in can still be pasted again; an
// accepted one goes on to the code exchange and ID-token checks (bounded by
// ctx and Config.Timeout) and returns the signed-in session, or the
// sign-in's error. After Expires it returns an error wrapping ErrTimeout.
func (p *PendingSignIn) Paste(ctx context.Context, raw string) (*Session, error) {
	s := p.s
	if s.c.now().After(p.expires) {
		return nil, errPendingExpired
	}
	if err := p.t.submit(raw); err != nil && !p.t.g.isDone() {
		return nil, err
	}
	var acc accepted
	select {
	case acc = <-p.t.g.result:
	default:
		// Another Paste call took the accepted response.
		return nil, &PasteError{Reason: reasonUsed}
	}
	wctx, cancel := context.WithTimeoutCause(ctx, s.c.cfg.timeout(), ErrTimeout)
	defer cancel()
	err := s.finishCode(wctx, ctx, acc, p.ar)
	if err != nil {
		if ctx.Err() != nil && !errors.Is(err, ErrCanceled) && !errors.Is(err, ErrTimeout) {
			err = fmt.Errorf("%w: %w", ctxErr(ctx), err)
		}
		s.tr.fail(StepError, KindError, err.Error())
		return nil, err
	}
	s.signedIn()
	return s, nil
}
