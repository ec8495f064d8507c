// Package desk is the running app's state and logic behind the bindings:
// profiles and secrets (store), sign-ins and sessions (auth), the demo
// provider (demo) and test requests (apiclient), all turned into view
// structs. It imports no Wails: the window's services arrive as a Host of
// plain functions, so everything here runs in `go test` without a display.
package desk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"

	"pkcedesk/internal/regularfile"
	"pkcedesk/store"
	"pkcedesk/view"
)

// Options configure a Desk.
type Options struct {
	Version string
	// ConfigDir overrides the user's config dir (tests).
	ConfigDir string
	// Secrets overrides the keychain probe (tests).
	Secrets store.Secrets
	Logger  *slog.Logger

	// readFile overrides how files the user names are read (tests stand in
	// a read that blocks); nil means regularfile.Read.
	readFile func(path string, max int64) ([]byte, error)
}

// Host is what the window provides: events to the frontend, the system
// browser and file dialogs. Nil functions are allowed (tests).
type Host struct {
	Emit        func(name string, data any)
	OpenBrowser func(url string) error
	SaveFile    func(title, defaultName string) (string, error)
	OpenFile    func(title string) (string, error)
}

// Desk holds the app's state for one run. All methods are safe for
// concurrent use: Wails calls bindings from many goroutines.
type Desk struct {
	opts    Options
	log     *slog.Logger
	store   *store.Store
	notices []view.Notice

	mu     sync.Mutex
	ctx    context.Context // ends when the app quits
	stop   context.CancelFunc
	host   Host
	states map[string]*profileState // by profile id

	sends     cancels // running test requests, by request id
	discovers cancels // running discoveries, by profile id ("" for an unsaved profile)

	demo demoRunner

	// readFile reads a file the user named (CA bundle, import file): only a
	// regular file, capped (regularfile.Read).
	readFile func(path string, max int64) ([]byte, error)
}

// Open loads the user's profiles and settings and probes the keychain.
// Problems with files are notices, not errors: Open fails only when no
// config directory can be used at all.
func Open(opts Options) (*Desk, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	d := &Desk{opts: opts, log: opts.Logger, states: map[string]*profileState{}, readFile: opts.readFile}
	if d.readFile == nil {
		d.readFile = regularfile.Read
	}
	d.ctx, d.stop = context.WithCancel(context.Background())
	dir := opts.ConfigDir
	if dir == "" {
		var err error
		if dir, err = store.DefaultDir(); err != nil {
			return d, fmt.Errorf("find the config directory: %w", err)
		}
	}
	secrets := opts.Secrets
	if secrets == nil {
		var notes []store.Notice
		secrets, notes = store.OpenSecrets()
		d.addNotices(notes)
	}
	st, err := store.Open(dir, store.WithSecrets(secrets), store.WithLogger(d.log))
	if err != nil {
		return d, fmt.Errorf("open the config directory %s: %w", dir, err)
	}
	d.store = st
	d.addNotices(st.Notices())
	if _, err := st.EnsureDemoProfile(store.DemoIssuerPlaceholder); err != nil {
		d.notices = append(d.notices, view.Notice{Level: "error", Message: "Could not create the demo profile: " + err.Error()})
	}
	return d, nil
}

func (d *Desk) addNotices(ns []store.Notice) {
	for _, n := range ns {
		level := "warn"
		if n.Code == store.NoticeMigrated || n.Code == store.NoticePermissionsFixed {
			level = "info"
		}
		d.notices = append(d.notices, view.Notice{Level: level, Message: n.Message})
	}
}

// errNoStore is returned by every binding that needs the config directory
// when Open could not use it.
var errNoStore = errors.New("the config directory could not be opened; see the notice in About")

func (d *Desk) ready() error {
	if d == nil || d.store == nil {
		return errNoStore
	}
	return nil
}

// Start hands the Desk the window's services; ctx ends when the app quits.
// It starts the demo provider and restores kept sessions in the background,
// so the window paints without waiting for them.
func (d *Desk) Start(ctx context.Context, h Host) {
	d.mu.Lock()
	d.host = h
	d.mu.Unlock()
	context.AfterFunc(ctx, d.Close)
	if d.ready() != nil {
		return
	}
	go func() {
		if _, err := d.startDemo(); err != nil {
			d.emitNotice("error", "The demo provider could not start: "+err.Error())
		}
		d.restoreKept()
		d.emit(EventProfiles, nil)
	}()
}

// Close cancels running sign-ins and requests and stops the demo provider.
func (d *Desk) Close() {
	d.stop()
	d.demo.close()
}

// WindowSize is the remembered window size, or the default 1280×800.
func (d *Desk) WindowSize() (int, int) {
	if d.ready() != nil {
		return store.DefaultWindowWidth, store.DefaultWindowHeight
	}
	w := d.store.Settings().Window
	if w.Width < 1024 || w.Height < 700 {
		return store.DefaultWindowWidth, store.DefaultWindowHeight
	}
	return w.Width, w.Height
}

// RememberWindowSize keeps the window size for the next launch.
func (d *Desk) RememberWindowSize(w, h int) {
	if d.ready() != nil || w < 1024 || h < 700 {
		return
	}
	s := d.store.Settings()
	s.Window = store.Window{Width: w, Height: h}
	if _, err := d.store.SaveSettings(s); err != nil {
		d.log.Warn("remember window size", "err", err)
	}
}

// Info describes the app for the About panel.
func (d *Desk) Info() view.AppInfo {
	info := view.AppInfo{
		Name:      "PKCE Desk",
		Version:   d.opts.Version,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
		Notices:   append([]view.Notice(nil), d.notices...),
	}
	if d.store != nil {
		info.ConfigDir = d.store.Dir()
		info.KeychainPersistent = d.store.Secrets().Persistent()
	}
	return info
}

// Settings are the app-wide preferences.
func (d *Desk) Settings() view.Settings {
	if d.ready() != nil {
		return view.Settings{Theme: "system"}
	}
	s := d.store.Settings()
	return view.Settings{PresentationMode: s.PresentationMode, Theme: string(s.Theme)}
}

// SaveSettings stores the app-wide preferences.
func (d *Desk) SaveSettings(v view.Settings) error {
	if err := d.ready(); err != nil {
		return err
	}
	s := d.store.Settings()
	s.PresentationMode = v.PresentationMode
	switch store.Theme(v.Theme) {
	case store.ThemeSystem, store.ThemeLight, store.ThemeDark:
		s.Theme = store.Theme(v.Theme)
	default:
		return fmt.Errorf("unknown theme %q: use system, light or dark", v.Theme)
	}
	_, err := d.store.SaveSettings(s)
	return err
}

func (d *Desk) presentationMode() bool {
	return d.store != nil && d.store.Settings().PresentationMode
}
