package providers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// stopGrace is how long a process gets between SIGTERM and SIGKILL.
const stopGrace = 5 * time.Second

// logCap bounds the output kept per process (the tail is what matters when
// a provider fails to start).
const logCap = 64 << 10

// Process is a server the tests started. It runs in its own process group so
// Stop reaches any children too, and it is registered so StopAll can kill it
// from a signal handler or TestMain if a test never got to its cleanup.
type Process struct {
	// Name is a short label used in errors and logs ("hydra", "zitadelop").
	Name string

	cmd  *exec.Cmd
	out  *tailBuffer
	done chan struct{}
	err  error // set before done is closed

	stopOnce sync.Once
}

var (
	runningMu sync.Mutex
	running   = map[int]*Process{}
)

// StartProcess starts cmd in a new process group, capturing the last 64 KiB
// of its combined stdout and stderr unless the caller set cmd.Stdout already
// (then only stderr is captured). The process is registered for StopAll.
func StartProcess(name string, cmd *exec.Cmd) (*Process, error) {
	p := &Process{Name: name, cmd: cmd, out: &tailBuffer{max: logCap}, done: make(chan struct{})}
	if cmd.Stdout == nil {
		cmd.Stdout = p.out
	}
	cmd.Stderr = p.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s (%s): %w", name, cmd.Path, err)
	}
	pid := cmd.Process.Pid
	runningMu.Lock()
	running[pid] = p
	runningMu.Unlock()
	pidFile := recordPID(pid)
	go func() {
		p.err = cmd.Wait()
		runningMu.Lock()
		delete(running, pid)
		runningMu.Unlock()
		if pidFile != "" {
			_ = os.Remove(pidFile)
		}
		close(p.done)
	}()
	return p, nil
}

// PID is the process id (also its process group id).
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Exited is closed when the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.done }

// ExitErr is the process's exit status; valid once Exited is closed.
func (p *Process) ExitErr() error { return p.err }

// Logs returns the tail of the process's output.
func (p *Process) Logs() string { return p.out.String() }

// Stop sends SIGTERM to the process group, waits up to 5 s, then sends
// SIGKILL and waits for the exit. It is safe to call more than once and
// returns only when the process is gone.
func (p *Process) Stop() {
	p.stopOnce.Do(func() {
		pgid := p.cmd.Process.Pid
		select {
		case <-p.done:
			return
		default:
		}
		_ = syscall.Kill(-pgid, syscall.SIGTERM)
		select {
		case <-p.done:
			return
		case <-time.After(stopGrace):
		}
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.done
	})
	<-p.done
}

// StopAll stops every process started by StartProcess that is still
// running. TestMain and the signal handler call it.
func StopAll() {
	runningMu.Lock()
	ps := make([]*Process, 0, len(running))
	for _, p := range running {
		ps = append(ps, p)
	}
	runningMu.Unlock()
	var wg sync.WaitGroup
	for _, p := range ps {
		wg.Add(1)
		go func() { defer wg.Done(); p.Stop() }()
	}
	wg.Wait()
}

// FreePort returns a TCP port on 127.0.0.1 that was free a moment ago. For
// servers that cannot report an ephemeral port themselves (Hydra); callers
// retry the start when the port got taken in between.
func FreePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port on 127.0.0.1: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// recordPID writes an empty file named pid into $PKCE_E2E_PIDDIR (if set) so
// run.sh's exit trap can kill, by PID, any server a crashed or killed test
// binary left behind. It returns the file's path, or "".
func recordPID(pid int) string {
	dir := os.Getenv(EnvPIDDir)
	if dir == "" {
		return ""
	}
	f := filepath.Join(dir, itoa(pid))
	if err := os.WriteFile(f, nil, 0o600); err != nil {
		return ""
	}
	return f
}

// errNotReady is returned by a readiness probe that should be retried.
var errNotReady = errors.New("not ready yet")

// waitFor calls probe every interval until it returns nil, the process
// exits, or the deadline passes. It makes at most timeout/interval+1 calls.
func waitFor(ctx context.Context, p *Process, timeout, interval time.Duration, probe func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	attempts := int(timeout/interval) + 1
	var last error
	for i := 0; i < attempts; i++ {
		if last = probe(ctx); last == nil {
			return nil
		}
		select {
		case <-p.Exited():
			return fmt.Errorf("%s exited before it was ready (%v); its output ends with:\n%s", p.Name, p.ExitErr(), p.Logs())
		case <-ctx.Done():
			return fmt.Errorf("%s not ready after %s (last probe: %v); its output ends with:\n%s", p.Name, timeout, last, p.Logs())
		case <-time.After(interval):
		}
	}
	return fmt.Errorf("%s not ready after %d probes (last: %v); its output ends with:\n%s", p.Name, attempts, last, p.Logs())
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if over := b.buf.Len() - b.max; over > 0 {
		b.buf.Next(over)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// itoa is strconv.Itoa, short for building addresses.
func itoa(n int) string { return strconv.Itoa(n) }
