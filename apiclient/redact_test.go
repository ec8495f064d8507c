package apiclient

import "testing"

func TestRedactString(t *testing.T) {
	for in, want := range map[string]string{
		`Get "https://h/cb?code=abc&state=xyz": EOF`:       `Get "https://h/cb?code=[redacted]&state=xyz": EOF`,
		"https://h/?x=1&access_token=eyJ.a.b#f":            "https://h/?x=1&access_token=[redacted]#f",
		"https://h/?ACCESS_TOKEN=T1;refresh_token=R1":      "https://h/?ACCESS_TOKEN=[redacted];refresh_token=[redacted]",
		"error_code=42&key=K":                              "error_code=42&key=[redacted]",
		"client_secret=s3&grant_type=refresh_token":        "client_secret=[redacted]&grant_type=refresh_token",
		"Authorization: Bearer eyJhbGciOi.x-y_z~+/==":      "Authorization: Bearer [redacted]",
		"auth: DPoP abc, basic dXNlcjpwYXNz":               "auth: DPoP [redacted], basic [redacted]",
		`{"access_token": "AT\"x", "token_type":"Bearer"}`: `{"access_token": "[redacted]", "token_type":"Bearer"}`,
		`{"error":"invalid_grant","refresh_token" : "RT"}`: `{"error":"invalid_grant","refresh_token" : "[redacted]"}`,
		"https://user:pa55@h/p":                            "https://user:[redacted]@h/p",
		"nothing secret here: token_type=bearer, encode=x": "nothing secret here: token_type=bearer, encode=x",
		"(token=abc)": "(token=[redacted])",
	} {
		if got := RedactString(in); got != want {
			t.Errorf("RedactString(%q)\n = %q\nwant %q", in, got, want)
		}
	}
}

func TestSensitiveNames(t *testing.T) {
	for _, n := range []string{"access_token", "Code", "CLIENT_SECRET", "password", "token"} {
		if !IsSensitiveParam(n) {
			t.Errorf("%s not sensitive", n)
		}
	}
	for _, n := range []string{"state", "scope", "grant_type", "token_type", "codes"} {
		if IsSensitiveParam(n) {
			t.Errorf("%s sensitive", n)
		}
	}
	for _, h := range []string{"authorization", "Cookie", "proxy-authorization", "set-cookie", "DPoP", "dpop", " Authorization "} {
		if !IsCredentialHeader(h) {
			t.Errorf("%s not a credential header", h)
		}
	}
	if IsCredentialHeader("Accept") {
		t.Error("Accept is a credential header")
	}
}
