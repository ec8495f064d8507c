// Package regularfile reads a file a user or a config names — a CA bundle,
// an import file, a store file — only if it is a regular file, and only up
// to a size cap. A named pipe, a terminal or a device in that place must
// fail at once with a clear error: os.Open on a FIFO blocks until a writer
// appears, and reading a tty or /dev/zero never ends, which would hang a
// sign-in that no Cancel reaches.
package regularfile

import (
	"errors"
	"fmt"
	"io/fs"

	"pkcedesk/internal/capped"
)

// ErrNotRegular marks a path that names something other than a regular file
// (a named pipe, a device, a socket, a directory).
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge marks a file larger than the cap Read was given.
var ErrTooLarge = errors.New("the file is too large")

// Read returns the content of the regular file at path, at most max bytes.
//
// It never blocks on what is not a regular file: on Unix the file is opened
// non-blocking (so a FIFO without a writer opens at once) and without
// becoming the controlling terminal, then checked with fstat on the open
// descriptor, so a file swapped between a check and the open is still
// caught. A missing file returns the *fs.PathError from the open (so
// errors.Is(err, fs.ErrNotExist) holds); a file that is not regular wraps
// ErrNotRegular ("/x/ca.pem is a named pipe (FIFO), not a regular file")
// and one larger than max wraps ErrTooLarge, each message naming the path.
// Callers add what the user should do, which depends on what the file is for.
func Read(path string, max int64) ([]byte, error) {
	f, err := open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is %s, %w", path, kind(info.Mode()), ErrNotRegular)
	}
	data, err := capped.ReadAll(f, max)
	switch {
	case errors.Is(err, capped.ErrTooLarge):
		return nil, fmt.Errorf("%w: %s is larger than %s", ErrTooLarge, path, capped.Size(max))
	case err != nil:
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}

// kind names a non-regular file mode for an error message.
func kind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeCharDevice != 0:
		return "a character device (such as a terminal)"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}
