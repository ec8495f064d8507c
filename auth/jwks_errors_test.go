package auth

import (
	"net/http"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// A JWKS that cannot be loaded is told apart from a signature that does
// not verify: the first is the provider's (or network's) problem, the
// second a token to distrust.
func TestUnloadableJWKSIsNotABadSignature(t *testing.T) {
	op := newFakeOP(t)
	op.srv.Config.Handler.(*http.ServeMux).HandleFunc("GET /jwks-down", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "maintenance", http.StatusServiceUnavailable)
	})
	cfg := op.config()
	cfg.Endpoints.JWKS = op.issuer() + "/jwks-down"
	_, _, err := loginWith(t, cfg, newBrowser().open)
	ce := checkErr(t, err, "signature")
	if !strings.Contains(ce.Detail, "could not load the provider's keys") || !strings.Contains(ce.Detail, "503") {
		t.Errorf("detail = %q, want it to say the keys could not be loaded (HTTP 503)", ce.Detail)
	}

	op2 := newFakeOP(t)
	op2.signWith = func(payload []byte) string { // the wrong key under the right kid
		s, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: rsaKey(1), KeyID: "k1"}}, nil)
		jws, _ := s.Sign(payload)
		raw, _ := jws.CompactSerialize()
		return raw
	}
	_, _, err = loginWith(t, op2.config(), newBrowser().open)
	ce = checkErr(t, err, "signature")
	if strings.Contains(ce.Detail, "could not load") {
		t.Errorf("a forged signature read as a key-loading problem: %q", ce.Detail)
	}
}
