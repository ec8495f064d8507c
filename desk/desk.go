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

	"pkcedesk/demo"
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
	// probeSecrets overrides the keychain probe Start runs when Secrets is
	// nil (tests); nil means store.OpenSecrets.
	probeSecrets func() (store.Secrets, []store.Notice)
	// demoOptions edits the demo provider's options before it starts
	// (tests: a short poll interval or token lifetime).
	demoOptions func(*demo.Options)
}

// Host is what the window provides: events to the frontend, the system
// browser, file dialogs and bringing the window to the front. Nil functions
// are allowed (tests).
type Host struct {
	Emit func(name string, data any)
	// OpenBrowser opens a URL in the system browser and reports a browser
	// that could not be started (internal/launch), so the sign-in can say
	// so instead of claiming the page is open.
	OpenBrowser func(url string) error
	// Raise brings the app window to the front (after the browser handed
	// the sign-in back); it must not block.
	Raise    func()
	SaveFile func(title, defaultName string) (string, error)
	OpenFile func(title string) (string, error)
	// Shown is closed once the page is up (Wails' OnDomReady); kept
	// sessions are restored only then, since reading a kept refresh token
	// may make the keychain prompt. Nil means shown already (tests).
	Shown <-chan struct{}
}

// Desk holds the app's state for one run. All methods are safe for
// concurrent use: Wails calls bindings from many goroutines.
//
// Opening is in two parts so the window paints at once: [Open] reads only
// the settings (window size, theme) and starts loading the store in the
// background; [Desk.Start] — called once the window exists — probes the
// keychain, starts the demo provider and, when both are done and the page
// is shown, restores kept sessions. Bindings that need the profiles wait
// for the store (the frontend shows "loading" meanwhile); those that need
// secrets wait for the keychain probe.
type Desk struct {
	opts Options
	log  *slog.Logger

	dir     string
	first   store.Settings // read at Open for the first frame; the store's own once loaded
	loaded  chan struct{}  // closed when the store load has finished, well or not
	loadSt  *store.Store   // set before loaded is closed; read through st()
	secrets *store.DeferredSecrets

	noticeMu sync.Mutex
	notices  []view.Notice

	mu     sync.Mutex
	ctx    context.Context // ends when the app quits
	stop   context.CancelFunc
	host   Host
	states map[string]*profileState // by profile id

	sends     cancels   // running test requests, by request id
	discovers cancels   // running discoveries, by profile id ("" for an unsaved profile)
	bodies    bodyParts // big response bodies the page fetches in parts

	demo demoRunner
	bg   sync.WaitGroup // Start's background work that writes files (demo start, restores)

	// readFile reads a file the user named (CA bundle, import file): only a
	// regular file, capped (regularfile.Read).
	readFile func(path string, max int64) ([]byte, error)
}

// Open finds the config directory, reads the settings the first frame
// needs and starts loading the profiles and history in the background; it
// touches neither the keychain nor the network. Problems with files are
// notices, not errors: Open fails only when no config directory can be
// found at all (the Desk it returns then answers every binding with that
// error).
func Open(opts Options) (*Desk, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	d := &Desk{opts: opts, log: opts.Logger, states: map[string]*profileState{}, readFile: opts.readFile,
		loaded: make(chan struct{}), secrets: store.NewDeferredSecrets(), first: store.DefaultSettings()}
	if d.readFile == nil {
		d.readFile = regularfile.Read
	}
	d.ctx, d.stop = context.WithCancel(context.Background())
	if opts.Secrets != nil {
		d.secrets.Resolve(opts.Secrets)
	}
	d.dir = opts.ConfigDir
	if d.dir == "" {
		var err error
		if d.dir, err = store.DefaultDir(); err != nil {
			close(d.loaded)
			return d, fmt.Errorf("find the config directory: %w", err)
		}
	}
	d.first = store.PeekSettings(d.dir)
	go d.load()
	return d, nil
}

// load opens the store (profiles, settings, history) and makes sure the
// demo profile exists, then releases the bindings waiting in st().
func (d *Desk) load() {
	defer close(d.loaded)
	st, err := store.Open(d.dir, store.WithSecrets(d.secrets), store.WithLogger(d.log))
	if err != nil {
		d.log.Error("open the config directory", "dir", d.dir, "err", err)
		d.addNotice(view.Notice{Level: "error", Message: fmt.Sprintf("Could not open the config directory %s: %v", d.dir, err)})
		return
	}
	d.addNotices(st.Notices())
	if _, err := st.EnsureDemoProfile(store.DemoIssuerPlaceholder); err != nil {
		d.addNotice(view.Notice{Level: "error", Message: "Could not create the demo profile: " + err.Error()})
	}
	d.markRestoring(st)
	d.loadSt = st
}

// st returns the store once loaded, waiting for the load; nil when the
// config directory could not be opened.
func (d *Desk) st() *store.Store {
	<-d.loaded
	return d.loadSt
}

func (d *Desk) addNotice(n view.Notice) {
	d.noticeMu.Lock()
	defer d.noticeMu.Unlock()
	d.notices = append(d.notices, n)
}

func (d *Desk) addNotices(ns []store.Notice) {
	for _, n := range ns {
		level := "warn"
		if n.Code == store.NoticeMigrated || n.Code == store.NoticePermissionsFixed {
			level = "info"
		}
		d.addNotice(view.Notice{Level: level, Message: n.Message})
	}
}

