package store

import "log/slog"

// NoticeCode says what kind of thing a Notice reports, for the UI to pick an
// icon or a follow-up action.
type NoticeCode string

// Notice codes.
const (
	// NoticeCorruptFile: a file could not be read and was set aside; defaults loaded.
	NoticeCorruptFile NoticeCode = "corrupt_file"
	// NoticeNewerVersion: a file was written by a newer PKCE Desk and was set aside.
	NoticeNewerVersion NoticeCode = "newer_version"
	// NoticeMigrated: a file in an older format was upgraded.
	NoticeMigrated NoticeCode = "migrated"
	// NoticePermissionsFixed: a file or the directory was readable by others and was tightened.
	NoticePermissionsFixed NoticeCode = "permissions_fixed"
	// NoticeSecretsInMemory: no keychain answered; secrets are kept in memory only.
	NoticeSecretsInMemory NoticeCode = "secrets_in_memory"
	// NoticeReservedParamsRemoved: a profile had extra parameters the sign-in
	// sets itself; they were removed from profiles.json (a client secret
	// among them moved to the keychain).
	NoticeReservedParamsRemoved NoticeCode = "reserved_params_removed"
)

// Notice is something the user should be told about, once, in plain words:
// what happened and, when a file was moved, where it went. It never contains
// a secret.
type Notice struct {
	Code    NoticeCode `json:"code"`
	Message string     `json:"message"`
	// File is the file the notice is about, if any.
	File string `json:"file,omitempty"`
	// MovedTo is where that file was set aside, if it was.
	MovedTo string `json:"moved_to,omitempty"`
}

// LogValue lets slog log a Notice as a group.
func (n Notice) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("code", string(n.Code)),
		slog.String("message", n.Message),
		slog.String("file", n.File),
		slog.String("moved_to", n.MovedTo),
	)
}
