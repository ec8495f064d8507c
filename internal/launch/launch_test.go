package launch

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

const testURL = "http://127.0.0.1:5555/authorize?state=abc&code_challenge=xyz"

// script writes an executable shell script and returns its path.
func script(t *testing.T, body string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("shell scripts")
	}
	p := filepath.Join(t.TempDir(), "browser")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	return p
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestCommand(t *testing.T) {
	for _, c := range []struct {
		env, goos string
		want      []string
	}{
		{"", "linux", []string{"xdg-open", "U"}},
		{"", "darwin", []string{"open", "U"}},
		{"", "windows", []string{"rundll32", "url.dll,FileProtocolHandler", "U"}},
		{"chromium --no-sandbox", "linux", []string{"chromium", "--no-sandbox", "U"}},
		{"firefox -new-tab %s", "linux", []string{"firefox", "-new-tab", "U"}},
		{"  :w3m", "linux", []string{"w3m", "U"}},
	} {
		name, args := Command(c.env, c.goos, "U")
		if got := append([]string{name}, args...); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("Command(%q, %q) = %q, want %q", c.env, c.goos, got, c.want)
		}
	}
}

// A browser that exits 0 at once, or that stays running past the grace
// period, is a success.
func TestOpenSucceeds(t *testing.T) {
	mark := filepath.Join(t.TempDir(), "url")
	ok := script(t, `printf '%s' "$1" > `+mark)
	if err := (Launcher{Browser: ok}).Open(ctx(t), testURL); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(mark); string(b) != testURL {
		t.Fatalf("browser got %q", b)
	}
	stays := script(t, "sleep 5")
	start := time.Now()
	if err := (Launcher{Browser: stays, Grace: 200 * time.Millisecond}).Open(ctx(t), testURL); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("waited %v for a browser that stays open", d)
	}
}

// A launcher that exits non-zero within the grace period is an *Error
// naming the status and quoting its error output, with the URL masked.
func TestOpenReportsAFailingLauncher(t *testing.T) {
	bad := script(t, `echo "Running as root without --no-sandbox is not supported. url=$1" >&2; exit 1`)
	err := (Launcher{Browser: bad}).Open(ctx(t), testURL)
	var le *Error
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want *Error", err)
	}
	msg := err.Error()
	for _, want := range []string{"exited with status 1", "--no-sandbox", "url=<url>"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "state=abc") {
		t.Errorf("error %q repeats the URL", msg)
	}
}

// No browser at all: the command is not found, and the error says so.
func TestOpenReportsNoBrowser(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("BROWSER", "")
	err := (Launcher{GOOS: "linux"}).Open(ctx(t), testURL)
	if !errors.Is(err, ErrNoBrowser) || !strings.Contains(err.Error(), "xdg-open was not found") {
		t.Fatalf("err = %v", err)
	}
	err = (Launcher{Browser: "no-such-browser-here"}).Open(ctx(t), testURL)
	if !errors.Is(err, ErrNoBrowser) || !strings.Contains(err.Error(), "no-such-browser-here was not found") {
		t.Fatalf("err = %v", err)
	}
}

// $BROWSER is honoured, and its ":"-separated list falls back past a
// command that is not installed.
func TestOpenHonoursBROWSER(t *testing.T) {
	mark := filepath.Join(t.TempDir(), "url")
	ok := script(t, `printf '%s' "$2" > `+mark)
	t.Setenv("BROWSER", "no-such-browser-here:"+ok+" --flag")
	if err := Open(ctx(t), testURL); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(mark); string(b) != testURL {
		t.Fatalf("browser got %q", b)
	}
}

func TestOpenRefusesOtherSchemes(t *testing.T) {
	for _, u := range []string{"file:///etc/passwd", "-x", "javascript:alert(1)", ""} {
		if err := (Launcher{Browser: "true"}).Open(ctx(t), u); err == nil {
			t.Errorf("opened %q", u)
		}
	}
}
