package store

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// A version-1 profiles.json (before grants) loads unchanged, without a
// notice: every profile is a code-grant profile with a loopback redirect,
// as version 1 meant. The next save writes version 2, carrying the new
// fields; a build that predates them then refuses the file (it sets a newer
// version aside) instead of dropping them.
func TestProfilesV1ReadAsV2AndSavedAsV2(t *testing.T) {
	dir := storeDir(t)
	v1 := `{"schema_version":1,"profiles":[{"id":"p-acme","name":"Acme","issuer":"https://acme.example.com","endpoints":{},
	  "client_id":"desk","auth_method":"none","has_client_secret":false,"scopes":["openid"],
	  "redirect_host":"127.0.0.1","redirect_port":0,"redirect_path":"/callback","timeout_seconds":300,"keep_signed_in":false}]}`
	writeFile(t, join(dir, ProfilesFile), v1, 0o600)

	s := openTest(t, dir)
	if ns := s.Notices(); len(ns) != 0 {
		t.Fatalf("notices = %+v, want none", ns)
	}
	p, err := s.Profile("p-acme")
	if err != nil {
		t.Fatal(err)
	}
	if p.Grant != "" || p.EffectiveGrant() != GrantAuthorizationCode || p.HostedRedirectURI != "" || p.Endpoints.DeviceAuthorization != "" {
		t.Fatalf("v1 profile read as %+v", p)
	}
	if p.RedirectURI() != "http://127.0.0.1/callback" {
		t.Errorf("RedirectURI = %q", p.RedirectURI())
	}
	if errs := p.Validate(); errs != nil {
		t.Errorf("v1 profile does not validate: %v", errs)
	}
	if b, _ := os.ReadFile(join(dir, ProfilesFile)); string(b) != v1 {
		t.Errorf("loading rewrote the file:\n%s", b)
	}

	dev := validProfile("Device")
	dev.Grant = GrantDevice
	dev.Endpoints.DeviceAuthorization = "https://login.example.com/device"
	mustSave(t, s, dev)
	b, _ := os.ReadFile(join(dir, ProfilesFile))
	var f struct {
		SchemaVersion int               `json:"schema_version"`
		Profiles      []json.RawMessage `json:"profiles"`
	}
	if err := json.Unmarshal(b, &f); err != nil || f.SchemaVersion != ProfilesSchemaVersion || len(f.Profiles) != 2 {
		t.Fatalf("saved file: version %d, %d profiles, %v", f.SchemaVersion, len(f.Profiles), err)
	}
	for _, want := range []string{`"grant": "device_code"`, `"device_authorization": "https://login.example.com/device"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("saved file lacks %s:\n%s", want, b)
		}
	}
	s2 := openTest(t, dir)
	if ns := s2.Notices(); len(ns) != 0 {
		t.Errorf("second open notices = %+v", ns)
	}
	if !reflect.DeepEqual(s2.Profiles(), s.Profiles()) {
		t.Errorf("round trip changed profiles:\n%+v\n%+v", s2.Profiles(), s.Profiles())
	}
}

// A profiles file newer than ProfilesSchemaVersion is set aside, as any
// newer file; settings and history keep their own version.
func TestProfilesV3IsNewer(t *testing.T) {
	dir := storeDir(t)
	writeFile(t, join(dir, ProfilesFile), `{"schema_version":3,"profiles":[]}`, 0o600)
	writeFile(t, join(dir, SettingsFile), `{"schema_version":1,"settings":{"theme":"dark"}}`, 0o600)
	s := openTest(t, dir, withClock(fixedClock()))
	ns := s.Notices()
	if len(ns) != 1 || ns[0].Code != NoticeNewerVersion || !strings.HasSuffix(ns[0].MovedTo, ".v3-20261125T130501Z") {
		t.Fatalf("notices = %+v, want one newer_version for profiles", ns)
	}
	if s.Settings().Theme != ThemeDark {
		t.Errorf("settings v1 not read: %+v", s.Settings())
	}
}

func TestValidateGrants(t *testing.T) {
	base := func(edit func(*Profile)) Profile {
		p := validProfile("P")
		edit(&p)
		return p
	}
	fields := func(p Profile) string {
		var out []string
		for _, e := range p.Validate() {
			out = append(out, e.Field+": "+e.Message)
		}
		return strings.Join(out, "\n")
	}
	for _, c := range []struct {
		name string
		p    Profile
		want string // substring of the errors, "" for valid
	}{
		{"code grant by default", base(func(p *Profile) {}), ""},
		{"unknown grant", base(func(p *Profile) { p.Grant = "password" }), `grant: Choose the sign-in method`},
		{"device with issuer", base(func(p *Profile) { p.Grant = GrantDevice }), ""},
		{"device without issuer needs its endpoints", base(func(p *Profile) {
			p.Grant, p.Issuer, p.Endpoints.Token = GrantDevice, "", "https://a.example/token"
		}), "device authorization and token endpoints"},
		{"device endpoints alone", base(func(p *Profile) {
			p.Grant, p.Issuer = GrantDevice, ""
			p.Endpoints.Token, p.Endpoints.DeviceAuthorization = "https://a.example/token", "https://a.example/device"
		}), ""},
		{"device endpoint over plain http", base(func(p *Profile) {
			p.Grant, p.Endpoints.DeviceAuthorization = GrantDevice, "http://a.example/device"
		}), "endpoints.device_authorization: "},
		{"client credentials needs a secret method", base(func(p *Profile) { p.Grant = GrantClientCredentials }),
			"auth_method: A service account proves who it is"},
		{"client credentials with a secret", base(func(p *Profile) {
			p.Grant, p.AuthMethod, p.HasClientSecret = GrantClientCredentials, AuthClientSecretBasic, true
		}), ""},
		{"client credentials with only a token endpoint", base(func(p *Profile) {
			p.Grant, p.AuthMethod, p.HasClientSecret, p.Issuer = GrantClientCredentials, AuthClientSecretPost, true, ""
			p.Endpoints.Token = "https://a.example/token"
		}), ""},
		{"hosted redirect", base(func(p *Profile) { p.HostedRedirectURI = "https://app.example.com/cb" }), ""},
		{"hosted redirect over http", base(func(p *Profile) { p.HostedRedirectURI = "http://app.example.com/cb" }), "redirect_uri: A hosted redirect URI must use https"},
		{"hosted redirect on loopback", base(func(p *Profile) { p.HostedRedirectURI = "https://127.0.0.1/cb" }), "redirect_uri: This is a loopback address"},
		{"hosted redirect with fragment", base(func(p *Profile) { p.HostedRedirectURI = "https://app.example.com/cb#x" }), "redirect_uri: A redirect URI has no #fragment"},
		{"hosted redirect not a URL", base(func(p *Profile) { p.HostedRedirectURI = "app.example.com/cb" }), "redirect_uri: \"app.example.com/cb\" is not a full URL"},
		{"hosted redirect with the device grant", base(func(p *Profile) {
			p.Grant, p.HostedRedirectURI = GrantDevice, "https://app.example.com/cb"
		}), "redirect_uri: Only the browser sign-in uses a redirect URI"},
	} {
		got := fields(c.p)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: errors\n%s\nwant %q", c.name, got, c.want)
		}
	}
	if got := base(func(p *Profile) { p.HostedRedirectURI = " https://app.example.com/cb " }).RedirectURI(); got != "https://app.example.com/cb" {
		t.Errorf("RedirectURI = %q", got)
	}
}

// Export and import carry the grant, the hosted redirect URI and the
// device endpoint; the device endpoint counts as an endpoint override for
// the import notes and the foreign-origin check.
func TestExportImportCarryGrants(t *testing.T) {
	s := openTest(t, storeDir(t))
	dev := validProfile("Device")
	dev.Grant = GrantDevice
	dev.Endpoints.DeviceAuthorization = "https://other.example.net/device"
	cc := validProfile("Service")
	cc.Grant, cc.AuthMethod, cc.HasClientSecret = GrantClientCredentials, AuthClientSecretBasic, true
	hosted := validProfile("Hosted")
	hosted.HostedRedirectURI = "https://app.example.com/cb"
	mustSave(t, s, dev)
	mustSave(t, s, cc)
	mustSave(t, s, hosted)
	data, err := s.ExportProfiles(nil)
	if err != nil {
		t.Fatal(err)
	}
	s2 := openTest(t, storeDir(t))
	res, err := s2.ImportProfiles(data)
	if err != nil || len(res) != 3 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	byName := map[string]Profile{}
	for _, p := range s2.Profiles() {
		byName[p.Name] = p
	}
	if p := byName["Device"]; p.Grant != GrantDevice || p.Endpoints.DeviceAuthorization != dev.Endpoints.DeviceAuthorization {
		t.Errorf("device profile imported as %+v", p)
	}
	if p := byName["Service"]; p.Grant != GrantClientCredentials || p.AuthMethod != AuthClientSecretBasic || p.HasClientSecret {
		t.Errorf("service profile imported as %+v", p)
	}
	if p := byName["Hosted"]; p.HostedRedirectURI != hosted.HostedRedirectURI {
		t.Errorf("hosted profile imported as %+v", p)
	}
	notes := strings.Join(res[0].Notes, "\n")
	if !strings.Contains(notes, "device authorization endpoint") || !strings.Contains(notes, "not at the issuer's origin") {
		t.Errorf("device import notes = %q", notes)
	}
	if got := byName["Device"].ForeignOrigins(); len(got) != 1 || got[0] != "https://other.example.net" {
		t.Errorf("ForeignOrigins = %v", got)
	}
}
