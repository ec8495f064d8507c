package store

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"

	"pkcedesk/internal/origin"
)

// hostileGoogle is a profile that keeps Google's real issuer (so every
// ID-token check passes) while its token and JWKS endpoints point elsewhere.
func hostileGoogle() Profile {
	return Profile{
		Name: "Google (shared)", Issuer: "https://accounts.google.com", ClientID: "123.apps.googleusercontent.com",
		Endpoints: Endpoints{
			Authorization: "https://accounts.google.com/o/oauth2/v2/auth",
			Token:         "https://evil.example/token",
			JWKS:          "https://evil.example/jwks",
		},
		Scopes: []string{"openid"},
	}
}

func TestForeignEndpointsAreOverridesOffTheIssuersOrigin(t *testing.T) {
	p := hostileGoogle()
	want := []origin.Endpoint{
		{Name: "token endpoint", URL: "https://evil.example/token", Origin: "https://evil.example"},
		{Name: "JWKS URL", URL: "https://evil.example/jwks", Origin: "https://evil.example"},
	}
	if got := p.ForeignEndpoints(); !reflect.DeepEqual(got, want) {
		t.Errorf("ForeignEndpoints =\n%+v\nwant\n%+v", got, want)
	}
	if got := p.ForeignOrigins(); !reflect.DeepEqual(got, []string{"https://evil.example"}) {
		t.Errorf("ForeignOrigins = %v", got)
	}
	p.Issuer = ""
	if got := p.ForeignEndpoints(); got != nil {
		t.Errorf("without an issuer nothing is foreign, got %+v", got)
	}
	if got := validProfile("plain").ForeignEndpoints(); got != nil {
		t.Errorf("no overrides: %+v", got)
	}
}

func TestTrustEndpointOriginsAcceptsOnlyCurrentForeignOrigins(t *testing.T) {
	dir := storeDir(t)
	s := openTest(t, dir)
	p := mustSave(t, s, hostileGoogle())
	plain := mustSave(t, s, validProfile("Plain"))

	for _, bad := range [][]string{
		{"https://accounts.google.com"},                   // the issuer's own origin
		{"https://unrelated.example"},                     // no override points there
		{"https://evil.example", "https://other.example"}, // one bad one spoils the call
		{"not a url"},
		{},
	} {
		if _, err := s.TrustEndpointOrigins(p.ID, bad); err == nil {
			t.Errorf("TrustEndpointOrigins(%q) accepted", bad)
		}
	}
	if got, _ := s.Profile(p.ID); len(got.TrustedOrigins) != 0 {
		t.Fatalf("a refused call saved trust: %v", got.TrustedOrigins)
	}
	_, err := s.TrustEndpointOrigins(p.ID, []string{"https://accounts.google.com"})
	if err == nil || !strings.Contains(err.Error(), "https://evil.example") {
		t.Errorf("the error should name what can be confirmed: %v", err)
	}
	if _, err := s.TrustEndpointOrigins(plain.ID, []string{"https://login.example.com"}); err == nil || !strings.Contains(err.Error(), "nothing to confirm") {
		t.Errorf("profile without foreign endpoints: %v", err)
	}

	got, err := s.TrustEndpointOrigins(p.ID, []string{"https://EVIL.example:443/anything", "https://evil.example"})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.TrustedOrigins, []string{"https://evil.example"}) {
		t.Errorf("trusted = %v, want the origin once, normalized", got.TrustedOrigins)
	}
	again, _ := openTest(t, dir).Profile(p.ID)
	if !reflect.DeepEqual(again.TrustedOrigins, []string{"https://evil.example"}) {
		t.Errorf("after reopening: %v", again.TrustedOrigins)
	}
}

func TestSaveProfileNeverTakesTrustFromTheCaller(t *testing.T) {
	s := openTest(t, storeDir(t))
	in := hostileGoogle()
	in.TrustedOrigins = []string{"https://evil.example"}
	p := mustSave(t, s, in)
	if len(p.TrustedOrigins) != 0 {
		t.Fatalf("a new profile came with trust: %v", p.TrustedOrigins)
	}
	if _, err := s.TrustEndpointOrigins(p.ID, []string{"https://evil.example"}); err != nil {
		t.Fatal(err)
	}
	// An edit that keeps issuer and overrides keeps the stored trust, even
	// when the caller sends another list.
	p.Name = "Renamed"
	p.TrustedOrigins = []string{"https://attacker.example"}
	if saved := mustSave(t, s, p); !reflect.DeepEqual(saved.TrustedOrigins, []string{"https://evil.example"}) {
		t.Errorf("same issuer, same overrides: trusted = %v", saved.TrustedOrigins)
	}
	// Changing the issuer forgets every confirmation.
	p.Issuer = "https://login.example.com"
	if saved := mustSave(t, s, p); len(saved.TrustedOrigins) != 0 {
		t.Errorf("issuer changed but trust kept: %v", saved.TrustedOrigins)
	}
}

func TestSaveProfilePrunesTrustNoOverrideUses(t *testing.T) {
	s := openTest(t, storeDir(t))
	p := mustSave(t, s, hostileGoogle())
	if _, err := s.TrustEndpointOrigins(p.ID, []string{"https://evil.example"}); err != nil {
		t.Fatal(err)
	}
	p.Endpoints.JWKS = "" // the token endpoint still uses evil.example
	if saved := mustSave(t, s, p); !reflect.DeepEqual(saved.TrustedOrigins, []string{"https://evil.example"}) {
		t.Errorf("origin still used, trust dropped: %v", saved.TrustedOrigins)
	}
	p.Endpoints.Token = ""
	if saved := mustSave(t, s, p); len(saved.TrustedOrigins) != 0 {
		t.Errorf("no override uses the origin any more, trust kept: %v", saved.TrustedOrigins)
	}
	// Pointing an override there again asks again.
	p.Endpoints.Token = "https://evil.example/token"
	if saved := mustSave(t, s, p); len(saved.TrustedOrigins) != 0 {
		t.Errorf("re-added override came back trusted: %v", saved.TrustedOrigins)
	}
}

func TestTrustIsNeitherDuplicatedNorExported(t *testing.T) {
	s := openTest(t, storeDir(t))
	p := mustSave(t, s, hostileGoogle())
	if _, err := s.TrustEndpointOrigins(p.ID, []string{"https://evil.example"}); err != nil {
		t.Fatal(err)
	}
	dup, err := s.DuplicateProfile(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(dup.TrustedOrigins) != 0 {
		t.Errorf("the copy inherited trust: %v", dup.TrustedOrigins)
	}
	data, err := s.ExportProfiles([]string{p.ID})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "trusted_origins") {
		t.Errorf("export carries trust:\n%s", data)
	}
	var f exportFile
	if err := json.Unmarshal(data, &f); err != nil || len(f.Profiles) != 1 || f.Profiles[0].Endpoints.Token != "https://evil.example/token" {
		t.Errorf("export lost the profile: %v %+v", err, f.Profiles)
	}
	raw, _ := os.ReadFile(join(s.Dir(), ProfilesFile))
	if !strings.Contains(string(raw), `"trusted_origins"`) {
		t.Errorf("the user's own profiles.json should keep the confirmation:\n%s", raw)
	}
}
