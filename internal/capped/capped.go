// Package capped reads a stream whole, but never more than a cap: the one
// rule for provider responses and for files a user names, so a hostile
// server or a huge file cannot exhaust memory.
package capped

import (
	"errors"
	"fmt"
	"io"
)

// ErrTooLarge is matched when the stream holds more than the cap.
var ErrTooLarge = errors.New("larger than allowed")

// ReadAll reads r to EOF. A stream longer than max bytes is an error
// matching ErrTooLarge (after reading at most max+1 bytes).
func ReadAll(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: more than %s", ErrTooLarge, Size(max))
	}
	return b, nil
}

// Size renders a byte count for a message: "512 KiB", "1 MiB", "300 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}
