package harness

import (
	"os"
	"syscall"
	"time"
)

// stopProcess sends SIGTERM to p (to its whole process group when group is
// true), waits up to grace for done to close, then sends SIGKILL and waits up
// to 5 s more. It reports whether the process ended within grace.
func stopProcess(p *os.Process, done <-chan struct{}, grace time.Duration, group bool) bool {
	signal := func(sig syscall.Signal) {
		if group {
			syscall.Kill(-p.Pid, sig) // the group we created with Setpgid
		} else {
			p.Signal(sig)
		}
	}
	select {
	case <-done:
		return true
	default:
	}
	signal(syscall.SIGTERM)
	select {
	case <-done:
		return true
	case <-time.After(grace):
	}
	signal(syscall.SIGKILL)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	return false
}
