package store

import (
	"errors"
	"testing"
)

func TestSettingsDefaultsSaveAndReload(t *testing.T) {
	dir := storeDir(t)
	s := openTest(t, dir)
	if got := s.Settings(); got != DefaultSettings() || got.Window.Width != 1280 || got.Theme != ThemeSystem {
		t.Errorf("defaults = %+v", got)
	}
	p := mustSave(t, s, validProfile("A"))
	want := Settings{SelectedProfileID: p.ID, Window: Window{1600, 900}, PresentationMode: true, Theme: ThemeDark}
	got, err := s.SaveSettings(want)
	if err != nil || got != want {
		t.Fatalf("SaveSettings = %+v, %v", got, err)
	}
	if r := openTest(t, dir).Settings(); r != want {
		t.Errorf("reloaded = %+v, want %+v", r, want)
	}
}

func TestSettingsNormalizeAndRefuseUnknownProfile(t *testing.T) {
	s := openTest(t, storeDir(t))
	got, err := s.SaveSettings(Settings{Window: Window{200, 0}, Theme: "neon"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Window != (Window{MinWindowWidth, DefaultWindowHeight}) || got.Theme != ThemeSystem {
		t.Errorf("normalized = %+v", got)
	}
	if _, err := s.SaveSettings(Settings{SelectedProfileID: "p-missing"}); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("err = %v", err)
	}
}
