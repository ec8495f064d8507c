package demo

import (
	"cmp"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"time"

	"pkcedesk/internal/regularfile"
)

// stateFileVersion is the format of demo-state.json this package writes and
// reads; a file of another version is set aside like a damaged one.
const stateFileVersion = 1

// Bounds of the state file. A grant keeps its newest links; older used links
// only serve reuse detection, and a replayed link that was dropped is still
// refused (as unknown), it just no longer revokes its grant.
//
// The running provider is trimmed to the same bounds whenever it saves, so
// what it honours and what survives a restart agree; the bounds stay below the
// in-memory cap maxPending so that cap never refuses a refresh in this mode.
const (
	maxSavedGrants        = 1000
	maxSavedLinksPerGrant = 8
	// maxStateFileBytes caps reading the file: far above what the bounds
	// above allow (about 2 MB), far below what could hurt.
	maxStateFileBytes = 8 << 20
	// maxStateIDLen bounds ids, client ids, subjects and scope strings read
	// from the file.
	maxStateIDLen = 256
)

// The saved bounds must stay below maxPending (a compile error otherwise).
const _ = uint(maxPending - maxSavedGrants*maxSavedLinksPerGrant - 1)

// stateFile is demo-state.json: what a Server remembers across restarts when
// Options.StateDir is set. It never holds a token, code or verifier: refresh
// tokens appear only as SHA-256 hashes, and access tokens are not kept at all
// (after a restart the API refuses them as unknown; clients refresh).
type stateFile struct {
	// Version is stateFileVersion.
	Version int `json:"version"`
	// Port is the TCP port the provider last listened on; the next Start
	// tries it first so the issuer stays the same.
	Port int `json:"port"`
	// Issuer is the issuer URL of that run, for people reading the file.
	Issuer string `json:"issuer,omitempty"`
	// Grants are the live refresh-token grants.
	Grants []grantRecord `json:"grants"`
}

// grantRecord is one grant: every refresh token rotated from one sign-in
// (a family in RFC 9700 §4.14.2 terms).
type grantRecord struct {
	// ID is the grant's random id (refreshToken.family).
	ID       string    `json:"id"`
	ClientID string    `json:"client_id"`
	Subject  string    `json:"sub"`
	Audience []string  `json:"aud,omitempty"`
	AMR      []string  `json:"amr,omitempty"`
	AuthTime time.Time `json:"auth_time"`
	// Links are the grant's refresh tokens, oldest first. Only the newest
	// can be exchanged (unless revoked); the others are kept, used, so that
	// replaying one is recognised and revokes the grant.
	Links []linkRecord `json:"refresh_tokens"`
}

// linkRecord is one refresh token of a grant, by hash.
type linkRecord struct {
	// SHA256 is hashRefreshToken(value): 64 hex digits.
	SHA256 string `json:"sha256"`
	// Scopes are the scopes the token grants; kept only while it can still
	// be exchanged.
	Scopes    []string  `json:"scope,omitempty"`
	ExpiresAt time.Time `json:"exp"`
	Used      bool      `json:"used,omitempty"`
	Revoked   bool      `json:"revoked,omitempty"`
}

// errStateFormat is wrapped by decodeState for a file this package cannot use.
var errStateFormat = errors.New("not a demo provider state file of version 1")

// readStateFile loads demo-state.json from d. A missing file is an empty
// state. A file that cannot be decoded (damaged, truncated, too large, another
// version) is set aside as demo-state.json.corrupt and an empty state is
// returned: a bad file costs the remembered sessions, never the start. Only a
// file that exists but cannot be read is an error (wrapping ErrStateDir).
// Expired and malformed records are dropped and the bounds applied.
func readStateFile(d *stateDir, now time.Time, log *slog.Logger) (stateFile, error) {
	path := d.file(stateFileName)
	data, err := regularfile.Read(path, maxStateFileBytes)
	var bad error
	switch {
	case err == nil:
		f, derr := decodeState(data)
		if derr == nil {
			if dropped := f.prune(now); dropped > 0 {
				log.Info("demo: dropped expired or malformed refresh-token records from the state file", "records", dropped)
			}
			return f, nil
		}
		bad = derr
	case errors.Is(err, regularfile.ErrTooLarge):
		bad = err
	case errors.Is(err, fs.ErrNotExist):
		return stateFile{Version: stateFileVersion}, nil
	default:
		return stateFile{}, fmt.Errorf("%w: read the state file: %w (fix its permissions or delete it)", ErrStateDir, err)
	}
	aside, serr := setAside(path)
	if serr != nil {
		return stateFile{}, fmt.Errorf("%w: the state file is unusable (%w) and could not be moved away: %w", ErrStateDir, bad, serr)
	}
	log.Warn("demo: the state file was unusable; set it aside and started with no remembered sessions",
		"file", path, "set_aside_as", aside, "reason", bad)
	return stateFile{Version: stateFileVersion}, nil
}

