//go:build unix

package regularfile

import (
	"os"
	"syscall"
)

// open opens path read-only without blocking (a FIFO with no writer opens
// at once instead of waiting) and without making a terminal this process's
// controlling terminal. O_NONBLOCK has no effect on reads of regular files.
func open(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_NOCTTY, 0)
}
