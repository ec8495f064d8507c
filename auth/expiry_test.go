package auth

import (
	"net/http"
	"testing"
	"time"
)

// A huge expires_in is clamped instead of overflowing into the past (which
// made every request refresh).
func TestHugeExpiresInIsClamped(t *testing.T) {
	now := time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	h := http.Header{"Content-Type": {"application/json"}}
	for _, v := range []string{"1e10", "10000000000", "9223372036854775807", "1e300"} {
		body := []byte(`{"access_token":"at","token_type":"Bearer","expires_in":` + v + `}`)
		r, err := parseTokenResponse("token", 200, h, body, now, nil)
		if err != nil {
			t.Fatalf("expires_in %s: %v", v, err)
		}
		if !r.Clamped || r.ExpiresIn != MaxExpiresIn || !r.Expiry.Equal(now.Add(MaxExpiresIn*time.Second)) {
			t.Errorf("expires_in %s: expiry %v (clamped %v), want now + 10 years", v, r.Expiry, r.Clamped)
		}
		s := &Session{c: &client{now: func() time.Time { return now }}, tokens: r.TokenSet}
		if !s.validLocked() {
			t.Errorf("expires_in %s: the token reads as expired, so every request would refresh", v)
		}
	}
	if _, err := parseTokenResponse("token", 200, h, []byte(`{"access_token":"at","token_type":"Bearer","expires_in":-1e30}`), now, nil); err == nil {
		t.Error("a negative expires_in must still be refused")
	}
}
