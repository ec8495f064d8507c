package demo

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"pkcedesk/internal/atomicfile"
)

// Files in Options.StateDir.
const (
	// keyFileName holds the RS256 signing key as a private JWK.
	keyFileName = "demo-key.json"
	// stateFileName holds the issuer port and the refresh-token grants
	// (hashes only, never a token).
	stateFileName = "demo-state.json"
)

// ErrStateDir is wrapped by Start's error when Options.StateDir cannot be
// used: it cannot be created or read, or another Server in this process is
// using it. The caller may retry without a StateDir to run in memory only.
var ErrStateDir = errors.New("demo: the state directory cannot be used")

// stateDirsInUse holds the absolute StateDirs of the running Servers of this
// process: two Servers writing one state file would overwrite each other's
// grants.
var stateDirsInUse sync.Map // string → struct{}

// stateDir is an Options.StateDir claimed by one Server.
type stateDir struct {
	path string // absolute
	once sync.Once
}

// openStateDir creates dir (0700, parents as needed), tightens an existing
// dir to 0700, and claims it for one Server until release.
func openStateDir(dir string) (*stateDir, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrStateDir, dir, err)
	}
	if err := os.MkdirAll(abs, atomicfile.DirMode); err != nil {
		return nil, fmt.Errorf("%w: create %s: %w", ErrStateDir, abs, err)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrStateDir, abs, err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("%w: %s is not a directory", ErrStateDir, abs)
	}
	if fi.Mode().Perm() != atomicfile.DirMode && runtime.GOOS != "windows" {
		if err := os.Chmod(abs, atomicfile.DirMode); err != nil {
			return nil, fmt.Errorf("%w: restrict %s to its owner (chmod 700): %w", ErrStateDir, abs, err)
		}
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	if _, taken := stateDirsInUse.LoadOrStore(abs, struct{}{}); taken {
		return nil, fmt.Errorf("%w: %s is in use by another demo provider in this process; close it first or use another directory", ErrStateDir, abs)
	}
	return &stateDir{path: abs}, nil
}

// file returns the path of name inside the directory.
func (d *stateDir) file(name string) string { return filepath.Join(d.path, name) }

// release lets another Server use the directory. Safe to call more than once.
func (d *stateDir) release() {
	d.once.Do(func() { stateDirsInUse.Delete(d.path) })
}
