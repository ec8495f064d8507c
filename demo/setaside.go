package demo

import (
	"fmt"
	"os"
	"runtime"

	"pkcedesk/internal/atomicfile"
)

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
	if err := os.Chmod(aside, atomicfile.FileMode); err != nil && runtime.GOOS != "windows" {
		return aside, fmt.Errorf("restrict %s to its owner: %w", aside, err)
	}
	return aside, nil
}