// decodeState parses the file: invalid JSON, another version or an impossible
// port make it unusable as a whole (unknown fields are ignored); single bad
// records are left to prune.
func decodeState(data []byte) (stateFile, error) {
	var f stateFile
	if err := json.Unmarshal(data, &f); err != nil {
		return stateFile{}, fmt.Errorf("%w: %w", errStateFormat, err)
	}
	if f.Version != stateFileVersion {
		return stateFile{}, fmt.Errorf("%w: version %d", errStateFormat, f.Version)
	}
	if f.Port < 0 || f.Port > 65535 {
		return stateFile{}, fmt.Errorf("%w: port %d", errStateFormat, f.Port)
	}
	return f, nil
}

// prune drops what must not or need not be kept, and returns how many links
// it dropped: malformed grants and links, links expired at now, duplicate
// hashes, grants left without links; then it keeps each grant's newest
// maxSavedLinksPerGrant links and the maxSavedGrants grants with the newest
// links. Links end up oldest first; grants newest first.
func (f *stateFile) prune(now time.Time) int {
	dropped := 0
	seenLink := map[string]bool{}
	seenGrant := map[string]bool{}
	grants := f.Grants[:0]
	for _, g := range f.Grants {
		if !g.valid() || seenGrant[g.ID] {
			dropped += len(g.Links)
			continue
		}
		seenGrant[g.ID] = true
		links := g.Links[:0]
		for _, l := range g.Links {
			if !l.valid() || !now.Before(l.ExpiresAt) || seenLink[l.SHA256] {
				dropped++
				continue
			}
			seenLink[l.SHA256] = true
			links = append(links, l)
		}
		slices.SortStableFunc(links, func(a, b linkRecord) int { return a.ExpiresAt.Compare(b.ExpiresAt) })
		if over := len(links) - maxSavedLinksPerGrant; over > 0 {
			dropped += over
			links = links[over:]
		}
		if len(links) == 0 {
			continue
		}
		g.Links = links
		grants = append(grants, g)
	}
	newest := func(g grantRecord) time.Time { return g.Links[len(g.Links)-1].ExpiresAt }
	slices.SortStableFunc(grants, func(a, b grantRecord) int { return cmp.Compare(newest(b).UnixNano(), newest(a).UnixNano()) })
	if len(grants) > maxSavedGrants {
		for _, g := range grants[maxSavedGrants:] {
			dropped += len(g.Links)
		}
		grants = grants[:maxSavedGrants]
	}
	f.Grants = grants
	return dropped
}

// valid reports whether the grant's fields are present and of sane size.
func (g grantRecord) valid() bool {
	short := func(s string) bool { return s != "" && len(s) <= maxStateIDLen }
	if !short(g.ID) || !short(g.ClientID) || !short(g.Subject) {
		return false
	}
	return shortList(g.Audience) && shortList(g.AMR)
}

// valid reports whether the link's hash is 64 lowercase hex digits (as
// hashRefreshToken writes it) and its scopes sane.
func (l linkRecord) valid() bool {
	if len(l.SHA256) != 64 || strings.ToLower(l.SHA256) != l.SHA256 {
		return false
	}
	if _, err := hex.DecodeString(l.SHA256); err != nil {
		return false
	}
	return shortList(l.Scopes) && !l.ExpiresAt.IsZero()
}

// shortList reports whether a list from the file is of sane size.
func shortList(list []string) bool {
	if len(list) > 32 {
		return false
	}
	for _, s := range list {
		if s == "" || len(s) > maxStateIDLen {
			return false
		}
	}
	return true
}
