// Package desk is the running app's state and logic behind the bindings:
// profiles and secrets (store), sign-ins and sessions (auth), the demo
// provider (demo) and test requests (apiclient), all turned into view
// structs. It imports no Wails: the window's services arrive as a Host of
// plain functions, so everything here runs in `go test` without a display.
package desk

import (
	"context"
	"log/slog"
	"runtime"

	"pkcedesk/view"
)

// Options configure a Desk.
type Options struct {
	Version string
	// ConfigDir overrides the user's config dir (tests).
	ConfigDir string
	Logger    *slog.Logger
}

// Host is what the window provides: events to the frontend, the system
// browser and file dialogs.
type Host struct {
	Emit        func(name string, data any)
	OpenBrowser func(url string) error
	SaveFile    func(title, defaultName string) (string, error)
	OpenFile    func(title string) (string, error)
}

// Desk holds the app's state for one run.
type Desk struct {
	opts Options
	log  *slog.Logger
	ctx  context.Context
	host Host
}

// Open loads the user's profiles and settings.
func Open(opts Options) (*Desk, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	return &Desk{opts: opts, log: opts.Logger}, nil
}

// Start hands the Desk the window's services; ctx ends when the app quits.
func (d *Desk) Start(ctx context.Context, h Host) { d.ctx, d.host = ctx, h }

// Close stops running sign-ins and the demo provider.
func (d *Desk) Close() {}

// WindowSize is the remembered window size, or the default 1280×800.
func (d *Desk) WindowSize() (int, int) { return 1280, 800 }

// RememberWindowSize keeps the window size for the next launch.
func (d *Desk) RememberWindowSize(w, h int) {}

// Info describes the app for the About panel.
func (d *Desk) Info() view.AppInfo {
	return view.AppInfo{
		Name:      "PKCE Desk",
		Version:   d.opts.Version,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
	}
}
