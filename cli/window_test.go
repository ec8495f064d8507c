//go:build !windows

package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// writeExe writes an executable shell script at path (folders made).
func writeExe(t *testing.T, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

func noEnv(string) string { return "" }

func TestFindGUIBesideTheCommand(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "pkce-desk")
	writeExe(t, exe, "")
	writeExe(t, filepath.Join(dir, GUIName), "")
	got, err := FindGUI(exe, noEnv)
	if err != nil || got != filepath.Join(dir, GUIName) {
		t.Fatalf("FindGUI = %q, %v; want the binary beside the command", got, err)
	}
}

// The Debian package puts the command in /usr/bin and the window in
// /usr/lib/pkce-desk; a symlink to the command elsewhere (say
// /usr/local/bin) still finds it.
func TestFindGUIInThePackageLibDirThroughASymlink(t *testing.T) {
	root := t.TempDir()
	exe := filepath.Join(root, "usr", "bin", "pkce-desk")
	writeExe(t, exe, "")
	gui := filepath.Join(root, "usr", "lib", "pkce-desk", GUIName)
	writeExe(t, gui, "")
	link := filepath.Join(root, "elsewhere", "pkce-desk")
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(exe, link); err != nil {
		t.Fatal(err)
	}
	for _, from := range []string{exe, link} {
		got, err := FindGUI(from, noEnv)
		if err != nil {
			t.Fatalf("FindGUI(%s): %v", from, err)
		}
		if want, _ := filepath.EvalSymlinks(gui); got != want && got != gui {
			t.Fatalf("FindGUI(%s) = %q, want %q", from, got, gui)
		}
	}
}

func TestFindGUISkipsWhatCannotRunAndSaysWhereItLooked(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "bin", "pkce-desk")
	writeExe(t, exe, "")
	// Beside: a file without the x bit; in lib: a folder of that name.
	if err := os.WriteFile(filepath.Join(dir, "bin", GUIName), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "lib", "pkce-desk", GUIName), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := FindGUI(exe, noEnv)
	if err == nil {
		t.Fatal("FindGUI found a window binary where none can run")
	}
	for _, want := range []string{filepath.Join(dir, "bin", GUIName), filepath.Join(dir, "bin", "..", "lib", "pkce-desk", GUIName), GUIEnv, "login"} {
		if !strings.Contains(err.Error(), filepath.Clean(want)) && !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

func TestFindGUIEnvOverride(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "pkce-desk")
	writeExe(t, exe, "")
	writeExe(t, filepath.Join(dir, GUIName), "") // beside, but the variable wins
	other := filepath.Join(t.TempDir(), "my-gui")
	writeExe(t, other, "")
	env := func(k string) string {
		if k == GUIEnv {
			return other
		}
		return ""
	}
	if got, err := FindGUI(exe, env); err != nil || got != other {
		t.Fatalf("FindGUI = %q, %v; want $%s", got, err, GUIEnv)
	}
	missing := filepath.Join(dir, "nope")
	env = func(k string) string {
		if k == GUIEnv {
			return missing
		}
		return ""
	}
	if _, err := FindGUI(exe, env); err == nil || !strings.Contains(err.Error(), missing) {
		t.Fatalf("FindGUI with $%s naming a missing file: %v; want an error naming it", GUIEnv, err)
	}
}

// A command named like the window binary (a build with both in one
// folder under the same name) never execs itself in a loop.
func TestFindGUINeverReturnsTheCommandItself(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, GUIName)
	writeExe(t, exe, "")
	if got, err := FindGUI(exe, noEnv); err == nil {
		t.Fatalf("FindGUI = %q: the command took itself for the window binary", got)
	}
}

// openWindowChildEnv makes the test binary, started again by
// TestOpenWindowExecsTheGUIInPlace, call OpenWindow with its arguments.
const openWindowChildEnv = "PKCE_DESK_TEST_OPEN_WINDOW"

func TestMain(m *testing.M) {
	if os.Getenv(openWindowChildEnv) == "1" {
		os.Exit(OpenWindow(os.Args[1:], os.Stderr))
	}
	os.Exit(m.Run())
}

// OpenWindow replaces the command with the window binary: same process
// (so a launcher's PID, a single-instance lock and `kill` all reach the
// window), every argument and the environment passed on.
func TestOpenWindowExecsTheGUIInPlace(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	gui := filepath.Join(t.TempDir(), "gui")
	writeExe(t, gui, `echo "pid=$$ marker=$PKCE_DESK_TEST_MARKER args=$*"`)
	cmd := exec.Command(self, "-psn_0_1", "two words")
	cmd.Env = append(os.Environ(), openWindowChildEnv+"=1", GUIEnv+"="+gui, "PKCE_DESK_TEST_MARKER=kept")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("run: %v\n%s", err, errOut.String())
	}
	want := "pid=" + strconv.Itoa(cmd.Process.Pid) + " marker=kept args=-psn_0_1 two words\n"
	if out.String() != want {
		t.Fatalf("the window binary printed %q, want %q", out.String(), want)
	}
}

func TestOpenWindowWithoutTheGUISaysSoAndFails(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), openWindowChildEnv+"=1", GUIEnv+"="+filepath.Join(t.TempDir(), "absent"))
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); err == nil || code != 1 {
		t.Fatalf("exit %d (%v), want 1", code, err)
	}
	if !strings.Contains(string(out), "absent") || !strings.Contains(string(out), "no such file") {
		t.Fatalf("output %q does not say which file is missing", out)
	}
}
