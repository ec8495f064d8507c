package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// GUIEnv names the environment variable that points the command at the
// window binary, overriding the places [FindGUI] looks.
const GUIEnv = "PKCE_DESK_GUI"

// GUIRelDirs are the folders, relative to the folder of the running
// command, where [FindGUI] looks for the window binary: beside it (a build
// tree, the portable archive, the Windows install folder) and in
// ../lib/pkce-desk (the Debian package: /usr/bin/pkce-desk and
// /usr/lib/pkce-desk/pkce-desk-gui).
var GUIRelDirs = []string{".", filepath.Join("..", "lib", "pkce-desk")}

// FindGUI returns the path of the window binary for the command running
// as exe: $PKCE_DESK_GUI when set (it must exist), else the first regular,
// executable [GUIName] in [GUIRelDirs] beside exe with symlinks resolved
// (so a link in /usr/local/bin still finds the package's files). The error
// lists every place it looked.
func FindGUI(exe string, getenv func(string) string) (string, error) {
	if p := getenv(GUIEnv); p != "" {
		if err := checkExecutable(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", GUIEnv, p, err)
		}
		return p, nil
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	dir := filepath.Dir(exe)
	var tried []string
	for _, rel := range GUIRelDirs {
		p := filepath.Join(dir, rel, GUIName)
		if checkExecutable(p) == nil && !samePath(p, exe) {
			return p, nil
		}
		tried = append(tried, p)
	}
	return "", fmt.Errorf("the window binary %s is not installed (looked for %s; set %s to its path); "+
		"the headless commands (login, demo-provider) work without it", GUIName, strings.Join(tried, ", "), GUIEnv)
}

// checkExecutable reports why p cannot be run as the window binary, or nil.
func checkExecutable(p string) error {
	fi, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("no such file")
	case err != nil:
		return err
	case !fi.Mode().IsRegular():
		return errors.New("not a regular file")
	case !isExecutable(fi):
		return errors.New("not executable")
	}
	return nil
}

// samePath reports whether a and b name the same file, so the command never
// takes itself for the window binary.
func samePath(a, b string) bool {
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

// OpenWindow opens the app window: it finds the window binary for the
// running command ([FindGUI]) and hands it args (see startGUI for how on
// each system). It returns only on failure, or on Windows once the window
// process has started, with the exit code to use.
func OpenWindow(args []string, stderr io.Writer) int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintln(stderr, "pkce-desk: cannot find this program's own path:", err)
		return 1
	}
	gui, err := FindGUI(exe, os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, "pkce-desk:", err)
		return 1
	}
	if err := startGUI(gui, args); err != nil {
		fmt.Fprintf(stderr, "pkce-desk: start the window (%s): %v\n", gui, err)
		return 1
	}
	return 0
}
