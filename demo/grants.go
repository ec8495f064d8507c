package demo

import (
	"slices"
	"time"
)

// This file converts between the storage's refresh-token records and the
// grants of the state file (statefile.go).

// snapshotLocked returns the refresh-token grants as the state file keeps
// them at now: grouped by family, expired links dropped, bounded (see
// stateFile.prune). Refresh tokens the bounds leave out are deleted from
// memory too, so the running provider honours exactly what a restarted one
// would. Callers hold s.mu.
func (s *storage) snapshotLocked(now time.Time) []grantRecord {
	byFamily := map[string]*grantRecord{}
	for _, rt := range s.refreshTokens {
		g := byFamily[rt.family]
		if g == nil {
			// Every link of a family shares client, subject, audience, amr
			// and auth time: a rotation copies them from the link it replaces.
			g = &grantRecord{
				ID: rt.family, ClientID: rt.clientID, Subject: rt.subject,
				Audience: slices.Clone(rt.audience), AMR: slices.Clone(rt.amr),
				AuthTime: rt.authTime.UTC(),
			}
			byFamily[rt.family] = g
		}
		l := linkRecord{SHA256: rt.hash, ExpiresAt: rt.expiresAt.UTC(), Used: rt.used, Revoked: rt.revoked}
		if rt.active(now) {
			l.Scopes = slices.Clone(rt.scopes)
		}
		g.Links = append(g.Links, l)
	}
	f := stateFile{Grants: make([]grantRecord, 0, len(byFamily))}
	for _, g := range byFamily {
		f.Grants = append(f.Grants, *g)
	}
	f.prune(now)

	kept := make(map[string]bool, len(s.refreshTokens))
	for _, g := range f.Grants {
		for _, l := range g.Links {
			kept[l.SHA256] = true
		}
	}
	for h := range s.refreshTokens {
		if !kept[h] {
			delete(s.refreshTokens, h)
		}
	}
	return f.Grants
}

// restoreGrants loads grants read from the state file into the storage. The
// records were validated and pruned by readStateFile.
func (s *storage) restoreGrants(grants []grantRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range grants {
		for _, l := range g.Links {
			s.refreshTokens[l.SHA256] = &refreshToken{
				hash: l.SHA256, family: g.ID, clientID: g.ClientID, subject: g.Subject,
				scopes: slices.Clone(l.Scopes), audience: slices.Clone(g.Audience),
				amr: slices.Clone(g.AMR), authTime: g.AuthTime,
				expiresAt: l.ExpiresAt, used: l.Used, revoked: l.Revoked,
			}
		}
	}
}
