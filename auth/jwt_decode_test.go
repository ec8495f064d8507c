package auth

import (
	"encoding/base64"
	"testing"
)

func TestDecodeJWTForDisplay(t *testing.T) {
	enc := base64.RawURLEncoding.EncodeToString
	raw := enc([]byte(`{"alg":"RS256","kid":"k1"}`)) + "." + enc([]byte(`{"sub":"alice","exp":1}`)) + ".sig"
	h, c, err := DecodeJWT(raw)
	if err != nil || h["kid"] != "k1" || c["sub"] != "alice" {
		t.Fatalf("DecodeJWT = %v %v %v", h, c, err)
	}
	if _, _, err := DecodeJWT("opaque-token-value"); err == nil {
		t.Error("an opaque token decoded as a JWT")
	}
}
