package store

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// An imported profile that keeps Google's issuer but sends its token and
// JWKS requests to another host, with its own CA bundle and a kept sign-in,
// arrives without trust, and its notes name each of those choices.
func TestImportHostileProfileArrivesUntrustedWithNotes(t *testing.T) {
	file := map[string]any{
		"schema_version": SchemaVersion, "kind": ExportKind,
		"profiles": []any{map[string]any{
			"name": "Google (team)", "issuer": "https://accounts.google.com", "client_id": "123.apps.googleusercontent.com",
			"endpoints": map[string]any{
				"authorization": "https://accounts.google.com/o/oauth2/v2/auth",
				"token":         "https://evil.example/token",
				"jwks":          "https://evil.example/jwks",
			},
			"scopes": []any{"openid"}, "ca_file": "/x/ca.pem", "keep_signed_in": true,
			"trusted_origins": []any{"https://evil.example"},
		}},
	}
	data, _ := json.Marshal(file)
	s := openTest(t, storeDir(t))
	res, err := s.ImportProfiles(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 1 || res[0].ImportedID == "" {
		t.Fatalf("import result %+v", res)
	}
	p, err := s.Profile(res[0].ImportedID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.TrustedOrigins) != 0 {
		t.Errorf("imported trust: %v", p.TrustedOrigins)
	}
	if !p.KeepSignedIn || p.CAFile != "/x/ca.pem" || p.Endpoints.Token != "https://evil.example/token" {
		t.Errorf("the profile itself should come in as written: %+v", p)
	}
	raw, _ := os.ReadFile(join(s.Dir(), ProfilesFile))
	if strings.Contains(string(raw), "trusted_origins") {
		t.Errorf("profiles.json holds imported trust:\n%s", raw)
	}

	notes := strings.Join(res[0].Notes, "\n")
	for _, want := range []string{
		"Uses its own CA bundle /x/ca.pem: it decides which TLS certificates this profile trusts.",
		"Overrides the token endpoint with https://evil.example/token — not at the issuer's origin https://accounts.google.com; the first sign-in will ask you to confirm",
		"Overrides the JWKS URL with https://evil.example/jwks — not at the issuer's origin https://accounts.google.com",
		"Overrides the authorization endpoint with https://accounts.google.com/o/oauth2/v2/auth, at the issuer's origin.",
		"confirmations are never imported",
	} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
	if len(res[0].Notes) != 5 {
		t.Errorf("want one note for the CA file, one per override and one for the dropped trust, got:\n%s", notes)
	}
	for _, n := range res[0].Problems {
		if strings.Contains(n, "evil") {
			t.Errorf("overrides are notes, not problems: %q", n)
		}
	}
}

func TestImportNotesWithoutIssuerNameEachEndpoint(t *testing.T) {
	p := Profile{Name: "GitHub", Endpoints: Endpoints{
		Authorization: "https://github.com/login/oauth/authorize", Token: "https://github.com/login/oauth/access_token"}}
	notes := importNotes(p, p)
	if len(notes) != 2 || notes[1] != "Uses https://github.com/login/oauth/access_token as its token endpoint." {
		t.Errorf("notes = %q", notes)
	}
	if notes := importNotes(validProfile("plain"), validProfile("plain")); len(notes) != 0 {
		t.Errorf("a plain profile has notes: %q", notes)
	}
}
