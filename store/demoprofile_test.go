package store

import (
	"reflect"
	"testing"
)

func TestDemoProfileFirstLaunch(t *testing.T) {
	dir := storeDir(t)
	s := openTest(t, dir)
	demo, err := s.EnsureDemoProfile("http://127.0.0.1:0/")
	if err != nil {
		t.Fatal(err)
	}
	if demo.ID != DemoProfileID || !demo.BuiltIn || demo.Preset != "demo" || demo.Name != "Demo provider" || demo.Issuer != "http://127.0.0.1:0/" {
		t.Errorf("demo = %+v", demo)
	}
	if errs := demo.Validate(); errs != nil {
		t.Errorf("demo does not validate: %v", errs)
	}
	if s.Settings().SelectedProfileID != DemoProfileID {
		t.Errorf("demo not selected on first launch: %+v", s.Settings())
	}

	// Later launches leave the user's edits and selection alone.
	demo.Scopes = []string{"openid"}
	mustSave(t, s, demo)
	other := mustSave(t, s, validProfile("Other"))
	if _, err := s.SaveSettings(Settings{SelectedProfileID: other.ID}); err != nil {
		t.Fatal(err)
	}
	s2 := openTest(t, dir)
	again, err := s2.EnsureDemoProfile("http://ignored/")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again.Scopes, []string{"openid"}) || again.Issuer != "http://127.0.0.1:0/" {
		t.Errorf("existing demo changed: %+v", again)
	}
	if s2.Settings().SelectedProfileID != other.ID {
		t.Errorf("selection changed to %q", s2.Settings().SelectedProfileID)
	}
	if ps := s2.Profiles(); len(ps) != 4 || ps[0].ID != DemoProfileID || ps[1].ID != DemoDeviceProfileID || ps[2].ID != DemoServiceProfileID {
		t.Errorf("demo profiles not listed first: %+v", ps)
	}
}

// Each built-in demo profile shows one grant, validates as it is, and is
// built-in (not deletable, never exported). A store from before the device
// and service built-ins gets them added after its demo profile, the user's
// edits and selection kept.
func TestDemoProfilesOnePerGrant(t *testing.T) {
	dir := storeDir(t)
	s := openTest(t, dir)
	if _, err := s.EnsureDemoProfile(DemoIssuerPlaceholder); err != nil {
		t.Fatal(err)
	}
	grants := map[string]Grant{}
	for _, p := range s.Profiles() {
		if !p.BuiltIn || p.Preset != DemoPresetID {
			t.Errorf("%s: built_in %v preset %q", p.ID, p.BuiltIn, p.Preset)
		}
		if errs := p.Validate(); errs != nil {
			t.Errorf("%s does not validate: %v", p.ID, errs)
		}
		grants[p.ID] = p.EffectiveGrant()
		if err := s.DeleteProfile(p.ID); err != ErrBuiltIn {
			t.Errorf("delete %s = %v", p.ID, err)
		}
	}
	want := map[string]Grant{DemoProfileID: GrantAuthorizationCode, DemoDeviceProfileID: GrantDevice, DemoServiceProfileID: GrantClientCredentials}
	if !reflect.DeepEqual(grants, want) {
		t.Errorf("grants = %v, want %v", grants, want)
	}
	if svc, _ := s.Profile(DemoServiceProfileID); svc.ClientID != DemoServiceClientID || !svc.AuthMethod.NeedsSecret() {
		t.Errorf("service profile = %+v", svc)
	}

	// An older store: only the demo profile (edited) and one of the user's.
	old := storeDir(t)
	writeFile(t, join(old, ProfilesFile), `{"schema_version":1,"profiles":[
	  {"id":"p-mine","name":"Mine","issuer":"https://a.example","client_id":"x"},
	  {"id":"demo","name":"My demo","preset":"demo","built_in":true,"issuer":"http://127.0.0.1/","client_id":"pkce-desk-demo","scopes":["openid"]}]}`, 0o600)
	s2 := openTest(t, old)
	if _, err := s2.EnsureDemoProfile(DemoIssuerPlaceholder); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range s2.Profiles() {
		ids = append(ids, p.ID)
	}
	if !reflect.DeepEqual(ids, []string{DemoProfileID, DemoDeviceProfileID, DemoServiceProfileID, "p-mine"}) {
		t.Errorf("ids = %v", ids)
	}
	if d, _ := s2.Profile(DemoProfileID); d.Name != "My demo" {
		t.Errorf("the user's demo edits were lost: %+v", d)
	}
	if p, _ := openTest(t, old).Profile(DemoDeviceProfileID); !p.BuiltIn {
		t.Errorf("device demo not built-in after reopening: %+v", p)
	}
}
