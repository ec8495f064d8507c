package store

import (
	"errors"
	"strings"
)

// Errors the UI tells apart with errors.Is.
var (
	// ErrNotFound means a secret is not in the keychain (or memory store).
	ErrNotFound = errors.New("secret not found")
	// ErrProfileNotFound means no profile has the given ID.
	ErrProfileNotFound = errors.New("profile not found")
	// ErrBuiltIn means the operation is refused for the built-in demo profile.
	ErrBuiltIn = errors.New("the built-in demo profile cannot be deleted")
	// ErrKeychainUnavailable means the OS keychain did not answer in time or
	// refused the request; secrets are not persisted.
	ErrKeychainUnavailable = errors.New("the system keychain is not available")
	// ErrSecretTooLarge means the keychain refused a value because of its size.
	ErrSecretTooLarge = errors.New("the secret is too large for the system keychain")
	// ErrImportTooLarge means an import file exceeds MaxImportBytes.
	ErrImportTooLarge = errors.New("the import file is too large")
	// ErrImportFormat means an import file is not a PKCE Desk profile export.
	ErrImportFormat = errors.New("the file is not a PKCE Desk profile export")
)

// ValidationError is returned by SaveProfile when a profile fails Validate.
// Fields holds every problem, for the editor to show inline.
type ValidationError struct {
	Fields []FieldError
}

// Error lists the problems in one line.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Error()
	}
	return "the profile has problems: " + strings.Join(parts, "; ")
}
