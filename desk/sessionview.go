package desk

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"pkcedesk/auth"
	"pkcedesk/view"
)

// Session is the profile's current session, every token masked.
func (d *Desk) Session(id string) view.Session {
	d.st() // the load marks kept profiles restoring: never answer "signed out" before it
	state := d.stateFor(id)
	now := time.Now()
	state.mu.Lock()
	v := view.Session{ProfileID: id, Status: state.status, Attempt: state.attempt, Error: state.err,
		Refreshes: state.refreshes, Rotations: state.rotations, Ignored: state.ignored, Restored: state.restored,
		Scopes: []string{}, Checks: []view.Check{}, ExchangedFrom: state.exchangedFrom}
	s, userInfo, tokenAt, grant := state.session, state.userInfo, state.tokenAt, state.grant
	if state.device != nil {
		dv := *state.device
		v.Device = &dv
	}
	v.Handoff = state.handoff.view(now)
	state.mu.Unlock()
	if grant == "" && state.exchangedFrom == "" && d.st() != nil {
		if p, err := d.st().Profile(id); err == nil {
			grant = auth.Grant(p.EffectiveGrant())
		}
	}
	v.Grant = grantName(grant)
	// No session method is called under state.mu (see profileState).
	v.Status = deriveStatus(v.Status, s, now)
	if s != nil && !s.Ended() {
		t := s.Token()
		claims := s.IDTokenClaims()
		v.Subject = s.Subject()
		v.DisplayName = firstString(claims, userInfo, "name", "preferred_username", "email", "sub")
		v.Email = firstString(claims, userInfo, "email")
		if !t.Expiry.IsZero() {
			v.ExpiresAt = t.Expiry.UTC().Format(time.RFC3339)
		}
		if t.Scope != "" {
			v.Scopes = strings.Fields(strings.ReplaceAll(t.Scope, ",", " "))
		}
		v.TokenType = t.TokenType
		v.AccessToken = tokenView(t.AccessToken, t.Expiry)
		if v.AccessToken.IssuedAt == "" && !tokenAt.IsZero() {
			// An opaque token has no iat: when it arrived is the start of
			// its lifetime for the countdown bar.
			v.AccessToken.IssuedAt = tokenAt.UTC().Format(time.RFC3339)
		}
		v.IDToken = tokenView(t.IDToken, time.Time{})
		v.RefreshToken = tokenView(t.RefreshToken, time.Time{})
		v.RefreshToken.Kind = "opaque" // never decoded: it is for the provider only
		v.RefreshToken.Header, v.RefreshToken.Claims = nil, nil
		if userInfo != nil {
			b, _ := json.MarshalIndent(userInfo, "", "  ")
			v.UserInfo = string(b)
		}
		for _, c := range s.Checks() {
			v.Checks = append(v.Checks, view.Check{Name: c.Name, OK: c.Passed, Detail: c.Detail, Why: c.Why})
		}
		md := s.Metadata()
		v.Grant = grantName(s.Grant())
		v.IssuedTokenType = s.IssuedTokenType()
		v.Capabilities = view.Abilities{
			// A service account's "refresh" asks for a new token.
			Refresh: !t.RefreshToken.IsZero() || s.Grant() == auth.GrantClientCredentials, Revoke: md.RevocationEndpoint != "",
			Introspect: md.IntrospectionEndpoint != "", UserInfo: md.UserInfoEndpoint != "",
			Logout: md.EndSessionEndpoint != "",
		}
	}
	return v
}

// tokenView masks a token and, when it is a JWT, decodes its header and
// claims for display (unverified: the checks live in the Flow tab).
func tokenView(s auth.Secret, expiry time.Time) view.Token {
	if s.IsZero() {
		return view.Token{Kind: "opaque"}
	}
	tv := view.Token{Present: true, Kind: "opaque", Masked: s.Mask()}
	if !expiry.IsZero() {
		tv.ExpiresAt = expiry.UTC().Format(time.RFC3339)
	}
	header, claims, err := auth.DecodeJWT(s.Reveal())
	if err != nil {
		return tv
	}
	tv.Kind = "jwt"
	tv.Header, tv.Claims = claimRows(header), claimRows(claims)
	hj, _ := json.MarshalIndent(header, "", "  ")
	cj, _ := json.MarshalIndent(claims, "", "  ")
	tv.RawHeader, tv.RawClaims = string(hj), string(cj)
	if exp, ok := claims["exp"].(float64); ok {
		tv.ExpiresAt = time.Unix(int64(exp), 0).UTC().Format(time.RFC3339)
	}
	if iat, ok := claims["iat"].(float64); ok {
		tv.IssuedAt = time.Unix(int64(iat), 0).UTC().Format(time.RFC3339)
	}
	return tv
}

func firstString(a, b map[string]any, keys ...string) string {
	for _, k := range keys {
		for _, m := range []map[string]any{a, b} {
			if s, ok := m[k].(string); ok && s != "" {
				return s
			}
		}
	}
	return ""
}

// fetchUserInfo loads UserInfo after a sign-in when the provider has it; a
// failure (including a sub mismatch, security rule 21) is shown in the trace
// and leaves the session signed in.
func (d *Desk) fetchUserInfo(ctx context.Context, id string, state *profileState, s *auth.Session) {
	if s.Metadata().UserInfoEndpoint == "" {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, opTimeout)
	defer cancel()
	ui, err := s.UserInfo(ctx)
	if err != nil {
		d.log.Debug("userinfo", "profile", id, "err", err)
		return
	}
	state.mu.Lock()
	state.userInfo = ui
	state.mu.Unlock()
}

// grantName is a grant as view.Session and view.Profile name it; a token
// exchange is "token_exchange" rather than its grant-type URN.
func grantName(g auth.Grant) string {
	switch g {
	case "":
		return ""
	case auth.GrantTokenExchange:
		return "token_exchange"
	}
	return string(g)
}
