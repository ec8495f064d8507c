package store

import (
	"fmt"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// profileV0 is the shape of a profile in profiles.json before schema_version
// existed (version 0): endpoints as flat *_endpoint fields, the scope as one
// space-separated string (as it travels on the wire, RFC 6749 §3.3), the
// redirect as one URI, and extra parameters as a JSON object.
type profileV0 struct {
	ID                    string            `json:"id"`
	Name                  string            `json:"name"`
	Preset                string            `json:"preset"`
	BuiltIn               bool              `json:"built_in"`
	Issuer                string            `json:"issuer"`
	AuthorizationEndpoint string            `json:"authorization_endpoint"`
	TokenEndpoint         string            `json:"token_endpoint"`
	UserInfoEndpoint      string            `json:"userinfo_endpoint"`
	RevocationEndpoint    string            `json:"revocation_endpoint"`
	EndSessionEndpoint    string            `json:"end_session_endpoint"`
	ClientID              string            `json:"client_id"`
	AuthMethod            string            `json:"auth_method"`
	HasSecret             bool              `json:"has_secret"`
	Scope                 string            `json:"scope"`
	ExtraParams           map[string]string `json:"extra_params"`
	RedirectURI           string            `json:"redirect_uri"`
	Timeout               int               `json:"timeout"`
	KeepSignedIn          bool              `json:"keep_signed_in"`
}

type profilesFileV0 struct {
	Profiles []profileV0 `json:"profiles"`
}

// migrateProfilesV0 turns a version-0 profiles.json into current profiles.
func migrateProfilesV0(data []byte) ([]Profile, error) {
	var f profilesFileV0
	if err := strictUnmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("not a version 0 profiles file: %w", err)
	}
	out := make([]Profile, 0, len(f.Profiles))
	for _, old := range f.Profiles {
		p := Profile{
			ID:      old.ID,
			Name:    old.Name,
			Preset:  old.Preset,
			BuiltIn: old.BuiltIn,
			Issuer:  old.Issuer,
			Endpoints: Endpoints{
				Authorization: old.AuthorizationEndpoint,
				Token:         old.TokenEndpoint,
				UserInfo:      old.UserInfoEndpoint,
				Revocation:    old.RevocationEndpoint,
				EndSession:    old.EndSessionEndpoint,
			},
			ClientID:        old.ClientID,
			AuthMethod:      AuthMethod(old.AuthMethod),
			HasClientSecret: old.HasSecret,
			Scopes:          strings.Fields(old.Scope),
			TimeoutSeconds:  old.Timeout,
			KeepSignedIn:    old.KeepSignedIn,
		}
		keys := make([]string, 0, len(old.ExtraParams))
		for k := range old.ExtraParams {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p.Params = append(p.Params, Param{Key: k, Value: old.ExtraParams[k]})
		}
		if old.RedirectURI != "" {
			host, port, path, err := splitRedirectURI(old.RedirectURI)
			if err != nil {
				return nil, fmt.Errorf("profile %q: %w", old.Name, err)
			}
			p.RedirectHost, p.RedirectPort, p.RedirectPath = host, port, path
		}
		out = append(out, p.WithDefaults())
	}
	return out, nil
}

// splitRedirectURI splits "http://127.0.0.1:8765/callback" into host, port
// (0 when absent) and path.
func splitRedirectURI(raw string) (host string, port int, path string, err error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", 0, "", fmt.Errorf("redirect URI %q is not a full URL", raw)
	}
	host = u.Hostname()
	if p := u.Port(); p != "" {
		port, err = strconv.Atoi(p)
		if err != nil {
			return "", 0, "", fmt.Errorf("redirect URI %q has a bad port", raw)
		}
	}
	return host, port, u.Path, nil
}

// finishMigration keeps the old file as profiles.json.v0-<time> (so nothing
// is lost if the upgrade misread it) and writes the upgraded profiles. If
// either write fails the upgrade simply happens again at the next start.
func (s *Store) finishMigration(original []byte, profiles []Profile) {
	backup := s.path(ProfilesFile) + ".v0-" + s.now().UTC().Format("20060102T150405Z")
	if err := s.writer.Write(backup, original); err != nil {
		s.log.Warn("could not back up profiles before upgrading them", "error", err)
		return
	}
	if err := s.saveJSON(ProfilesFile, profilesFile{SchemaVersion: ProfilesSchemaVersion, Profiles: profiles}); err != nil {
		s.log.Warn("could not write upgraded profiles", "error", err)
		return
	}
	s.notify(Notice{Code: NoticeMigrated, File: s.path(ProfilesFile), MovedTo: backup,
		Message: fmt.Sprintf("Your %d profile(s) were upgraded to the current file format; the old file was kept as %s.",
			len(profiles), filepath.Base(backup))})
}
