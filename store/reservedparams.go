package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"pkcedesk/internal/authparams"
)

// secretParams are the reserved parameters whose value is a secret: it must
// leave profiles.json, and a client secret is worth keeping in the keychain.
var secretParams = map[string]bool{"client_secret": true, "code_verifier": true}

// dropReservedParams repairs profiles saved before the store refused every
// parameter authparams reserves (response_mode, request, request_uri,
// code_verifier, client_secret): with one of them every sign-in failed, and
// a client secret typed there sat in plain text in profiles.json.
//
// It removes those parameters from ps in place and reports, per profile,
// what it did in a notice that never holds a value. A client_secret value
// becomes the profile's client secret in the keychain when none is stored
// there (HasClientSecret is then true); otherwise it is dropped. Either way
// it is gone from the profiles, so the caller's rewrite leaves no copy in
// the file. It reports whether anything changed.
func (s *Store) dropReservedParams(ps []Profile) (changed bool) {
	for i := range ps {
		p := &ps[i]
		var removed []string
		secret := ""
		kept := p.Params[:0:0]
		for _, prm := range p.Params {
			key := strings.ToLower(strings.TrimSpace(prm.Key))
			if !authparams.IsReserved(key) {
				kept = append(kept, prm)
				continue
			}
			removed = append(removed, strings.TrimSpace(prm.Key))
			if key == "client_secret" && secret == "" {
				secret = prm.Value
			}
		}
		if len(removed) == 0 {
			continue
		}
		changed = true
		p.Params = kept
		if len(p.Params) == 0 {
			p.Params = nil
		}
		msg := fmt.Sprintf("Profile %q had the extra parameter(s) %s, which PKCE Desk sets itself (with them every sign-in failed); they were removed from %s.",
			p.Name, strings.Join(removed, ", "), ProfilesFile)
		if secret != "" {
			msg += " " + s.adoptClientSecret(p, secret)
		}
		s.notify(Notice{Code: NoticeReservedParamsRemoved, File: s.path(ProfilesFile), Message: msg})
	}
	return changed
}

// adoptClientSecret makes value p's client secret in the keychain unless one
// is stored there already, and says in a sentence what happened (never the
// value).
func (s *Store) adoptClientSecret(p *Profile, value string) string {
	_, err := s.secrets.Get(p.ID, ClientSecret)
	switch {
	case err == nil:
		return "The client_secret value there was dropped: the client secret already kept in your keychain for this profile stays in use."
	case !errors.Is(err, ErrNotFound):
		s.log.Warn("could not check the keychain for a client secret", "profile", p.ID, "error", err)
		return fmt.Sprintf("The client_secret value there was dropped because the keychain could not be read (%v): enter the client secret again in the Profile tab.", err)
	}
	if err := s.secrets.Set(p.ID, ClientSecret, value); err != nil {
		s.log.Warn("could not keep a client secret in the keychain", "profile", p.ID, "error", err)
		return fmt.Sprintf("The client_secret value there could not be kept in the keychain (%v) and was dropped: enter the client secret again in the Profile tab.", err)
	}
	p.HasClientSecret = true
	msg := "Its client_secret value is now this profile's client secret, kept in your system keychain."
	if !s.secrets.Persistent() {
		msg = "Its client_secret value is this profile's client secret for now, but no system keychain answered, so it is kept in memory only: enter it again in the Profile tab after a restart."
	}
	if !p.AuthMethod.NeedsSecret() {
		msg += " The profile's auth method is none, so it is not sent: choose client_secret_post or client_secret_basic if your provider needs it."
	}
	return msg
}

// scrubV0Secrets returns a version-0 profiles file without the values of
// secret-bearing extra parameters, for the backup an upgrade keeps: that
// copy must not hold a secret in plain text either. Data that does not
// decode as expected is returned unchanged (the upgrade read it, so this
// does not happen).
func scrubV0Secrets(data []byte) []byte {
	var doc map[string]any
	if json.Unmarshal(data, &doc) != nil {
		return data
	}
	profiles, _ := doc["profiles"].([]any)
	scrubbed := false
	for _, raw := range profiles {
		prof, _ := raw.(map[string]any)
		params, _ := prof["extra_params"].(map[string]any)
		for k := range params {
			if secretParams[strings.ToLower(strings.TrimSpace(k))] {
				delete(params, k)
				scrubbed = true
			}
		}
	}
	if !scrubbed {
		return data
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return data
	}
	return append(out, '\n')
}
