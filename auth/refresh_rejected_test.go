package auth

import (
	"context"
	"errors"
	"sync"
	"testing"
)

// A refresh whose answer fails a check keeps the rotated refresh token
// (the provider already retired the old one), announces it so a kept
// session's keychain follows, and the session recovers on the next refresh.
func TestRejectedRefreshKeepsTheRotatedRefreshToken(t *testing.T) {
	op := newFakeOP(t)
	op.rotate, op.idOnRefresh = true, true
	var mu sync.Mutex
	var announced []string
	s := signIn(t, op, LoginOptions{OnToken: func(ts TokenSet) {
		mu.Lock()
		announced = append(announced, ts.RefreshToken.Reveal())
		mu.Unlock()
	}})
	before := s.Token()
	op.claimsEdit = func(c map[string]any) { c["sub"] = "user-2" }
	_, err := s.Refresh(context.Background())
	var rr *RefreshRejectedError
	if !errors.As(err, &rr) || !rr.KeptRotated {
		t.Fatalf("Refresh = %v, want *RefreshRejectedError with the rotated token kept", err)
	}
	checkErr(t, err, "same user")
	after := s.Token()
	if after.RefreshToken.Reveal() == before.RefreshToken.Reveal() {
		t.Fatal("the rotated refresh token was thrown away; the provider has already retired the old one")
	}
	if after.AccessToken.Reveal() != before.AccessToken.Reveal() || s.Subject() != "user-1" {
		t.Error("tokens from a rejected answer were used")
	}
	mu.Lock()
	last := announced[len(announced)-1]
	mu.Unlock()
	if last != after.RefreshToken.Reveal() {
		t.Error("the kept rotated refresh token was not announced (the keychain would keep the dead one)")
	}
	op.claimsEdit = nil
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatalf("the session did not recover with the kept refresh token: %v", err)
	}
}
