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
	// Notices are things that happened at start-up the user should know
	// about (a corrupt file set aside, no keychain, ...).
	Notices []Notice `json:"notices"`
}

// Notice is a message for the user with a severity: "info", "warn" or "error".
type Notice struct {
	Level   string `json:"level"`
	Message string `json:"message"`
}
