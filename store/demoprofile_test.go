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
	if ps := s2.Profiles(); len(ps) != 2 || ps[0].ID != DemoProfileID {
		t.Errorf("demo not listed first: %+v", ps)
	}
}
