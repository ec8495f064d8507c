package store

import (
	"errors"
	"os"
	"runtime"
	"strings"
	"testing"

	"pkcedesk/internal/atomicfile"
)

func TestOpenCreatesPrivateDirAndFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits")
	}
	dir := join(t.TempDir(), "nested", "pkce-desk")
	s := openTest(t, dir)
	if got := mode(t, dir); got != 0o700 {
		t.Errorf("dir mode = %o, want 700", got)
	}
	mustSave(t, s, validProfile("A"))
	if _, err := s.SaveSettings(DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{ProfilesFile, SettingsFile} {
		if got := mode(t, join(dir, name)); got != 0o600 {
			t.Errorf("%s mode = %o, want 600", name, got)
		}
	}
	if n := s.Notices(); len(n) != 0 {
		t.Errorf("fresh store has notices: %+v", n)
	}
}

func TestOpenTightensLooseModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits")
	}
	dir := storeDir(t)
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, join(dir, ProfilesFile), `{"schema_version":1,"profiles":[]}`, 0o644)
	writeFile(t, join(dir, SettingsFile), `{"schema_version":1,"settings":{"theme":"dark"}}`, 0o666)

	s := openTest(t, dir)
	if got := mode(t, dir); got != 0o700 {
		t.Errorf("dir mode = %o, want 700", got)
	}
	for _, name := range []string{ProfilesFile, SettingsFile} {
		if got := mode(t, join(dir, name)); got != 0o600 {
			t.Errorf("%s mode = %o, want 600", name, got)
		}
	}
	codes := noticeCodes(s.Notices())
	if len(codes) != 3 {
		t.Fatalf("notices = %v, want 3 permissions_fixed", codes)
	}
	for _, c := range codes {
		if c != NoticePermissionsFixed {
			t.Errorf("notice %q, want %q", c, NoticePermissionsFixed)
		}
	}
	if s.Settings().Theme != ThemeDark {
		t.Errorf("settings not loaded after fixing modes: %+v", s.Settings())
	}
}

func TestCrashBeforeRenameKeepsOldFile(t *testing.T) {
	dir := storeDir(t)
	s := openTest(t, dir)
	first := mustSave(t, s, validProfile("Before crash"))
	before, err := os.ReadFile(join(dir, ProfilesFile))
	if err != nil {
		t.Fatal(err)
	}

	crash := errors.New("simulated power loss")
	var sawTemp string
	s2 := openTest(t, dir, withBeforeRename(func(tmp string) error {
		sawTemp = tmp
		if _, err := os.Stat(tmp); err != nil {
			t.Errorf("temp file missing at crash point: %v", err)
		}
		return crash
	}))
	_, err = s2.SaveProfile(validProfile("After crash"))
	if !errors.Is(err, crash) {
		t.Fatalf("SaveProfile error = %v, want the simulated crash", err)
	}
	after, _ := os.ReadFile(join(dir, ProfilesFile))
	if string(after) != string(before) {
		t.Errorf("profiles.json changed although the rename never happened")
	}
	if sawTemp == "" || !strings.Contains(sawTemp, atomicfile.TempMarker) {
		t.Fatalf("hook saw temp path %q", sawTemp)
	}
	for _, n := range dirNames(t, dir) {
		if strings.Contains(n, atomicfile.TempMarker) {
			t.Errorf("temp file %s left behind", n)
		}
	}
	// In memory the failed save did not happen either.
	if ps := s2.Profiles(); len(ps) != 1 || ps[0].ID != first.ID {
		t.Errorf("in-memory profiles after failed save = %+v", ps)
	}
}

func TestLeftoverTempFileIsIgnoredAndRemoved(t *testing.T) {
	dir := storeDir(t)
	s := openTest(t, dir)
	mustSave(t, s, validProfile("Real"))

	// A crash after writing part of a temp file: the temp is garbage.
	stale := join(dir, "."+ProfilesFile+atomicfile.TempMarker+"0a1b2c3d4e5f")
	writeFile(t, stale, `{"schema_version":1,"profiles":[{"na`, 0o600)
	// Something that merely looks similar must not be touched.
	other := join(dir, "notes"+atomicfile.TempMarker+"abc")
	writeFile(t, other, "keep me", 0o600)

	s2 := openTest(t, dir)
	if ps := s2.Profiles(); len(ps) != 1 || ps[0].Name != "Real" {
		t.Errorf("profiles = %+v, want the one real profile", ps)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("stale temp file still there (err=%v)", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("unrelated file removed: %v", err)
	}
	if n := s2.Notices(); len(n) != 0 {
		t.Errorf("notices = %+v, want none", n)
	}
}