// errNoStore is returned by every binding that needs the config directory
// when Open could not use it.
var errNoStore = errors.New("the config directory could not be opened; see the notice in About")

// ready waits for the store and reports whether it could be opened.
func (d *Desk) ready() error {
	if d == nil || d.st() == nil {
		return errNoStore
	}
	return nil
}

// Start hands the Desk the window's services; ctx ends when the app quits.
// In the background and in parallel it probes the keychain (unless Options
// named the secret store) and starts the demo provider; once both are done,
// the store is loaded and the page is shown (Host.Shown), it restores kept
// sessions. None of it holds up the window.
func (d *Desk) Start(ctx context.Context, h Host) {
	d.mu.Lock()
	d.host = h
	d.mu.Unlock()
	context.AfterFunc(ctx, d.Close)
	go d.probeKeychain()
	d.bg.Add(1)
	go func() {
		defer d.bg.Done()
		if d.dir == "" {
			return
		}
		if _, err := d.startDemo(); err != nil {
			d.emitNotice("error", "The demo provider could not start: "+err.Error())
		}
		if d.ready() != nil {
			return
		}
		select {
		case <-d.secrets.Ready():
		case <-d.ctx.Done():
			return
		}
		if h.Shown != nil {
			select {
			case <-h.Shown:
			case <-d.ctx.Done():
				return
			}
		}
		d.restoreKept()
		d.emit(EventProfiles, nil)
	}()
}

// probeKeychain chooses the secret store: the OS keychain when it answers,
// else memory with a notice the frontend shows at once.
func (d *Desk) probeKeychain() {
	if d.secrets.Resolved() != nil {
		return
	}
	probe := d.opts.probeSecrets
	if probe == nil {
		probe = store.OpenSecrets
	}
	secrets, notes := probe()
	if !d.secrets.Resolve(secrets) {
		return
	}
	d.addNotices(notes)
	for _, n := range notes {
		d.emitNotice("warn", n.Message)
	}
	d.emit(EventInfo, nil)
}

// Close cancels running sign-ins and requests and stops the demo provider.
// Calls still waiting for the secret store get memory-only secrets. It
// returns once the background load and start-up work have ended.
func (d *Desk) Close() {
	d.stop()
	d.secrets.Resolve(store.NewMemorySecrets())
	// The load and the start-up work write into the config folder: wait
	// for them (both end promptly once ctx is canceled), so nothing is
	// written after Close returns.
	<-d.loaded
	d.bg.Wait()
	d.demo.close()
}

// WindowSize is the remembered window size, or the default 1280×800. It
// never waits for the store: the window is made before it is loaded.
func (d *Desk) WindowSize() (int, int) {
	w := d.settingsNow().Window
	if w.Width < 1024 || w.Height < 700 {
		return store.DefaultWindowWidth, store.DefaultWindowHeight
	}
	return w.Width, w.Height
}

// settingsNow returns the store's settings when it is loaded, else those
// read at Open, without waiting.
func (d *Desk) settingsNow() store.Settings {
	select {
	case <-d.loaded:
		if d.loadSt != nil {
			return d.loadSt.Settings()
		}
	default:
	}
	return d.first
}

// RememberWindowSize keeps the window size for the next launch.
func (d *Desk) RememberWindowSize(w, h int) {
	if d.ready() != nil || w < 1024 || h < 700 {
		return
	}
	s := d.st().Settings()
	s.Window = store.Window{Width: w, Height: h}
	if _, err := d.st().SaveSettings(s); err != nil {
		d.log.Warn("remember window size", "err", err)
	}
}

// Info describes the app for the About panel. It waits for the store (its
// notices) but not for the keychain probe: KeychainChecking says the probe
// is still running, and EventInfo tells the frontend when it is done.
func (d *Desk) Info() view.AppInfo {
	st := d.st()
	d.noticeMu.Lock()
	notices := append([]view.Notice(nil), d.notices...)
	d.noticeMu.Unlock()
	info := view.AppInfo{
		Name:      "PKCE Desk",
		Version:   d.opts.Version,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
		Notices:   notices,
		ConfigDir: d.dir,
	}
	if st != nil {
		info.ConfigDir = st.Dir()
	}
	if s := d.secrets.Resolved(); s != nil {
		info.KeychainPersistent = s.Persistent()
	} else {
		info.KeychainChecking = true
	}
	return info
}

// Settings are the app-wide preferences. They never wait for the store, so
// the first frame has the user's theme.
func (d *Desk) Settings() view.Settings {
	s := d.settingsNow()
	return view.Settings{PresentationMode: s.PresentationMode, Theme: string(s.Theme)}
}

// SaveSettings stores the app-wide preferences.
func (d *Desk) SaveSettings(v view.Settings) error {
	if err := d.ready(); err != nil {
		return err
	}
	s := d.st().Settings()
	s.PresentationMode = v.PresentationMode
	switch store.Theme(v.Theme) {
	case store.ThemeSystem, store.ThemeLight, store.ThemeDark:
		s.Theme = store.Theme(v.Theme)
	default:
		return fmt.Errorf("unknown theme %q: use system, light or dark", v.Theme)
	}
	_, err := d.st().SaveSettings(s)
	return err
}

func (d *Desk) presentationMode() bool {
	return d.settingsNow().PresentationMode
}
