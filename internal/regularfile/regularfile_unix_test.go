//go:build unix

package regularfile

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// readWithin runs Read in the background and fails the test if it has not
// returned within d: the bug this package exists for is a read that never
// returns.
func readWithin(t *testing.T, d time.Duration, path string) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		_, err := Read(path, 1<<20)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		t.Fatalf("Read(%s) still blocked after %v", path, d)
		return nil
	}
}

func TestReadRefusesAFIFOWithoutBlocking(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
	err := readWithin(t, 5*time.Second, path)
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "named pipe") || !strings.Contains(err.Error(), path) {
		t.Fatalf("FIFO: %v, want a not-a-regular-file error naming the pipe and the path", err)
	}
}

func TestReadRefusesACharacterDevice(t *testing.T) {
	err := readWithin(t, 5*time.Second, "/dev/zero") // endless if read
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "character device") {
		t.Fatalf("/dev/zero: %v", err)
	}
}
