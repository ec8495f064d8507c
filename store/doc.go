// Package store keeps what PKCE Desk remembers between runs: sign-in profiles,
// settings and request history as JSON files on disk, and secrets (client
// secrets, kept refresh tokens) in the operating system's keychain.
//
// Files live in one directory (DefaultDir: os.UserConfigDir()/pkce-desk). The
// directory is 0700 and every file 0600; looser modes found on disk are
// tightened at Open. Every write is atomic (internal/atomicfile): a temp file in
// the same directory is written, fsynced, renamed over the target and the
// directory fsynced, so a crash leaves either the old file or the new one, never
// half of one (security rule 32).
//
// A file that cannot be read — corrupt JSON, or a schema_version newer than this
// build understands — never stops the app: it is renamed aside (for example
// profiles.json.corrupt-20261125T130501Z), defaults are loaded, and a Notice
// tells the user what happened and where the old file went. Older schema
// versions are migrated in memory and written back in the current version on
// the next save.
//
// Secrets never touch these files. Profiles only record whether a client secret
// exists (Profile.HasClientSecret); the value lives behind the Secrets interface,
// which is the OS keychain (KeyringSecrets) or, when no keychain answers, memory
// only (MemorySecrets). There is no plain-file fallback, by design.
//
// A *Store is safe for concurrent use.
//
// Where things are: profile.go is the Profile type, validate.go its rules,
// profilestore.go loads, saves, lists, duplicates and deletes profiles,
// demoprofile.go is the built-in demo profile; settings.go and history.go are
// the other two files (a history entry is an apiclient.Record); jsonfile.go
// reads, sets aside and writes any of the files, schema.go is the
// schema_version rule and migrate.go upgrades older profiles; secrets*.go are
// the keychain and its in-memory stand-in.
package store
