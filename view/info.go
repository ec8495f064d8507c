package view

// AppInfo describes the running application for the About panel.
type AppInfo struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	GoVersion string `json:"goVersion"`
	Platform  string `json:"platform"`
	ConfigDir string `json:"configDir"`
	// KeychainPersistent is false when no OS keychain answered and secrets
	// therefore live in memory only for this run.
	KeychainPersistent bool `json:"keychainPersistent"`
	// KeychainChecking is true while the keychain probe, which runs after
	// the window is up, has not answered yet (KeychainPersistent is then
	// not known).
	KeychainChecking bool `json:"keychainChecking"`
	// Notices are things that happened at start-up the user should know
	// about (a corrupt file set aside, no keychain, ...).
	Notices []Notice `json:"notices"`
}

// Notice is a message for the user with a severity: "info", "warn" or "error".
type Notice struct {
	Level   string `json:"level"`
	Message string `json:"message"`
}
