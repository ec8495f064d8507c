package store

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"pkcedesk/apiclient"
)

func TestSaveProfileAssignsIDAndDefaultsAndPersists(t *testing.T) {
	dir := storeDir(t)
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	s := openTest(t, dir, withClock(func() time.Time { return clock }))

	p := mustSave(t, s, validProfile("  Acme  "))
	if !validID(p.ID) || p.Name != "Acme" {
		t.Errorf("saved = %+v", p)
	}
	if p.AuthMethod != AuthNone || p.RedirectHost != "127.0.0.1" || p.RedirectPath != "/callback" || p.TimeoutSeconds != 300 {
		t.Errorf("defaults not filled: %+v", p)
	}
	if !p.CreatedAt.Equal(clock) || !p.UpdatedAt.Equal(clock) {
		t.Errorf("times = %v / %v", p.CreatedAt, p.UpdatedAt)
	}

	clock = clock.Add(time.Hour)
	p.Scopes = append(p.Scopes, "email")
	p.BuiltIn = true // a caller cannot promote a profile
	p2 := mustSave(t, s, p)
	if !p2.CreatedAt.Equal(p.CreatedAt) || !p2.UpdatedAt.Equal(clock) || p2.BuiltIn {
		t.Errorf("update = %+v", p2)
	}

	reopened := openTest(t, dir)
	got, err := reopened.Profile(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, p2) {
		t.Errorf("after reopen\n%+v\nwant\n%+v", got, p2)
	}
}

func TestSaveProfileRefusesInvalidAndUnknown(t *testing.T) {
	s := openTest(t, storeDir(t))
	_, err := s.SaveProfile(Profile{Name: "x"})
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Fields) < 2 {
		t.Fatalf("err = %v, want *ValidationError with the issuer and client_id problems", err)
	}
	if len(s.Profiles()) != 0 {
		t.Error("invalid profile was stored")
	}
	p := validProfile("ghost")
	p.ID = "p-doesnotexist"
	if _, err := s.SaveProfile(p); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("err = %v, want ErrProfileNotFound", err)
	}
}

func TestProfilesAreCopies(t *testing.T) {
	s := openTest(t, storeDir(t))
	p := mustSave(t, s, validProfile("A"))
	got := s.Profiles()
	got[0].Scopes[0] = "mutated"
	one, _ := s.Profile(p.ID)
	one.Scopes[1] = "mutated"
	again, _ := s.Profile(p.ID)
	if !reflect.DeepEqual(again.Scopes, []string{"openid", "profile"}) {
		t.Errorf("store changed through a returned slice: %v", again.Scopes)
	}
}

func TestDeleteProfileRemovesSecretsAndHistory(t *testing.T) {
	sec := NewMemorySecrets()
	s := openTest(t, storeDir(t), WithSecrets(sec))
	if _, err := s.EnsureDemoProfile(""); err != nil {
		t.Fatal(err)
	}
	keep := mustSave(t, s, validProfile("Keep"))
	p := validProfile("Gone")
	p.AuthMethod, p.HasClientSecret = AuthClientSecretPost, true
	gone := mustSave(t, s, p)
	for _, id := range []string{keep.ID, gone.ID} {
		for _, k := range SecretKinds {
			if err := sec.Set(id, k, "v-"+id); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.AddHistory(id, apiclient.Record{Method: "GET", URL: "https://api.example/" + id}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SaveSettings(Settings{SelectedProfileID: gone.ID}); err != nil {
		t.Fatal(err)
	}

	if err := s.DeleteProfile(gone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Profile(gone.ID); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("profile still there: %v", err)
	}
	for _, k := range SecretKinds {
		if _, err := sec.Get(gone.ID, k); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s of deleted profile: err = %v", k, err)
		}
		if v, err := sec.Get(keep.ID, k); err != nil || v != "v-"+keep.ID {
			t.Errorf("%s of other profile lost: %q %v", k, v, err)
		}
	}
	if h := s.History(gone.ID); len(h) != 0 {
		t.Errorf("history kept: %+v", h)
	}
	if h := s.History(keep.ID); len(h) != 1 {
		t.Errorf("other history lost: %+v", h)
	}
	if s.Settings().SelectedProfileID != DemoProfileID {
		t.Errorf("selection = %q, want demo", s.Settings().SelectedProfileID)
	}

	if err := s.DeleteProfile(DemoProfileID); !errors.Is(err, ErrBuiltIn) {
		t.Errorf("deleting demo: %v, want ErrBuiltIn", err)
	}
	if err := s.DeleteProfile("p-nope"); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("deleting unknown: %v", err)
	}
}

// failingSecrets refuses every delete, like a keychain that went away.
type failingSecrets struct{ *MemorySecrets }

func (failingSecrets) DeleteAll(string) error { return ErrKeychainUnavailable }

func TestDeleteProfileKeepsProfileWhenSecretsCannotBeDeleted(t *testing.T) {
	s := openTest(t, storeDir(t), WithSecrets(failingSecrets{NewMemorySecrets()}))
	p := mustSave(t, s, validProfile("Stuck"))
	err := s.DeleteProfile(p.ID)
	if !errors.Is(err, ErrKeychainUnavailable) {
		t.Fatalf("err = %v", err)
	}
	if _, err := s.Profile(p.ID); err != nil {
		t.Errorf("profile removed although its secrets were not: %v", err)
	}
}

func TestDuplicateProfile(t *testing.T) {
	sec := NewMemorySecrets()
	s := openTest(t, storeDir(t), WithSecrets(sec))
	p := validProfile("Acme")
	p.AuthMethod, p.HasClientSecret = AuthClientSecretBasic, true
	p.Params = []Param{{"audience", "x"}}
	orig := mustSave(t, s, p)
	_ = sec.Set(orig.ID, ClientSecret, "s3cret")

	cp, err := s.DuplicateProfile(orig.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cp.ID == orig.ID || cp.Name != "Copy of Acme" || cp.HasClientSecret || cp.BuiltIn {
		t.Errorf("copy = %+v", cp)
	}
	if _, err := sec.Get(cp.ID, ClientSecret); !errors.Is(err, ErrNotFound) {
		t.Errorf("secret copied: %v", err)
	}
	cp.Params[0].Value = "changed"
	o, _ := s.Profile(orig.ID)
	if o.Params[0].Value != "x" {
		t.Error("copy shares Params with the original")
	}
	if len(s.Profiles()) != 2 {
		t.Errorf("profiles = %d", len(s.Profiles()))
	}

	demo, _ := s.EnsureDemoProfile("")
	dcp, err := s.DuplicateProfile(demo.ID)
	if err != nil || dcp.BuiltIn || dcp.Preset != DemoPresetID {
		t.Errorf("demo copy = %+v, %v", dcp, err)
	}
	if err := s.DeleteProfile(dcp.ID); err != nil {
		t.Errorf("copy of the demo must be deletable: %v", err)
	}
}
