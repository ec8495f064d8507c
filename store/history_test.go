package store

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"pkcedesk/apiclient"
	"pkcedesk/internal/redact"
)

// The store keeps the record apiclient made: what reaches history.json is
// what NewRecord left, so no credential gets there.
func TestHistoryNeverStoresAuthorization(t *testing.T) {
	dir := storeDir(t)
	s := openTest(t, dir)
	p := mustSave(t, s, validProfile("A"))
	const token = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LWFjY2Vzcy10b2tlbg.sig"
	spec := apiclient.Spec{Method: "post", URL: "https://api.example.com/items?access_token=" + token + "&page=2",
		Headers: []apiclient.KV{
			{Key: "Accept", Value: "application/json", Enabled: true},
			{Key: "authorization", Value: "Bearer " + token, Enabled: true},
			{Key: " Proxy-Authorization ", Value: "Basic dXNlcjpwYXNz", Enabled: true},
		},
		BodyType: apiclient.BodyJSON, Body: `{"a":1}`}
	rec := apiclient.NewRecord(spec, &apiclient.Response{Status: 201, Size: 10}, time.Now())
	e, err := s.AddHistory(p.ID, rec)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(e.Record, rec) || e.ProfileID != p.ID || e.ID == "" {
		t.Errorf("stored entry %+v, want the record as made", e)
	}
	raw, err := os.ReadFile(join(dir, HistoryFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{token, "dXNlcjpwYXNz", "uthorization"} {
		if strings.Contains(string(raw), bad) {
			t.Errorf("history.json contains %q:\n%s", bad, raw)
		}
	}
	if h := openTest(t, dir).History(p.ID); len(h) != 1 || !reflect.DeepEqual(h[0].Headers, rec.Headers) || h[0].URL != rec.URL {
		t.Errorf("reloaded history %+v, want the record %+v", h, rec)
	}

	// A history.json edited by hand to contain one is cleaned when loaded,
	// by the record's own rule.
	writeFile(t, join(dir, HistoryFile), fmt.Sprintf(`{"schema_version":1,"entries":[
	  {"id":"h-1","profile_id":%q,"method":"GET","url":"https://x.example/?access_token=%s","headers":[{"name":"Authorization","value":"Bearer %s"}]}]}`, p.ID, token, token), 0o600)
	h := openTest(t, dir).History(p.ID)
	if len(h) != 1 || len(h[0].Headers) != 0 || strings.Contains(h[0].URL, token) {
		t.Errorf("loaded history = %+v", h)
	}
}

// history.json keeps the format earlier versions wrote: an entry they saved
// loads with every field (their own "REDACTED" marker reads as the one
// marker, redact.Marker).
func TestHistoryLoadsTheFileEarlierVersionsWrote(t *testing.T) {
	dir := storeDir(t)
	s := openTest(t, dir)
	p := mustSave(t, s, validProfile("A"))
	writeFile(t, join(dir, HistoryFile), fmt.Sprintf(`{"schema_version":1,"entries":[{"id":"h-0a1b2c3d4e5f60718293a4b5","profile_id":%q,`+
		`"time":"2026-11-25T13:00:00Z","method":"POST","url":"https://api.example.com/items?access_token=REDACTED&page=2",`+
		`"headers":[{"name":"Accept","value":"application/json"}],"body":"a=1&b=2","body_type":"form","body_truncated":true,`+
		`"status":201,"duration_ms":42,"size":10}]}`+"\n", p.ID), 0o600)
	h := openTest(t, dir).History(p.ID)
	want := HistoryEntry{ID: "h-0a1b2c3d4e5f60718293a4b5", ProfileID: p.ID, Record: apiclient.Record{
		Time: time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC), Method: "POST",
		URL:     "https://api.example.com/items?access_token=" + redact.Marker + "&page=2",
		Headers: []apiclient.Header{{Name: "Accept", Value: "application/json"}},
		Body:    "a=1&b=2", BodyType: "form", BodyTruncated: true, Status: 201, DurationMs: 42, Size: 10}}
	if len(h) != 1 || !reflect.DeepEqual(h[0], want) {
		t.Errorf("loaded %+v\nwant   %+v", h, want)
	}
}

func TestHistoryNewestFirstCappedPerProfile(t *testing.T) {
	dir := storeDir(t)
	s := openTest(t, dir)
	a := mustSave(t, s, validProfile("A"))
	b := mustSave(t, s, validProfile("B"))
	start := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	if _, err := s.AddHistory(b.ID, apiclient.Record{Method: "GET", URL: "https://b.example/only"}); err != nil {
		t.Fatal(err)
	}
	total := MaxHistoryPerProfile + 5
	for i := range total {
		if _, err := s.AddHistory(a.ID, apiclient.Record{Time: start.Add(time.Duration(i) * time.Second),
			Method: "GET", URL: fmt.Sprintf("https://a.example/%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	h := s.History(a.ID)
	if len(h) != MaxHistoryPerProfile {
		t.Fatalf("kept %d entries, want %d", len(h), MaxHistoryPerProfile)
	}
	if h[0].URL != fmt.Sprintf("https://a.example/%d", total-1) || h[len(h)-1].URL != "https://a.example/5" {
		t.Errorf("order: first %s last %s", h[0].URL, h[len(h)-1].URL)
	}
	if hb := s.History(b.ID); len(hb) != 1 {
		t.Errorf("other profile's history dropped: %d", len(hb))
	}
	if n := len(openTest(t, dir).History(a.ID)); n != MaxHistoryPerProfile {
		t.Errorf("after reopen %d entries", n)
	}

	if err := s.ClearHistory(a.ID); err != nil {
		t.Fatal(err)
	}
	if len(s.History(a.ID)) != 0 || len(s.History(b.ID)) != 1 {
		t.Error("ClearHistory cleared the wrong entries")
	}
}

func TestHistoryOfAnUnknownProfileIsRefused(t *testing.T) {
	s := openTest(t, storeDir(t))
	if _, err := s.AddHistory("p-unknown", apiclient.Record{URL: "https://x"}); !errors.Is(err, ErrProfileNotFound) {
		t.Errorf("history for an unknown profile: %v", err)
	}
}

func TestHistoryTotalBodiesCapped(t *testing.T) {
	const limit = 10 * 1000
	s := openTest(t, storeDir(t), withHistoryBodiesCap(limit))
	a := mustSave(t, s, validProfile("A"))
	b := mustSave(t, s, validProfile("B"))
	body := strings.Repeat("b", 1000)
	perFull := limit / len(body) // entries whose bodies fit together
	for i := range perFull + 10 {
		id := a.ID
		if i%2 == 1 {
			id = b.ID
		}
		if _, err := s.AddHistory(id, apiclient.Record{Method: "POST", URL: fmt.Sprintf("https://x.example/%d", i), Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	total, n := 0, 0
	for _, id := range []string{a.ID, b.ID} {
		for _, e := range s.History(id) {
			total += len(e.Body)
			n++
		}
	}
	if total > limit || n != perFull {
		t.Errorf("kept %d entries with %d body bytes; want %d entries within %d", n, total, perFull, limit)
	}
	if h := s.History(a.ID); len(h) == 0 || h[0].URL != fmt.Sprintf("https://x.example/%d", perFull+8) {
		t.Errorf("newest entry of A missing")
	}
}
