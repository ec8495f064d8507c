package store

import "fmt"

// Theme is the colour scheme the window uses.
type Theme string

// Themes.
const (
	ThemeSystem Theme = "system" // follow the OS setting (the default)
	ThemeLight  Theme = "light"
	ThemeDark   Theme = "dark"
)

// Window sizes (UX.md: 1280×800 by default, usable from 1024×700).
const (
	DefaultWindowWidth  = 1280
	DefaultWindowHeight = 800
	MinWindowWidth      = 1024
	MinWindowHeight     = 700
	maxWindowSide       = 16384
)

// Window is the remembered window size in device-independent pixels.
type Window struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Settings are app-wide preferences.
type Settings struct {
	// SelectedProfileID is the profile shown when the app starts.
	SelectedProfileID string `json:"selected_profile_id"`
	// Window is the size the window opens with.
	Window Window `json:"window"`
	// PresentationMode keeps every secret masked, even ones revealed
	// elsewhere (UX.md "Looks").
	PresentationMode bool `json:"presentation_mode"`
	// Theme is system, light or dark.
	Theme Theme `json:"theme"`
}

// DefaultSettings returns the settings of a first launch.
func DefaultSettings() Settings {
	return Settings{
		Window: Window{Width: DefaultWindowWidth, Height: DefaultWindowHeight},
		Theme:  ThemeSystem,
	}
}

// normalized returns st with an unknown theme replaced by system and a window
// size clamped to what a screen can show (minimum 1024×700; zero means default).
func (st Settings) normalized() Settings {
	switch st.Theme {
	case ThemeSystem, ThemeLight, ThemeDark:
	default:
		st.Theme = ThemeSystem
	}
	if st.Window.Width == 0 {
		st.Window.Width = DefaultWindowWidth
	}
	if st.Window.Height == 0 {
		st.Window.Height = DefaultWindowHeight
	}
	st.Window.Width = min(max(st.Window.Width, MinWindowWidth), maxWindowSide)
	st.Window.Height = min(max(st.Window.Height, MinWindowHeight), maxWindowSide)
	return st
}

type settingsFile struct {
	SchemaVersion int      `json:"schema_version"`
	Settings      Settings `json:"settings"`
}

func (s *Store) loadSettings() Settings {
	st := DefaultSettings()
	s.loadFile(SettingsFile, func(version int, data []byte) error {
		if version != 1 {
			return fmt.Errorf("schema_version %d is not known for settings", version)
		}
		f := settingsFile{Settings: DefaultSettings()}
		if err := strictUnmarshal(data, &f); err != nil {
			return fmt.Errorf("not a valid settings file: %w", err)
		}
		st = f.Settings
		return nil
	})
	return st.normalized()
}

// Settings returns the current settings.
func (s *Store) Settings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

// SaveSettings stores st and returns what was stored. An unknown theme
// becomes "system", a zero window size the default and a too-small one the
// minimum. A SelectedProfileID that names no profile is refused with
// ErrProfileNotFound ("" is allowed: nothing selected).
func (s *Store) SaveSettings(st Settings) (Settings, error) {
	st = st.normalized()
	s.mu.Lock()
	defer s.mu.Unlock()
	if st.SelectedProfileID != "" && s.indexLocked(st.SelectedProfileID) < 0 {
		return s.settings, fmt.Errorf("select profile: %w: %q", ErrProfileNotFound, st.SelectedProfileID)
	}
	if err := s.saveSettingsLocked(st); err != nil {
		return s.settings, err
	}
	return st, nil
}

func (s *Store) saveSettingsLocked(st Settings) error {
	if err := s.saveJSON(SettingsFile, settingsFile{SchemaVersion: SchemaVersion, Settings: st}); err != nil {
		return err
	}
	s.settings = st
	return nil
}
