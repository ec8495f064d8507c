package authparams

import "testing"

func TestIsReserved(t *testing.T) {
	for _, k := range []string{"state", " Nonce ", "CODE_VERIFIER", "client_secret", "response_mode", "request", "request_uri", "redirect_uri", "code_challenge_method"} {
		if !IsReserved(k) {
			t.Errorf("IsReserved(%q) = false", k)
		}
	}
	for _, k := range []string{"audience", "prompt", "login_hint", "resource", "acr_values", "requested"} {
		if IsReserved(k) {
			t.Errorf("IsReserved(%q) = true", k)
		}
	}
	r := Reserved()
	r[0] = "changed"
	if !IsReserved("response_type") {
		t.Error("Reserved returned the package's own slice")
	}
}
