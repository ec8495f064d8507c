package harness

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Xvfb is a private virtual X display for one test.
type Xvfb struct {
	// Name is the DISPLAY value, such as ":93".
	Name string
	proc *Process
}

// displayRange is where StartXvfb looks for a free display number; the
// shell smoke test scans the same range.
const displayFirst, displayLast = 90, 99

// StartXvfb starts Xvfb (1280×800×24, no TCP) on the first display number in
// :90–:99 with no socket or lock file, retrying on the next one if another
// process takes it first, and stops it when t ends.
func StartXvfb(t testing.TB) *Xvfb {
	t.Helper()
	for n := displayFirst; n <= displayLast; n++ {
		if exists(fmt.Sprintf("/tmp/.X11-unix/X%d", n)) || exists(fmt.Sprintf("/tmp/.X%d-lock", n)) {
			continue
		}
		x, err := startXvfb(n)
		if err != nil {
			t.Logf("display :%d: %v; trying the next one", n, err)
			continue
		}
		t.Cleanup(x.stop)
		return x
	}
	t.Fatalf("no free X display in :%d–:%d (is Xvfb installed? apt-get install xvfb)", displayFirst, displayLast)
	return nil
}

func startXvfb(n int) (*Xvfb, error) {
	cmd := exec.Command("Xvfb", ":"+strconv.Itoa(n), "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	proc, err := StartProcess("Xvfb", cmd)
	if err != nil {
		return nil, err
	}
	x := &Xvfb{Name: ":" + strconv.Itoa(n), proc: proc}
	socket := fmt.Sprintf("/tmp/.X11-unix/X%d", n)
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-proc.Exited():
			return nil, fmt.Errorf("Xvfb exited: %s", strings.TrimSpace(proc.Logs()))
		case <-time.After(50 * time.Millisecond):
		}
		if exists(socket) {
			return x, nil
		}
	}
	x.stop()
	return nil, fmt.Errorf("Xvfb made no socket %s within 10 s", socket)
}

// stop ends Xvfb: SIGTERM, then SIGKILL after 5 s.
func (x *Xvfb) stop() { x.proc.Stop() }

func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
