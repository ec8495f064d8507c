package harness

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stopGrace is how long Stop gives a process between SIGTERM and SIGKILL.
const stopGrace = 5 * time.Second

// logCap bounds the output kept per process: the last 1 MiB (the tail is
// what matters when a process fails).
const logCap = 1 << 20

// Process is a process the harness started: an app, a display, a bus, a
// keychain, a provider, a CLI run. It runs in its own process group so Stop
// reaches its children too, and it is registered so StopAll can stop it from
// a signal handler or TestMain if a test never got to its cleanup.
type Process struct {
	// Name is a short label used in errors and logs ("hydra", "Xvfb").
	Name string

	cmd  *exec.Cmd
	out  *tailBuffer
	done chan struct{}
	err  error // set before done is closed

	stopMu sync.Mutex
}

var (
	runningMu sync.Mutex
	running   = map[int]*Process{}
)

// StartProcess starts cmd in a new process group, keeping the last 1 MiB of
// its combined stdout and stderr (only of stderr when the caller set
// cmd.Stdout or took cmd.StdoutPipe already). The process is registered for
// StopAll and its PID recorded in $PKCE_DESK_PIDDIR while it runs.
func StartProcess(name string, cmd *exec.Cmd) (*Process, error) {
	p := &Process{Name: name, cmd: cmd, out: &tailBuffer{max: logCap}, done: make(chan struct{})}
	if cmd.Stdout == nil {
		cmd.Stdout = p.out
	}
	if cmd.Stderr == nil {
		cmd.Stderr = p.out
	}
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

// StartProcessFirstLine is StartProcess for a process that announces itself
// on the first line of its standard output (a bus address, a JSON ready
// line): that line arrives on the channel, without its line ending; the
// channel is closed without one when the process exits first. Later output
// is drained; Logs keeps standard error.
func StartProcessFirstLine(name string, cmd *exec.Cmd) (*Process, <-chan string, error) {
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	p, err := StartProcess(name, cmd)
	if err != nil {
		pw.Close()
		return nil, nil, err
	}
	go func() { <-p.Exited(); pw.Close() }()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(io.LimitReader(pr, 64<<10)).ReadString('\n')
		if line != "" {
			lines <- strings.TrimRight(line, "\r\n")
		}
		close(lines)
		_, _ = io.Copy(io.Discard, pr) // so the process never blocks on stdout
	}()
	return p, lines, nil
}

// PID is the process id (also its process group id).
func (p *Process) PID() int { return p.cmd.Process.Pid }

// Exited is closed when the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.done }

// ExitErr is the process's exit status; valid once Exited is closed.
func (p *Process) ExitErr() error { return p.err }

// Running reports whether the process has not exited yet.
func (p *Process) Running() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// Logs returns the tail of the process's output.
func (p *Process) Logs() string { return p.out.String() }

// Stop is StopWithin(5 s).
func (p *Process) Stop() { p.StopWithin(stopGrace) }

// StopWithin sends SIGTERM to the process group, waits up to grace, then
// sends SIGKILL to the group and waits for the exit. It reports whether the
// process ended within grace (true when it had exited already). It returns
// only when the process is gone and is safe to call more than once.
func (p *Process) StopWithin(grace time.Duration) bool {
	p.stopMu.Lock()
	defer p.stopMu.Unlock()
	pgid := p.cmd.Process.Pid
	select {
	case <-p.done:
		return true
	default:
	}
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
		return true
	case <-time.After(grace):
	}
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
	<-p.done
	return false
}

// KillGroup sends SIGKILL to what is left of the process group (helpers
// that outlive their leader, such as WebKit's web process).
func (p *Process) KillGroup() { _ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL) }

// StopAll stops every process started by StartProcess that is still
// running. Main calls it on exit and on SIGINT/SIGTERM.
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

// recordPID writes an empty file named pid into $PKCE_DESK_PIDDIR (if set)
// so run.sh's exit trap can kill, by PID, any process a crashed or killed
// test binary left behind. It returns the file's path, or "".
func recordPID(pid int) string {
	dir := os.Getenv(EnvPIDDir)
	if dir == "" {
		return ""
	}
	f := filepath.Join(dir, strconv.Itoa(pid))
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

// tailBuffer keeps the last max bytes written to it; safe for the
// concurrent writes of a child's stdout and stderr.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	max int
}

// newTailBuffer keeps the last 1 MiB.
func newTailBuffer() *tailBuffer { return &tailBuffer{max: logCap} }

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
