package harness

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

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
	proc *Process
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
		env = SetEnv(env, opts.Opener.Env()...)
	}
	env = SetEnv(env, opts.Env...)

	cmd := exec.Command("dbus-run-session", "--", opts.Binary)
	cmd.Dir = root
	cmd.Env = env
	proc, err := StartProcess("pkce-desk-dev", cmd)
	if err != nil {
		t.Fatalf("start the dev app (is dbus installed?): %v", err)
	}
	app := &App{URL: "http://" + addr, Version: opts.Version, Home: filepath.Join(base, "home"), proc: proc}
	t.Cleanup(func() {
		if !app.Stop() {
			t.Errorf("the app did not exit within 10 s of SIGTERM")
		}
		if t.Failed() {
			t.Logf("app output:\n%s", proc.Logs())
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
		case <-a.proc.Exited():
			return fmt.Errorf("the dev app exited before its dev server came up:\n%s", a.proc.Logs())
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
func (a *App) Logs() string { return a.proc.Logs() }

// Running reports whether the app process is still running.
func (a *App) Running() bool { return a.proc.Running() }

// Stop sends SIGTERM to the app's process group (the D-Bus session, the app
// and its WebKit helpers), waits up to 10 s, then kills what is left. It
// reports whether the app ended within the grace period. Safe to call twice.
func (a *App) Stop() bool {
	ok := a.proc.StopWithin(10 * time.Second)
	a.proc.KillGroup() // helpers outliving the leader
	return ok
}
