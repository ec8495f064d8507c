package harness

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// OpenerSpoolEnv names the environment variable that tells the stand-in
// xdg-open where to drop the URLs it is asked to open.
const OpenerSpoolEnv = "PKCE_DESK_OPENER_SPOOL"

// openerScript stands in for xdg-open (and x-www-browser, www-browser): Wails'
// runtime.BrowserOpenURL runs the first of those found on PATH and waits for it
// to exit, so the script only drops the URL into the spool and exits at once.
// The rename makes each file appear whole.
const openerScript = `#!/bin/sh
# Stand-in system browser written by the PKCE Desk e2e harness.
[ -n "$` + OpenerSpoolEnv + `" ] || { echo "stand-in $0: ` + OpenerSpoolEnv + ` is not set" >&2; exit 3; }
f="$` + OpenerSpoolEnv + `/$(date +%s%N)-$$"
printf '%s' "$1" >"$f.tmp" && mv "$f.tmp" "$f.url"
`

// Opener is the stand-in "system browser" for the app under test. Each URL
// the app opens reaches the handler given to NewOpener, in order, or waits in
// a queue for Next when there is no handler.
type Opener struct {
	// BinDir holds the stand-in commands; put it first on the app's PATH.
	BinDir string
	// Spool is where the stand-in drops URLs (the value of OpenerSpoolEnv).
	Spool  string
	queue  chan string
	handle func(string)
	stop   chan struct{}
	done   chan struct{}
}

// NewOpener installs the stand-in commands in a temp folder and watches the
// spool until t ends. handle may be nil (URLs then queue up for Next).
func NewOpener(t testing.TB, handle func(url string)) *Opener {
	t.Helper()
	base := t.TempDir()
	o := &Opener{
		BinDir: filepath.Join(base, "bin"),
		Spool:  filepath.Join(base, "spool"),
		queue:  make(chan string, 64),
		handle: handle,
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
	for _, dir := range []string{o.BinDir, o.Spool} {
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatalf("stand-in opener: %v", err)
		}
	}
	for _, name := range []string{"xdg-open", "x-www-browser", "www-browser"} {
		if err := os.WriteFile(filepath.Join(o.BinDir, name), []byte(openerScript), 0o755); err != nil {
			t.Fatalf("stand-in opener: %v", err)
		}
	}
	go o.watch()
	t.Cleanup(func() { close(o.stop); <-o.done })
	return o
}

// Env returns the environment entries that route the app's browser opens to
// this Opener: PATH with BinDir first, and the spool location.
func (o *Opener) Env() []string {
	return []string{
		"PATH=" + o.BinDir + string(os.PathListSeparator) + os.Getenv("PATH"),
		OpenerSpoolEnv + "=" + o.Spool,
	}
}

// Next returns the next queued URL, or an error when ctx ends first. It is
// for Openers made without a handler.
func (o *Opener) Next(ctx context.Context) (string, error) {
	select {
	case u := <-o.queue:
		return u, nil
	case <-ctx.Done():
		return "", fmt.Errorf("the app opened no URL in the system browser: %w", ctx.Err())
	}
}

// watch polls the spool every 50 ms until stop, delivering complete files in
// the order they were written.
func (o *Opener) watch() {
	defer close(o.done)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-o.stop:
			return
		case <-tick.C:
		}
		entries, err := os.ReadDir(o.Spool)
		if err != nil {
			continue
		}
		var names []string
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".url") {
				names = append(names, e.Name())
			}
		}
		slices.Sort(names)
		for _, name := range names {
			path := filepath.Join(o.Spool, name)
			data, err := os.ReadFile(path)
			os.Remove(path)
			if err != nil {
				continue
			}
			o.deliver(string(data))
		}
	}
}

func (o *Opener) deliver(url string) {
	if o.handle != nil {
		o.handle(url)
		return
	}
	select {
	case o.queue <- url:
	default: // a test that never reads 64 URLs does not care about more
	}
}
