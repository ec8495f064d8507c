package redact

import (
	"strings"
	"testing"
)

func TestTextKnownValuesInEveryEncoding(t *testing.T) {
	secret := "s3cr3t/with+plus&amp"
	basic := BasicCredentials("my-client", secret)
	in := "echo: " + secret + " form: " + "x=" + "s3cr3t%2Fwith%2Bplus%26amp" + " hdr: Authorization: Basic " + basic + " raw64 " + basic
	out := Text(in, secret, basic)
	for _, leak := range []string{secret, "s3cr3t%2Fwith%2Bplus%26amp", basic} {
		if strings.Contains(out, leak) {
			t.Errorf("Text left %q in %q", leak, out)
		}
	}
	if !strings.Contains(out, "echo: "+Marker) {
		t.Errorf("known value not replaced by the marker: %q", out)
	}
}

func TestTextTokenShapedFields(t *testing.T) {
	cases := map[string]string{
		`{"access_token":"AT-123456","token_type":"Bearer","expires_in":3600}`:            "AT-123456",
		`{"refresh_token" : "RT-abcdef"}`:                                                 "RT-abcdef",
		`grant_type=authorization_code&code=CODE-XYZ&code_verifier=VER-abc&client_id=app`: "CODE-XYZ",
		`received code_verifier=VER-abcdef and more`:                                      "VER-abcdef",
		`<td>client_secret</td><td>`:                                                      "", // a bare name is not a value
		`client_secret: hunter22 was wrong`:                                               "hunter22",
		`Authorization: Bearer abc.def-ghi`:                                               "abc.def-ghi",
		`id eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln here`:                               "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln",
		`https://user:pa55word@example.com/`:                                              "pa55word",
		`{"token": 123456789}`:                                                            "123456789",
	}
	for in, leak := range cases {
		out := Text(in)
		if leak != "" && strings.Contains(out, leak) {
			t.Errorf("Text(%q) = %q still holds %q", in, out, leak)
		}
	}
	for _, keep := range []string{"error_code=42", "invalid_grant", "token_type", "client_id=app", "expires_in"} {
		in := `{"error":"invalid_grant"} error_code=42 token_type client_id=app expires_in`
		if out := Text(in); !strings.Contains(out, keep) {
			t.Errorf("Text dropped the harmless %q: %q", keep, out)
		}
	}
}

func TestTextShortKnownValuesAreNotReplaced(t *testing.T) {
	if out := Text("status is s and more", "s"); out != "status is s and more" {
		t.Errorf("a one-letter known value replaced ordinary text: %q", out)
	}
}

func TestIsSensitiveName(t *testing.T) {
	if !IsSensitiveName("Client_Secret") || IsSensitiveName("client_id") {
		t.Error("IsSensitiveName")
	}
}

// The scan that skips the name patterns must never skip a text they would
// change: every sensitive name holds one of the stems.
func TestNameStemsCoverEverySensitiveName(t *testing.T) {
	for _, name := range sensitiveNames {
		if !containsAny(strings.ToLower(name), nameStems) {
			t.Errorf("sensitive name %q holds none of the stems %q: Text would skip it", name, nameStems)
		}
	}
	for _, in := range []string{"ACCESS_TOKEN=abcdef123", "Authorization: BEARER abc.def", "https://u:PW123456@h/"} {
		if out := Text(in); out == in {
			t.Errorf("Text(%q) changed nothing: the scan skipped it", in)
		}
	}
}

func BenchmarkTextPlainBody(b *testing.B) {
	body := strings.Repeat(`{"id":12345,"name":"widget","tags":["a","b"],"price":9.99},`, 64)
	for b.Loop() {
		_ = Text(body)
	}
}
