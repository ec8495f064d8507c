package demo

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
)

// link builds a link record for a made-up token.
func link(token string, exp time.Time) linkRecord {
	return linkRecord{SHA256: hashRefreshToken(token), ExpiresAt: exp}
}

func TestStatePruneBoundsAndDropsBadRecords(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	g := func(id string, links ...linkRecord) grantRecord {
		return grantRecord{ID: id, ClientID: PublicClientID, Subject: "demo-user-alice", Links: links}
	}
	var f stateFile
	for i := range maxSavedGrants + 1 {
		f.Grants = append(f.Grants, g(fmt.Sprint("g", i), link(fmt.Sprint("t", i), now.Add(time.Duration(i+1)*time.Minute))))
	}
	var long []linkRecord
	for j := range maxSavedLinksPerGrant + 4 {
		long = append(long, link(fmt.Sprint("long", j), now.Add(time.Duration(5000-j)*time.Minute))) // newest first, on purpose
	}
	f.Grants = append(f.Grants, g("long", long...))
	f.Grants = append(f.Grants,
		g("g5", link("dup-id", now.Add(time.Hour))),            // duplicate grant id
		g("dup-hash", link("t7", now.Add(time.Hour))),          // a hash another grant has
		g("expired", link("old", now)),                         // expires exactly now
		g("no-exp", linkRecord{SHA256: hashRefreshToken("z")}), // zero expiry
		g("short-hash", linkRecord{SHA256: "abc", ExpiresAt: now.Add(time.Hour)}),
		grantRecord{ID: "no-client", Subject: "s", Links: []linkRecord{link("nc", now.Add(time.Hour))}},
	)

	dropped := f.prune(now)

	if len(f.Grants) != maxSavedGrants {
		t.Fatalf("%d grants kept, want %d", len(f.Grants), maxSavedGrants)
	}
	if f.Grants[0].ID != "long" {
		t.Fatalf("first grant %q, want the one with the newest link", f.Grants[0].ID)
	}
	kept := f.Grants[0].Links
	if len(kept) != maxSavedLinksPerGrant {
		t.Fatalf("%d links kept, want %d", len(kept), maxSavedLinksPerGrant)
	}
	for j, l := range kept {
		if want := hashRefreshToken(fmt.Sprint("long", maxSavedLinksPerGrant-1-j)); l.SHA256 != want {
			t.Fatalf("link %d is not the %d-th newest, oldest first", j, maxSavedLinksPerGrant-j)
		}
	}
	ids := map[string]bool{}
	for _, gr := range f.Grants {
		ids[gr.ID] = true
	}
	for _, gone := range []string{"g0", "g1", "dup-hash", "expired", "no-exp", "short-hash", "no-client"} {
		if ids[gone] {
			t.Errorf("grant %s kept", gone)
		}
	}
	if !ids["g2"] || !ids[fmt.Sprint("g", maxSavedGrants)] {
		t.Error("a grant within the bound was dropped")
	}
	// 4 surplus long links, g0 and g1 (over the grant bound), the second g5,
	// dup-hash, expired, no-exp, short-hash, no-client.
	if dropped != 4+2+6 {
		t.Errorf("prune reported %d dropped links, want 12", dropped)
	}
	// A pruned file prunes to itself.
	before := slices.Clone(f.Grants)
	if n := f.prune(now); n != 0 || len(f.Grants) != len(before) {
		t.Errorf("second prune dropped %d", n)
	}
}

// TestSnapshotTrimsMemoryToTheSavedBounds: what the running provider honours
// is what a restarted one would.
func TestSnapshotTrimsMemoryToTheSavedBounds(t *testing.T) {
	now := time.Now()
	s := newStorage(nil, newUserDirectory(), &demoClient{id: PublicClientID}, time.Minute)
	s.now = func() time.Time { return now }
	var hashes []string
	for i := range maxSavedLinksPerGrant + 2 {
		h := hashRefreshToken(fmt.Sprint("rt", i))
		hashes = append(hashes, h)
		s.refreshTokens[h] = &refreshToken{
			hash: h, family: "fam", clientID: PublicClientID, subject: "demo-user-bob",
			scopes: []string{"openid"}, expiresAt: now.Add(time.Hour + time.Duration(i)*time.Second),
			used: i < maxSavedLinksPerGrant+1, // the newest is the live one
		}
	}
	expired := hashRefreshToken("expired")
	s.refreshTokens[expired] = &refreshToken{hash: expired, family: "other", clientID: PublicClientID, subject: "demo-user-bob", expiresAt: now}

	s.mu.Lock()
	grants := s.snapshotLocked(now)
	s.mu.Unlock()

	if len(grants) != 1 || len(grants[0].Links) != maxSavedLinksPerGrant {
		t.Fatalf("snapshot: %d grants, want 1 with %d links", len(grants), maxSavedLinksPerGrant)
	}
	if len(s.refreshTokens) != maxSavedLinksPerGrant {
		t.Fatalf("%d refresh tokens in memory after the snapshot, want %d", len(s.refreshTokens), maxSavedLinksPerGrant)
	}
	for _, h := range hashes[:2] {
		if _, ok := s.refreshTokens[h]; ok {
			t.Error("an oldest link outside the bound is still in memory")
		}
	}
	links := grants[0].Links
	for _, l := range links[:len(links)-1] {
		if !l.Used || l.Scopes != nil {
			t.Errorf("used link saved as used=%t with scopes %v; want used and no scopes", l.Used, l.Scopes)
		}
	}
	if live := links[len(links)-1]; live.Used || !slices.Equal(live.Scopes, []string{"openid"}) || live.SHA256 != hashes[len(hashes)-1] {
		t.Errorf("live link saved as %+v", live)
	}
}

func TestStateWriterNeverPutsAnOlderSnapshotOverANewer(t *testing.T) {
	dir := t.TempDir()
	w := &stateWriter{path: filepath.Join(dir, stateFileName), port: 4242, issuer: "http://127.0.0.1:4242", log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	newer := []grantRecord{{ID: "newer", ClientID: PublicClientID, Subject: "s", Links: []linkRecord{link("n", time.Now().Add(time.Hour))}}}
	older := []grantRecord{{ID: "older", ClientID: PublicClientID, Subject: "s", Links: []linkRecord{link("o", time.Now().Add(time.Hour))}}}
	if err := w.write(newer, 2); err != nil {
		t.Fatal(err)
	}
	if err := w.write(older, 1); err != nil {
		t.Fatal(err)
	}
	f := readState(t, dir)
	if len(f.Grants) != 1 || f.Grants[0].ID != "newer" || f.Port != 4242 || f.Issuer != "http://127.0.0.1:4242" {
		t.Fatalf("state on disk: %+v", f)
	}
}

// TestSigningKeyFileIsReusedAndTightened: a valid key file is used as is,
// and a copy readable by others is made 0600.
func TestSigningKeyFileIsReusedAndTightened(t *testing.T) {
	d, err := openStateDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer d.release()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	k1, err := loadOrCreateSigningKey(d, log)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if err := os.Chmod(d.file(keyFileName), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	k2, err := loadOrCreateSigningKey(d, log)
	if err != nil {
		t.Fatal(err)
	}
	if k2.ID() != k1.ID() || !k2.private.Equal(k1.private) {
		t.Fatal("the saved key was not reused")
	}
	if fi, _ := os.Stat(d.file(keyFileName)); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
	}
}
