package desk

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"pkcedesk/internal/browserbot"
	"pkcedesk/store"
)

// recorder collects the events a Desk emits to the frontend.
type recorder struct {
	mu     sync.Mutex
	events []emitted
}

type emitted struct {
	name string
	data any
}

func (r *recorder) emit(name string, data any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, emitted{name, data})
}

func (r *recorder) named(name string) []any {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []any
	for _, e := range r.events {
		if e.name == name {
			out = append(out, e.data)
		}
	}
	return out
}

// newTestDesk opens a Desk on a temp config dir with in-memory secrets and
// a stand-in browser that signs in as user on the demo provider. edits
// change the Options before Open (test hooks such as readFile).
func newTestDesk(t *testing.T, dir string, secrets store.Secrets, user string, edits ...func(*Options)) (*Desk, *recorder, *browserbot.Bot) {
	t.Helper()
	if secrets == nil {
		secrets = store.NewMemorySecrets()
	}
	opts := Options{Version: "test", ConfigDir: dir, Secrets: secrets,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, edit := range edits {
		edit(&opts)
	}
	d, err := Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	bot := browserbot.New(browserbot.Options{User: user})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); d.Close() })
	d.Start(ctx, Host{Emit: rec.emit, OpenBrowser: func(u string) error { return bot.Opener()(ctx, u) }})
	return d, rec, bot
}

// testCtx is a bounded context for one test.
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func waitABit() { time.Sleep(10 * time.Millisecond) }
