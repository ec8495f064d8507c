package store

import (
	"fmt"
	"path/filepath"

	"pkcedesk/internal/regularfile"
)

// PeekSettings reads the settings in dir for the first frame (window size,
// theme) without opening the store: it changes nothing on disk and
// returns the defaults when the file is missing, unreadable, corrupt or
// from a newer version. [Open] later reads the same file in full and sets
// a bad one aside with a notice.
func PeekSettings(dir string) Settings {
	data, err := regularfile.Read(filepath.Join(dir, SettingsFile), maxFileBytes)
	if err != nil {
		return DefaultSettings()
	}
	st := DefaultSettings()
	err = decodeVersioned(data, func(version int, data []byte) error {
		if version != 1 {
			return fmt.Errorf("schema_version %d is not known for settings", version)
		}
		f := settingsFile{Settings: DefaultSettings()}
		if err := strictUnmarshal(data, &f); err != nil {
			return err
		}
		st = f.Settings
		return nil
	})
	if err != nil {
		return DefaultSettings()
	}
	return st.normalized()
}
