package regularfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadRegularFileUpToTheCap(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "ca.pem")
	want := bytes.Repeat([]byte("x"), 1024)
	if err := os.WriteFile(path, want, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Read(path, 1024)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Read at exactly the cap: %d bytes, %v", len(got), err)
	}
	link := filepath.Join(dir, "link.pem")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	if got, err := Read(link, 1024); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("Read through a symlink to a regular file: %d bytes, %v", len(got), err)
	}

	_, err = Read(path, 1023)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), path) {
		t.Errorf("one byte over the cap: %v", err)
	}
	if _, err := Read(filepath.Join(dir, "missing.pem"), 1024); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	_, err = Read(dir, 1024)
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "folder") {
		t.Errorf("a directory: %v", err)
	}
}
