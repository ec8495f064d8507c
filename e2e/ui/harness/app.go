package harness

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// DefaultTestVersion is the version DevBinary builds with when it builds the
// binary itself; tests compare App.Info().version against it.
const DefaultTestVersion = "0.0.0-e2e"

var (
	buildOnce    sync.Once
	builtBin     string
	builtVersion string
	buildErr     error
)

// DevBinary returns a dev-tagged PKCE Desk binary and the version it was
// built with: $PKCEDESK_DEV_BIN and $PKCEDESK_VERSION when set, else it builds
// build/bin/pkce-desk-dev (go build -tags dev,webkit2_41) once per test binary
// with main.version set to DefaultTestVersion.
func DevBinary(t testing.TB) (path, version string) {
	t.Helper()
	if bin := os.Getenv("PKCEDESK_DEV_BIN"); bin != "" {
		version := os.Getenv("PKCEDESK_VERSION")
		if version == "" {
			t.Fatal("PKCEDESK_DEV_BIN is set but PKCEDESK_VERSION is not: say which main.version the binary was built with")
		}
		return bin, version
	}
	buildOnce.Do(func() {
		root, err := RepoRoot()
		if err != nil {
			buildErr = err
			return
		}
		if _, err := os.Stat(filepath.Join(root, "frontend", "dist", "index.html")); err != nil {
			buildErr = fmt.Errorf("frontend/dist/index.html is missing: build the frontend first (make frontend)")
			return
		}
		out := filepath.Join(root, "build", "bin", "pkce-desk-dev")
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-tags", "dev,webkit2_41",
			"-ldflags", "-X main.version="+DefaultTestVersion, "-o", out, ".")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if msg, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("build the dev app: %w\n%s", err, msg)
			return
		}
		builtBin, builtVersion = out, DefaultTestVersion
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin, builtVersion
}

// AppOptions describe one launch of the dev app.
type AppOptions struct {
	// Binary is the dev-tagged executable (see DevBinary).
	Binary string
	// Version is the main.version the binary was built with.
	Version string
	// Display is the X display for the app's window, such as ":93".
	Display string
	// Opener, when set, receives the URLs the app opens in the system browser.
	Opener *Opener
	// Env is added to the app's environment (NAME=value).
	Env []string
	// ReadyTimeout bounds the wait for the dev server; default 60 s.
	ReadyTimeout time.Duration
}

// App is a running dev-tagged PKCE Desk: a real window on the test display
// and the Wails dev server on 127.0.0.1, which serves the UI from
// frontend/dist and bridges window.go.* calls to the real Go bindings.
type App struct {
	// URL is the dev server's address, such as http://127.0.0.1:40123.
	URL string
	// Version is the main.version the binary was built with.
	Version string
	// Home is the app's private HOME; XDG folders sit next to it.
	Home string
	cmd  *exec.Cmd
	done chan struct{}
	logs *syncBuffer
}

// StartApp launches the app inside its own D-Bus session (so the
// single-instance lock is isolated), with fresh HOME/XDG folders, and waits
// until its dev server answers. The app and everything it started are
// stopped when t ends; the app's output is logged if t failed.
func StartApp(t testing.TB, opts AppOptions) *App {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	port, err := FreePort()
	if err != nil {
		t.Fatal(err)
	}
	if !PortFree(port) {
		t.Fatalf("port %d was taken between picking and checking it; run the test again", port)
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)

	base := t.TempDir()
	dirs := map[string]string{
		"HOME": "home", "XDG_CONFIG_HOME": "config", "XDG_DATA_HOME": "data",
		"XDG_CACHE_HOME": "cache", "XDG_RUNTIME_DIR": "runtime",
	}
	env := filteredEnviron("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS", "HOME",
		"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR",
		"devserver", "assetdir", "frontenddevserverurl")
	for name, sub := range dirs {
		dir := filepath.Join(base, sub)
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		env = append(env, name+"="+dir)
	}
	env = append(env,
		"DISPLAY="+opts.Display,
		"NO_AT_BRIDGE=1",
		// Wails dev mode reads these before its flags, so no argument of
		// ours can be taken for an app argument.
		"devserver="+addr,
		"assetdir="+filepath.Join(root, "frontend", "dist"),
	)
	if opts.Opener != nil {
		env = setEnv(env, opts.Opener.Env()...)
	}
	env = setEnv(env, opts.Env...)

	logs := &syncBuffer{}
	cmd := exec.Command("dbus-run-session", "--", opts.Binary)
	cmd.Dir = root
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = logs, logs
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start the dev app (is dbus installed?): %v", err)
	}
	app := &App{URL: "http://" + addr, Version: opts.Version, Home: filepath.Join(base, "home"),
		cmd: cmd, done: make(chan struct{}), logs: logs}
	go func() { cmd.Wait(); close(app.done) }()
	t.Cleanup(func() {
		if !app.Stop() {
			t.Errorf("the app did not exit within 10 s of SIGTERM")
		}
		if t.Failed() {
			t.Logf("app output:\n%s", logs.String())
		}
	})

	timeout := opts.ReadyTimeout
	if timeout == 0 {
		timeout = 60 * time.Second
	}
	if err := app.waitReady(timeout); err != nil {
		t.Fatal(err)
	}
	return app
}

// waitReady polls the dev server until it serves the UI, the app exits, or
// the timeout passes.
func (a *App) waitReady(timeout time.Duration) error {
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-a.done:
			return fmt.Errorf("the dev app exited before its dev server came up:\n%s", a.logs.String())
		case <-time.After(200 * time.Millisecond):
		}
		resp, err := client.Get(a.URL + "/")
		if err != nil {
			continue
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			return nil
		}
	}
	return fmt.Errorf("the dev server at %s did not answer 200 within %s", a.URL, timeout)
}

// Logs returns what the app has written to stdout and stderr so far.
func (a *App) Logs() string { return a.logs.String() }

// Running reports whether the app process is still running.
func (a *App) Running() bool {
	select {
	case <-a.done:
		return false
	default:
		return true
	}
}

// Stop sends SIGTERM to the app's process group (the D-Bus session, the app
// and its WebKit helpers), waits up to 10 s, then kills what is left. It
// reports whether the app ended within the grace period. Safe to call twice.
func (a *App) Stop() bool {
	ok := stopProcess(a.cmd.Process, a.done, 10*time.Second, true)
	syscall.Kill(-a.cmd.Process.Pid, syscall.SIGKILL) // helpers outliving the leader
	return ok
}

// filteredEnviron returns os.Environ without the named variables.
func filteredEnviron(drop ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(drop, name) {
			env = append(env, kv)
		}
	}
	return env
}

// setEnv returns env with each NAME=value of add replacing any earlier NAME.
func setEnv(env []string, add ...string) []string {
	for _, kv := range add {
		name, _, _ := strings.Cut(kv, "=")
		out := env[:0:0]
		for _, old := range env {
			if n, _, _ := strings.Cut(old, "="); n != name {
				out = append(out, old)
			}
		}
		env = append(out, kv)
	}
	return env
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a child's
// stdout and stderr, capped at 1 MiB so a chatty app cannot eat memory.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

const maxLog = 1 << 20

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if room := maxLog - b.buf.Len(); room > 0 {
		if len(p) > room {
			b.buf.Write(p[:room])
		} else {
			b.buf.Write(p)
		}
	}
	return len(p), nil
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
