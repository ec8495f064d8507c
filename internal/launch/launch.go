// Package launch opens a URL in the system browser and says when that
// failed — unlike Wails' BrowserOpenURL, which only logs "Unable to open
// default system browser" and lets the app claim the page is open. The GUI
// and the CLI share it, so $BROWSER means the same in both.
//
// A browser launch is judged within a grace period: the command not found,
// no browser configured at all, or a command that exits non-zero before the
// grace period ends (xdg-open finding no browser, Chromium refusing to run
// as root without a sandbox flag) is an *Error. A command that exits 0, or
// is still running when the grace period ends (a browser that stays in the
// foreground), is a success; it is left running and reaped in the
// background.
package launch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultGrace is how long Open waits for the browser command to fail.
const DefaultGrace = 3 * time.Second

// maxStderr caps how much of the command's error output an Error quotes.
const maxStderr = 2 << 10

// Launcher opens URLs with a browser command. The zero value uses $BROWSER
// (read at each Open), else the platform's opener, with DefaultGrace.
type Launcher struct {
	// Browser stands in for $BROWSER when non-empty: a command line split
	// on spaces, the URL appended as the last argument, or put where "%s"
	// stands. Several may be given separated by ":" (the $BROWSER
	// convention); the first that starts is used.
	Browser string
	// GOOS stands in for runtime.GOOS (tests).
	GOOS string
	// Grace stands in for DefaultGrace when positive.
	Grace time.Duration
}

// Error says the browser could not be opened: which command, and why.
type Error struct {
	// Command is the program that was run (or looked for).
	Command string
	// Reason is what went wrong, in words for the user.
	Reason string
	// Output is the start of the command's error output, if any, with the
	// URL itself replaced by "<url>".
	Output string
	// Err is the underlying error, if any.
	Err error
}

func (e *Error) Error() string {
	msg := "the system browser could not be opened: " + e.Reason
	if e.Output != "" {
		msg += " (" + e.Output + ")"
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// ErrNoBrowser is wrapped when no browser command is configured or found.
var ErrNoBrowser = errors.New("no system browser")

// Open opens rawURL with the default Launcher.
func Open(ctx context.Context, rawURL string) error { return Launcher{}.Open(ctx, rawURL) }

// Command is the command line Open would run for rawURL first: from
// browserEnv (the $BROWSER value) when it names one, else the platform's
// opener (xdg-open, open, rundll32 url.dll,FileProtocolHandler).
func Command(browserEnv, goos, rawURL string) (string, []string) {
	cmds := commands(browserEnv, goos, rawURL)
	return cmds[0][0], cmds[0][1:]
}

func commands(browserEnv, goos, rawURL string) [][]string {
	var out [][]string
	for _, one := range strings.Split(browserEnv, ":") {
		f := strings.Fields(one)
		if len(f) == 0 {
			continue
		}
		placed := false
		for i, a := range f {
			if strings.Contains(a, "%s") {
				f[i], placed = strings.ReplaceAll(a, "%s", rawURL), true
			}
		}
		if !placed {
			f = append(f, rawURL)
		}
		out = append(out, f)
	}
	if len(out) > 0 {
		return out
	}
	switch goos {
	case "darwin":
		return [][]string{{"open", rawURL}}
	case "windows":
		return [][]string{{"rundll32", "url.dll,FileProtocolHandler", rawURL}}
	}
	return [][]string{{"xdg-open", rawURL}}
}

// Open starts the browser on rawURL, an http or https URL, and waits up to
// the grace period for it to fail. ctx ending stops the wait (never the
// browser) and returns ctx's error.
func (l Launcher) Open(ctx context.Context, rawURL string) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return &Error{Reason: "only http and https URLs are opened in the browser", Err: err}
	}
	env, goos, grace := l.Browser, l.GOOS, l.Grace
	if env == "" {
		env = os.Getenv("BROWSER")
	}
	if goos == "" {
		goos = runtime.GOOS
	}
	if grace <= 0 {
		grace = DefaultGrace
	}
	var firstErr error
	for _, argv := range commands(env, goos, rawURL) {
		err := start(ctx, argv, rawURL, grace, strings.TrimSpace(strings.ReplaceAll(env, ":", "")) == "")
		if err == nil || ctx.Err() != nil {
			return err
		}
		var le *Error
		if errors.As(err, &le) && !errors.Is(err, ErrNoBrowser) {
			return err // it started and failed: that is the answer
		}
		if firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// start runs one command line and judges it within grace.
// platform says argv is the platform's opener, not the user's $BROWSER.
func start(ctx context.Context, argv []string, rawURL string, grace time.Duration, platform bool) error {
	name := argv[0]
	path, err := exec.LookPath(name)
	if err != nil {
		reason := fmt.Sprintf("%s was not found", name)
		if platform {
			reason += "; install a browser (and xdg-utils), or set $BROWSER to one"
		}
		return &Error{Command: name, Reason: reason, Err: fmt.Errorf("%w: %w", ErrNoBrowser, err)}
	}
	// The error output goes to a file, not a pipe: a browser started by
	// the command (xdg-open starting Chromium) inherits it and may keep it
	// open for hours; with a pipe, reading it would wait for the browser.
	errFile, ferr := os.CreateTemp("", "pkce-desk-browser-*.log")
	cmd := exec.Command(path, argv[1:]...)
	cmd.Stdin, cmd.Stdout = nil, nil
	if ferr == nil {
		cmd.Stderr = errFile
	}
	cleanup := func() {
		if errFile != nil {
			_ = errFile.Close()
			_ = os.Remove(errFile.Name())
		}
	}
	if ferr != nil {
		errFile = nil
	}
	if err := cmd.Start(); err != nil {
		cleanup()
		return &Error{Command: name, Reason: fmt.Sprintf("%s could not be started: %v", name, err), Err: err}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case err := <-done:
		defer cleanup()
		if err == nil {
			return nil
		}
		out := readCapped(errFile, rawURL)
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return &Error{Command: name, Reason: fmt.Sprintf("%s exited with status %d", name, ee.ExitCode()), Output: out, Err: err}
		}
		return &Error{Command: name, Reason: fmt.Sprintf("%s failed: %v", name, err), Output: out, Err: err}
	case <-timer.C:
		go func() { <-done; cleanup() }() // the browser runs on; reap it when it exits
		return nil
	case <-ctx.Done():
		go func() { <-done; cleanup() }()
		return ctx.Err()
	}
}

// readCapped returns the start of f's content on one line, the URL masked.
func readCapped(f *os.File, rawURL string) string {
	if f == nil {
		return ""
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return ""
	}
	b, _ := io.ReadAll(io.LimitReader(f, maxStderr))
	s := strings.ToValidUTF8(string(b), "?")
	s = strings.ReplaceAll(s, rawURL, "<url>")
	s = strings.Join(strings.Fields(s), " ")
	const show = 300
	if utf8.RuneCountInString(s) > show {
		s = string([]rune(s)[:show]) + "…"
	}
	return s
}
