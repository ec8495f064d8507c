package capped

import (
	"errors"
	"strings"
	"testing"
)

func TestReadAll(t *testing.T) {
	if b, err := ReadAll(strings.NewReader("12345"), 5); err != nil || string(b) != "12345" {
		t.Fatalf("exactly the cap: %q %v", b, err)
	}
	_, err := ReadAll(strings.NewReader("123456"), 5)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "5 bytes") {
		t.Fatalf("one byte over: %v", err)
	}
	if Size(512<<10) != "512 KiB" || Size(1<<20) != "1 MiB" || Size(300) != "300 bytes" {
		t.Error("Size")
	}
}
