package desk

import (
	"context"
	"encoding/json"
	"fmt"

	"pkcedesk/auth"
	"pkcedesk/view"
)

// RevealToken returns a token's real value ("access", "id" or "refresh") on
// the user's explicit click; presentation mode refuses (security rule 34).
func (d *Desk) RevealToken(id, kind string) (string, error) {
	if d.presentationMode() {
		return "", errPresentation
	}
	_, s, err := d.currentSession(id)
	if err != nil {
		return "", err
	}
	t := s.Token()
	var sec auth.Secret
	switch kind {
	case "access":
		sec = t.AccessToken
	case "id":
		sec = t.IDToken
	case "refresh":
		sec = t.RefreshToken
	default:
		return "", fmt.Errorf("unknown token %q: use access, id or refresh", kind)
	}
	if sec.IsZero() {
		return "", fmt.Errorf("this session has no %s token", kind)
	}
	return sec.Reveal(), nil
}

// Refresh refreshes the access token now. invalid_grant signs the profile
// out and says so (security rule 23).
func (d *Desk) Refresh(ctx context.Context, id string) (view.Session, error) {
	state, s, err := d.currentSession(id)
	if err != nil {
		return view.Session{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	_, err = s.Refresh(ctx)
	ended := s.Ended()
	state.mu.Lock()
	if err == nil {
		state.refreshes++
	} else if ended {
		state.status, state.err = view.StatusSignedOut, errorView(err)
	}
	state.mu.Unlock()
	v := d.Session(id)
	d.emit(EventSession, v)
	if err != nil {
		d.emit(EventProfiles, nil)
	}
	return v, err
}

// tokenKind maps the UI's names to RFC 7009 token_type_hint values.
func tokenKind(kind string) (auth.TokenKind, error) {
	switch kind {
	case "access", string(auth.AccessToken):
		return auth.AccessToken, nil
	case "refresh", string(auth.RefreshToken):
		return auth.RefreshToken, nil
	}
	return "", fmt.Errorf("unknown token %q: use access or refresh", kind)
}

// Revoke revokes one token at the provider (RFC 7009). The session keeps
// it, so the next API call shows what the provider now says.
func (d *Desk) Revoke(ctx context.Context, id, kind string) (view.Session, error) {
	k, err := tokenKind(kind)
	if err != nil {
		return view.Session{}, err
	}
	_, s, err := d.currentSession(id)
	if err != nil {
		return view.Session{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	err = s.Revoke(ctx, k)
	v := d.Session(id)
	d.emit(EventSession, v)
	return v, err
}

// Introspect asks the provider about a token (RFC 7662); the answer as
// pretty JSON.
func (d *Desk) Introspect(ctx context.Context, id, kind string) (string, error) {
	k, err := tokenKind(kind)
	if err != nil {
		return "", err
	}
	_, s, err := d.currentSession(id)
	if err != nil {
		return "", err
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	res, err := s.Introspect(ctx, k)
	if err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(res, "", "  ")
	return string(b), err
}

// UserInfo fetches the UserInfo endpoint again.
func (d *Desk) UserInfo(ctx context.Context, id string) (view.Session, error) {
	state, s, err := d.currentSession(id)
	if err != nil {
		return view.Session{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	ui, err := s.UserInfo(ctx)
	if err != nil {
		return d.Session(id), err
	}
	state.mu.Lock()
	state.userInfo = ui
	state.mu.Unlock()
	v := d.Session(id)
	d.emit(EventSession, v)
	return v, nil
}
