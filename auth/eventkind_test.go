package auth

import (
	"context"
	"slices"
	"testing"
)

// Every event carries a kind, and a sign-in tells its story in the kinds
// code relies on, in order (messages may change wording; kinds may not).
func TestEveryEventHasAKindInFlowOrder(t *testing.T) {
	op := newFakeOP(t)
	ev := &events{}
	s := signIn(t, op, LoginOptions{Trace: ev.add})
	if _, err := s.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserInfo(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.SignOut(context.Background()); err != nil {
		t.Fatal(err)
	}
	var kinds []EventKind
	for _, e := range ev.all() {
		if e.Kind == "" {
			t.Errorf("event without a kind: %v", e)
		}
		if e.Check != nil && e.Kind != KindCheck {
			t.Errorf("a check event has kind %q", e.Kind)
		}
		if len(kinds) == 0 || kinds[len(kinds)-1] != e.Kind {
			kinds = append(kinds, e.Kind)
		}
	}
	want := []EventKind{KindDiscovered, KindListenerUp, KindPKCE, KindAuthorizationURL, KindBrowserOpened,
		KindCallbackReceived, KindListenerClosed, KindCheck, KindTokenRequest, KindTokenResponse, KindCheck, KindScopeGranted, KindSignedIn,
		KindRefreshRequest, KindRefreshResponse, KindUserInfoRequest, KindCheck, KindUserInfo,
		KindRevokeRequest, KindRevoked, KindRevokeRequest, KindRevoked, KindSignedOut}
	pos := 0
	for _, k := range kinds {
		if pos < len(want) && k == want[pos] {
			pos++
		}
	}
	if pos != len(want) {
		t.Errorf("kinds %v\ndo not contain, in order, %v (stuck at %q)", kinds, want, want[min(pos, len(want)-1)])
	}
	if !slices.Contains(kinds, KindCallbackReceived) {
		t.Error("no callback_received: desk's status could not move to exchanging")
	}
}
