//go:build unix

package demo

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A named pipe in place of the key or state file used to hang Start in
// os.Open (a FIFO opens only when a writer appears). The files are read as
// regular files only, so Start now fails at once and names the file.
func TestStateDirFIFOFailsStartPromptly(t *testing.T) {
	for _, name := range []string{keyFileName, stateFileName} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			fifo := filepath.Join(dir, name)
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				s, err := Start(t.Context(), Options{StateDir: dir})
				if err == nil {
					s.Close()
				}
				done <- err
			}()
			select {
			case err := <-done:
				if !errors.Is(err, ErrStateDir) || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), fifo) {
					t.Errorf("Start with a FIFO %s: %v", name, err)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("Start still blocked on the FIFO %s after 10s", name)
			}
		})
	}
}
