package store

import (
	"fmt"

	"pkcedesk/internal/origin"
)

// importNotes says what an imported profile p does that its importer should
// look at before the first sign-in, because the file's author chose it: its
// own CA bundle, and every endpoint override, with those that leave the
// issuer's origin flagged. in is the profile as the file had it, for what
// the import dropped.
func importNotes(in, p Profile) []string {
	var notes []string
	if p.CAFile != "" {
		notes = append(notes, fmt.Sprintf("Uses its own CA bundle %s: it decides which TLS certificates this profile trusts.", p.CAFile))
	}
	foreign := map[string]string{} // name → origin
	for _, e := range p.ForeignEndpoints() {
		foreign[e.Name] = e.Origin
	}
	issuerOrigin := ""
	if o, ok := origin.Parse(p.Issuer); ok {
		issuerOrigin = o.String()
	}
	for _, e := range p.EndpointOverrides() {
		switch {
		case issuerOrigin == "":
			notes = append(notes, fmt.Sprintf("Uses %s as its %s.", e.URL, e.Name))
		case foreign[e.Name] != "":
			notes = append(notes, fmt.Sprintf("Overrides the %s with %s — not at the issuer's origin %s; the first sign-in will ask you to confirm %s.",
				e.Name, e.URL, issuerOrigin, foreign[e.Name]))
		default:
			notes = append(notes, fmt.Sprintf("Overrides the %s with %s, at the issuer's origin.", e.Name, e.URL))
		}
	}
	if len(in.TrustedOrigins) > 0 {
		notes = append(notes, "The file marked some hosts as already confirmed; confirmations are never imported, so you decide at the first sign-in.")
	}
	return notes
}
