package store

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// File and directory modes for everything the store writes (SECURITY.md #32).
const (
	fileMode fs.FileMode = 0o600
	dirMode  fs.FileMode = 0o700
)

// tempMarker is part of every temp file name, so that leftovers of a crash can
// be recognised and removed (and nothing else is).
const tempMarker = ".tmp-"

// atomicWriter writes files so that readers (and a later run after a crash)
// see either the complete old content or the complete new content.
type atomicWriter struct {
	// beforeRename, when set, runs after the temp file is complete and synced
	// and before it replaces the target. Tests use it to simulate a crash.
	beforeRename func(tmpPath string) error
}

// write replaces path with data: temp file in the same directory created 0600
// with O_EXCL, write, fsync, close, rename over path, fsync the directory.
// On any error the temp file is removed and path is untouched.
func (w atomicWriter) write(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmpPath := filepath.Join(dir, "."+base+tempMarker+randomHex(6))
	f, err := os.OpenFile(tmpPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return fmt.Errorf("create temp file for %s: %w", base, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmpPath)
		}
	}()
	// The umask can only remove bits, but be explicit: exactly 0600.
	if err = f.Chmod(fileMode); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("set mode of temp file for %s: %w", base, err)
	}
	if _, err = f.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", base, err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("flush %s to disk: %w", base, err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", base, err)
	}
	if w.beforeRename != nil {
		if err = w.beforeRename(tmpPath); err != nil {
			return fmt.Errorf("replace %s: %w", base, err)
		}
	}
	if err = os.Rename(tmpPath, path); err != nil {
		return fmt.Errorf("replace %s: %w", base, err)
	}
	// The rename is durable only once the directory entry is on disk.
	// Windows cannot open a directory for syncing; its rename is already
	// MOVEFILE_WRITE_THROUGH-like enough for our purposes.
	if runtime.GOOS != "windows" {
		if d, derr := os.Open(dir); derr == nil {
			_ = d.Sync()
			_ = d.Close()
		}
	}
	return nil
}

// removeStaleTemps deletes temp files that a crashed write left in dir. Only
// names of the form ".<name>[suffix].tmp-<hex>" for one of names are touched
// (the suffix covers backups such as profiles.json.v0-<time>).
func removeStaleTemps(dir string, names []string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list %s: %w", dir, err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		n := e.Name()
		for _, name := range names {
			i := strings.LastIndex(n, tempMarker)
			if strings.HasPrefix(n, "."+name) && i > 0 && isHex(n[i+len(tempMarker):]) {
				if err := os.Remove(filepath.Join(dir, n)); err != nil && !os.IsNotExist(err) {
					return fmt.Errorf("remove leftover temp file %s: %w", n, err)
				}
			}
		}
	}
	return nil
}

// tightenMode sets path to want if its permission bits give anything more.
// It reports whether it changed the mode. A missing path is not an error.
func tightenMode(path string, want fs.FileMode) (bool, error) {
	if runtime.GOOS == "windows" {
		// Windows ignores Unix permission bits; access is governed by the
		// user profile's ACLs, which already keep other users out.
		return false, nil
	}
	fi, err := os.Lstat(path)
	if os.IsNotExist(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check permissions of %s: %w", path, err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		return false, nil
	}
	if fi.Mode().Perm()&^want == 0 {
		return false, nil
	}
	if err := os.Chmod(path, want); err != nil {
		return false, fmt.Errorf("restrict permissions of %s: %w", path, err)
	}
	return true, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go ≥ 1.24).
	return hex.EncodeToString(b)
}

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
