package demo

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
)

// privateFileMode is the mode of every file the demo provider writes: readable
// by its owner only (SECURITY.md §32).
const privateFileMode = 0o600

// privateDirMode is the mode of the state directory.
const privateDirMode = 0o700

// writeFileAtomic replaces path with data so that a crash at any moment leaves
// either the old file or the new one, never a mix: the data goes to a 0600
// temporary file in the same directory, is flushed to disk, renamed over path,
// and the directory entry is flushed too. Unlike os.WriteFile it also gives an
// existing file with looser permissions mode 0600, because the rename installs
// a new file.
func writeFileAtomic(path string, data []byte) (err error) {
	dir, name := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+name+".*.tmp") // os.CreateTemp makes it 0600
	if err != nil {
		return fmt.Errorf("create temporary file for %s: %w", name, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(privateFileMode); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("restrict %s to its owner: %w", tmp.Name(), err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("write %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("flush %s to disk: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmp.Name(), err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return syncDir(dir)
}

// syncDir flushes a directory's entries so a rename in it survives a power
// cut. Windows cannot open directories for syncing and makes renames durable
// on its own, so there it does nothing.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("open directory %s to flush it: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("flush directory %s: %w", dir, err)
	}
	return nil
}

// errFileTooLarge is returned by readFileCapped for a file over its limit.
var errFileTooLarge = errors.New("file is larger than the demo provider ever writes")

// readFileCapped reads at most limit bytes of path; a longer file is an error
// (wrapping errFileTooLarge), so a damaged or hostile file cannot exhaust
// memory. A missing file gives an error satisfying errors.Is(err, fs.ErrNotExist).
func readFileCapped(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: %w (over %d bytes)", path, errFileTooLarge, limit)
	}
	return data, nil
}

// corruptSuffix is appended to a file that could not be understood when it is
// set aside.
const corruptSuffix = ".corrupt"

// setAside renames a damaged file to path+".corrupt" (replacing an earlier
// one, so at most one copy is kept) and makes it 0600, so a fresh file can
// take its place while the old bytes stay available for a look.
func setAside(path string) (string, error) {
	aside := path + corruptSuffix
	if err := os.Rename(path, aside); err != nil {
		return "", fmt.Errorf("set aside %s: %w", path, err)
	}
	if err := os.Chmod(aside, privateFileMode); err != nil && runtime.GOOS != "windows" {
		return aside, fmt.Errorf("restrict %s to its owner: %w", aside, err)
	}
	return aside, nil
}
