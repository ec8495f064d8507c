//go:build unix

package desk

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"pkcedesk/view"
)

// A ca_file that is a named pipe used to block sign-in, Send and Discover
// forever in os.Open (a FIFO opens only when a writer appears).
func TestFIFOCAFileFailsPromptlyWithAClearError(t *testing.T) {
	d, _, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	ctx := testCtx(t)
	fifo := filepath.Join(t.TempDir(), "ca.pem")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	p := saveWithCA(t, d, fifo)
	const limit = 10 * time.Second
	const want = "not a regular file"

	v := within(t, limit, "SignIn", func() view.Session { v, _ := d.SignIn(ctx, p.ID, false); return v })
	if v.Status != view.StatusError || v.Error == nil || !strings.Contains(v.Error.Message, want) || !strings.Contains(v.Error.Message, fifo) {
		t.Errorf("SignIn: status %q, error %+v", v.Status, v.Error)
	}
	err := within(t, limit, "Send", func() error {
		_, err := d.Send(ctx, view.RequestSpec{ID: "r1", ProfileID: p.ID, Method: "GET", URL: "https://api.example.invalid/"})
		return err
	})
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Send: %v", err)
	}
	err = within(t, limit, "Discover", func() error { _, err := d.Discover(ctx, p); return err })
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Discover: %v", err)
	}
}
