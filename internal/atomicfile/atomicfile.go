// Package atomicfile writes the files PKCE Desk keeps (the store's profiles,
// settings and history, the demo provider's key and state) so that a crash
// or a power cut at any moment leaves either the complete old file or the
// complete new one, readable by its owner only (security rule 32). It is the
// one writer both the store and the demo provider use.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
)

// File and directory modes for everything written here: the owner only.
const (
	FileMode fs.FileMode = 0o600
	DirMode  fs.FileMode = 0o700
)

// TempMarker is part of every temporary file name (".<name>.tmp-<hex>"), so
// that what a crashed write left behind can be recognised and removed, and
// nothing else is (see RemoveStale).
const TempMarker = ".tmp-"

// Writer writes files atomically. Its zero value is ready to use.
type Writer struct {
	// BeforeRename, when set, runs after the temporary file is complete and
	// flushed and before it replaces the target; an error stops the write
	// there. Tests use it to simulate a crash.
	BeforeRename func(tmpPath string) error
}

// Write replaces path with data using a zero Writer (see Writer.Write).
func Write(path string, data []byte) error { return Writer{}.Write(path, data) }

// Write replaces path with data: a temporary file in the same directory,
// created with O_EXCL and mode exactly 0600, is written, flushed to disk
// (fsync) and closed, renamed over path, and then the directory is flushed
// so the rename itself survives a power cut. Because the rename installs a
// new file, an existing path with looser permissions (0644) ends up 0600,
// which os.WriteFile would not do.
//
// On an error before the rename the temporary file is removed and path is
// untouched. An error flushing the directory comes after the rename: path
// already holds data, but the change may not survive a power cut. A file
// system that cannot flush directories at all (EINVAL, ENOTSUP) is not an
// error; on Windows, which cannot open a directory for it, the step is
// skipped.
func (w Writer) Write(path string, data []byte) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmpPath := filepath.Join(dir, "."+base+TempMarker+randomHex(6))
	f, err := os.OpenFile(tmpPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, FileMode)
	if err != nil {
		return fmt.Errorf("create a temporary file for %s: %w", base, err)
	}
	defer func() {
		if err != nil {
			_ = f.Close()
			_ = os.Remove(tmpPath)
		}
	}()
	// The umask can only remove bits, but be explicit: exactly 0600.
	if err = f.Chmod(FileMode); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("restrict the temporary file for %s to its owner: %w", base, err)
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
	if w.BeforeRename != nil {
		if err = w.BeforeRename(tmpPath); err != nil {
			return fmt.Errorf("replace %s: %w", base, err)
		}
	}
	if err = os.Rename(tmpPath, path); err != nil {
		return fmt.Errorf("replace %s: %w", base, err)
	}
	return syncDir(dir)
}

// syncDir flushes a directory's entries so a rename in it is durable.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open the folder %s to flush it: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("flush the folder %s (the file was replaced but may not survive a power cut): %w", dir, err)
	}
	return nil
}

// RemoveStale deletes the temporary files a crashed Write left in dir for
// the given file names. Only regular files named ".<name>[suffix].tmp-<hex>"
// for one of names are touched (the suffix covers backups such as
// profiles.json.v0-<time>); a missing one is not an error.
func RemoveStale(dir string, names []string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("list %s: %w", dir, err)
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		n := e.Name()
		i := strings.LastIndex(n, TempMarker)
		if i <= 0 || !isHex(n[i+len(TempMarker):]) {
			continue
		}
		for _, name := range names {
			if strings.HasPrefix(n, "."+name) {
				if err := os.Remove(filepath.Join(dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
					return fmt.Errorf("remove the leftover temporary file %s: %w", n, err)
				}
				break
			}
		}
	}
	return nil
}

// Tighten sets path's permission bits to want when they give anyone more
// than want does (a 0644 file with want 0600, a 0755 folder with want
// 0700), and reports whether it changed them. Bits want lacks are never
// added. A missing path or a symbolic link is left alone (false, nil); on
// Windows, where access is governed by the user profile's ACLs rather than
// these bits, Tighten does nothing.
func Tighten(path string, want fs.FileMode) (bool, error) {
	if runtime.GOOS == "windows" {
		return false, nil
	}
	fi, err := os.Lstat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check the permissions of %s: %w", path, err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 || fi.Mode().Perm()&^want == 0 {
		return false, nil
	}
	if err := os.Chmod(path, want); err != nil {
		return false, fmt.Errorf("restrict the permissions of %s: %w", path, err)
	}
	return true, nil
}

// randomHex returns 2n lower-case hex digits from crypto/rand.
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
