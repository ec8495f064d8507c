package store

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

func TestHistoryNeverStoresAuthorization(t *testing.T) {
	dir := storeDir(t)
	s := openTest(t, dir)
	p := mustSave(t, s, validProfile("A"))
	const token = "eyJhbGciOiJSUzI1NiJ9.secret-access-token.sig"
	e, err := s.AddHistory(HistoryEntry{
		ProfileID: p.ID, Method: "post",
		URL: "https://api.example.com/items?access_token=" + token + "&page=2",
		Headers: []Header{
			{"Accept", "application/json"},
			{"authorization", "Bearer " + token},
			{" Proxy-Authorization ", "Basic dXNlcjpwYXNz"},
			{"AUTHORIZATION", "Bearer " + token},
		},
		Body: `{"a":1}`, BodyType: "application/json", Status: 201, DurationMs: 42, Size: 10,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Headers) != 1 || e.Headers[0].Name != "Accept" {
		t.Errorf("headers = %+v", e.Headers)
	}
	if e.Method != "POST" || !strings.Contains(e.URL, "access_token=REDACTED") || !strings.Contains(e.URL, "page=2") {
		t.Errorf("entry = %+v", e)
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

	// A history.json edited by hand to contain one is cleaned when loaded.
	writeFile(t, join(dir, HistoryFile), fmt.Sprintf(`{"schema_version":1,"entries":[
	  {"id":"h-1","profile_id":%q,"method":"GET","url":"https://x.example/","headers":[{"name":"Authorization","value":"Bearer %s"}]}]}`, p.ID, token), 0o600)
	h := openTest(t, dir).History(p.ID)
	if len(h) != 1 || len(h[0].Headers) != 0 {
		t.Errorf("loaded history = %+v", h)
	}
}

func TestHistoryNewestFirstCappedPerProfile(t *testing.T) {
	dir := storeDir(t)
	s := openTest(t, dir)
	a := mustSave(t, s, validProfile("A"))
	b := mustSave(t, s, validProfile("B"))
	start := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	if _, err := s.AddHistory(HistoryEntry{ProfileID: b.ID, Method: "GET", URL: "https://b.example/only"}); err != nil {
		t.Fatal(err)
	}
	total := MaxHistoryPerProfile + 5
	for i := range total {
		if _, err := s.AddHistory(HistoryEntry{ProfileID: a.ID, Time: start.Add(time.Duration(i) * time.Second),
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

func TestHistoryBodyCappedAtCharacterBoundary(t *testing.T) {
	s := openTest(t, storeDir(t))
	p := mustSave(t, s, validProfile("A"))
	body := strings.Repeat("é", MaxHistoryBody) // 2 bytes each: twice the cap
	e, err := s.AddHistory(HistoryEntry{ProfileID: p.ID, Method: "PUT", URL: "https://x.example/", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Body) != MaxHistoryBody || !e.BodyTruncated || !strings.HasSuffix(e.Body, "é") {
		t.Errorf("body len %d truncated=%v", len(e.Body), e.BodyTruncated)
	}
	if _, err := s.AddHistory(HistoryEntry{ProfileID: "p-unknown", URL: "https://x"}); err == nil {
		t.Error("history for an unknown profile accepted")
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
		if _, err := s.AddHistory(HistoryEntry{ProfileID: id, Method: "POST", URL: fmt.Sprintf("https://x.example/%d", i), Body: body}); err != nil {
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
