package store

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPeekSettingsReadsWhatSaveSettingsWrote(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultSettings()
	want.Theme, want.PresentationMode, want.Window = ThemeDark, true, Window{Width: 1500, Height: 900}
	if _, err := s.SaveSettings(want); err != nil {
		t.Fatal(err)
	}
	if got := PeekSettings(dir); got != want {
		t.Fatalf("PeekSettings = %+v, want %+v", got, want)
	}
}

// A corrupt file gives the defaults and stays where it is, byte for byte:
// setting it aside (with a notice) is Open's job, after the first frame.
func TestPeekSettingsLeavesACorruptFileForOpen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, SettingsFile)
	bad := []byte(`{"schema_version": 1, "settings": {"theme": "dark", `)
	if err := os.WriteFile(path, bad, 0o600); err != nil {
		t.Fatal(err)
	}
	if got := PeekSettings(dir); got != DefaultSettings() {
		t.Fatalf("PeekSettings of a corrupt file = %+v, want the defaults", got)
	}
	if data, err := os.ReadFile(path); err != nil || string(data) != string(bad) {
		t.Fatalf("the corrupt file changed: %q, %v", data, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("PeekSettings left %d files in the folder, want only the one it read", len(entries))
	}
}

// Whatever the file holds, the first frame uses the settings Open then
// loads: the window never switches theme or size once the store is up.
func TestPeekSettingsAgreesWithOpen(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"valid", `{"schema_version": 1, "settings": {"theme": "light", "window": {"width": 1100, "height": 750}}}`},
		{"too small a window", `{"schema_version": 1, "settings": {"window": {"width": 10, "height": 10}}}`},
		{"unknown theme", `{"schema_version": 1, "settings": {"theme": "neon"}}`},
		{"newer", `{"schema_version": 99, "settings": {"theme": "dark"}}`},
		{"unknown field", `{"schema_version": 1, "settings": {"theme": "dark", "extra": 1}}`},
		{"truncated", `{"schema_version": 1, "settings": {"theme": "dark", `},
		{"not json", "\x00\xff"},
	} {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, SettingsFile), []byte(tc.body), 0o600); err != nil {
			t.Fatal(err)
		}
		peek := PeekSettings(dir)
		s, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Settings(); got != peek {
			t.Errorf("%s: PeekSettings = %+v, Open loads %+v", tc.name, peek, got)
		}
	}
}

func TestPeekSettingsOfAMissingFolderIsTheDefaults(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "never-made")
	if got := PeekSettings(dir); got != DefaultSettings() {
		t.Fatalf("PeekSettings = %+v, want the defaults", got)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("PeekSettings made the folder (%v)", err)
	}
}
