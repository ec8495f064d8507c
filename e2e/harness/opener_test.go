package harness

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// runStandIn runs one of the stand-in commands the way pkg/browser does:
// found on PATH, with the URL as its only argument, waited for.
func runStandIn(t *testing.T, o *Opener, name, url string) {
	t.Helper()
	cmd := exec.Command(filepath.Join(o.BinDir, name), url)
	cmd.Env = SetEnv(os.Environ(), o.Env()...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, url, err, out)
	}
}

func TestOpenerQueuesURLsInOrder(t *testing.T) {
	o := NewOpener(t, nil)
	urls := []string{
		"http://127.0.0.1:1234/authorize?client_id=desk&state=a%20b&redirect_uri=http%3A%2F%2F127.0.0.1%3A5555%2Fcallback",
		"https://example.com/logout?x=1&y='quoted'",
	}
	runStandIn(t, o, "xdg-open", urls[0])
	runStandIn(t, o, "x-www-browser", urls[1])

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for i, want := range urls {
		got, err := o.Next(ctx)
		if err != nil {
			t.Fatalf("URL %d: %v", i, err)
		}
		if got != want {
			t.Errorf("URL %d = %q, want %q", i, got, want)
		}
	}
}

func TestOpenerCallsHandler(t *testing.T) {
	got := make(chan string, 1)
	o := NewOpener(t, func(url string) { got <- url })
	runStandIn(t, o, "www-browser", "http://127.0.0.1:9/x")
	select {
	case u := <-got:
		if u != "http://127.0.0.1:9/x" {
			t.Errorf("handler got %q", u)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the handler was not called within 10 s")
	}
}

func TestOpenerStandInFailsWithoutSpool(t *testing.T) {
	o := NewOpener(t, nil)
	cmd := exec.Command(filepath.Join(o.BinDir, "xdg-open"), "http://127.0.0.1/")
	cmd.Env = filteredEnviron(OpenerSpoolEnv)
	if err := cmd.Run(); err == nil {
		t.Fatal("the stand-in succeeded with no spool set; it must fail loudly instead of dropping the URL")
	}
}

func TestNextTimesOut(t *testing.T) {
	o := NewOpener(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := o.Next(ctx); err == nil {
		t.Fatal("Next returned no error although nothing was opened")
	}
}

// The stand-in scripts the harness writes at run time are shell scripts of
// the project too: they get the same shellcheck as the tree's *.sh files.
func TestGeneratedScriptsPassShellcheck(t *testing.T) {
	sc, err := exec.LookPath("shellcheck")
	if err != nil {
		t.Fatal("shellcheck not found (apt-get install shellcheck); it checks the stand-in scripts the harness writes")
	}
	opener := filepath.Join(t.TempDir(), "xdg-open")
	if err := os.WriteFile(opener, []byte(openerScript), 0o755); err != nil {
		t.Fatal(err)
	}
	shared := SharedBusBinary(t, "/opt/it's here/pkce-desk", "unix:path=/tmp/a b/bus,guid=1")
	if out, err := exec.Command(sc, opener, shared).CombinedOutput(); err != nil {
		t.Errorf("shellcheck: %v\n%s", err, out)
	}
}
