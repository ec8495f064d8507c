//go:build !unix

package regularfile

import (
	"fmt"
	"os"
)

// open refuses a path that does not name a regular file before opening it
// (on Windows a named pipe lives under \\.\pipe\ and an open may wait for
// its server); Read checks the opened file again.
func open(path string) (*os.File, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %s, %w", path, kind(info.Mode()), ErrNotRegular)
	}
	return os.Open(path)
}
