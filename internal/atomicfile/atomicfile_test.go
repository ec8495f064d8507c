package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func perm(t *testing.T, path string) os.FileMode {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// os.WriteFile on an existing 0644 file keeps 0644; Write installs a new
// 0600 file instead, whatever the old one was, and leaves no temporary.
func TestWriteReplacesALooseFileWithAPrivateOne(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	if err := os.WriteFile(path, []byte("old, world-readable"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got, err := os.ReadFile(path); err != nil || string(got) != "new" {
		t.Fatalf("content %q, err %v", got, err)
	}
	if runtime.GOOS != "windows" {
		if got := perm(t, path); got != FileMode {
			t.Errorf("mode %v after replacing a 0644 file, want 0600", got)
		}
	}
	if n := names(t, dir); !slices.Equal(n, []string{"f.json"}) {
		t.Errorf("directory holds %v, want only the file (no temporary left)", n)
	}
}

func TestWriteCreatesANewPrivateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.json")
	if err := Write(path, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if got := perm(t, path); got != FileMode {
			t.Errorf("mode %v, want 0600", got)
		}
	}
}

func TestWriteIntoAMissingFolderFailsAndCreatesNothing(t *testing.T) {
	dir := t.TempDir()
	if err := Write(filepath.Join(dir, "missing", "f.json"), []byte("x")); err == nil {
		t.Fatal("write into a missing folder succeeded")
	}
	if n := names(t, dir); len(n) != 0 {
		t.Errorf("a failed write left %v", n)
	}
}

// A crash between the complete temporary file and the rename: the target
// keeps its old content and the temporary file is gone.
func TestCrashBeforeRenameKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	if err := Write(path, []byte("old")); err != nil {
		t.Fatal(err)
	}
	crash := errors.New("simulated power loss")
	var sawTemp string
	w := Writer{BeforeRename: func(tmp string) error {
		sawTemp = tmp
		if got, err := os.ReadFile(tmp); err != nil || string(got) != "new" {
			t.Errorf("temporary file at the crash point: %q, %v", got, err)
		}
		return crash
	}}
	if err := w.Write(path, []byte("new")); !errors.Is(err, crash) {
		t.Fatalf("Write error = %v, want the simulated crash", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("content %q although the rename never happened", got)
	}
	if filepath.Dir(sawTemp) != dir || !strings.Contains(filepath.Base(sawTemp), ".f.json"+TempMarker) {
		t.Errorf("temporary file %q, want .f.json%s<hex> in the same folder", sawTemp, TempMarker)
	}
	if n := names(t, dir); !slices.Equal(n, []string{"f.json"}) {
		t.Errorf("directory holds %v after the crash, want only the file", n)
	}
}

func TestRemoveStaleTouchesOnlyOurTemporaries(t *testing.T) {
	dir := t.TempDir()
	write := func(name string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	stale := []string{".profiles.json" + TempMarker + "0a1b2c3d4e5f", ".profiles.json.v0-20260101T000000Z" + TempMarker + "ab"}
	keep := []string{
		"profiles.json",
		"notes" + TempMarker + "abc",                   // not hidden
		".other.json" + TempMarker + "0a1b",            // another file's
		".profiles.json" + TempMarker + "not-hex",      // not our suffix
		".profiles.json" + TempMarker,                  // no suffix at all
		".settings.json" + TempMarker + "0A1B2C3D4E5F", // upper-case hex is not ours
	}
	for _, n := range append(slices.Clone(stale), keep...) {
		write(n)
	}
	if err := RemoveStale(dir, []string{"profiles.json", "settings.json"}); err != nil {
		t.Fatal(err)
	}
	got := names(t, dir)
	for _, n := range stale {
		if slices.Contains(got, n) {
			t.Errorf("stale %s still there", n)
		}
	}
	for _, n := range keep {
		if !slices.Contains(got, n) {
			t.Errorf("%s removed", n)
		}
	}
}

func TestTightenOnlyRemovesBits(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits")
	}
	dir := t.TempDir()
	cases := []struct {
		mode, want os.FileMode
		changed    bool
		after      os.FileMode
	}{
		{0o644, FileMode, true, 0o600},
		{0o666, FileMode, true, 0o600},
		{0o600, FileMode, false, 0o600},
		{0o400, FileMode, false, 0o400}, // nothing is added
	}
	for _, c := range cases {
		path := filepath.Join(dir, c.mode.String())
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, c.mode); err != nil {
			t.Fatal(err)
		}
		changed, err := Tighten(path, c.want)
		if err != nil || changed != c.changed || perm(t, path) != c.after {
			t.Errorf("Tighten(%v): changed %v err %v mode %v, want changed %v mode %v", c.mode, changed, err, perm(t, path), c.changed, c.after)
		}
	}
	sub := filepath.Join(dir, "folder")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if changed, err := Tighten(sub, DirMode); err != nil || !changed || perm(t, sub) != 0o700 {
		t.Errorf("folder: changed %v err %v mode %v", changed, err, perm(t, sub))
	}
	if changed, err := Tighten(filepath.Join(dir, "missing"), FileMode); err != nil || changed {
		t.Errorf("missing path: changed %v err %v", changed, err)
	}
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(target, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if changed, err := Tighten(link, FileMode); err != nil || changed || perm(t, target) != 0o644 {
		t.Errorf("symlink followed: changed %v err %v target mode %v", changed, err, perm(t, target))
	}
}
