package apiclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestRecordHasNoSecrets(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "sid", Value: "SETCOOKIE-SECRET"})
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"access_token":"RESP-AT-SECRET","user":"alice","echo":"` + r.Header.Get("Authorization") + `"}`))
	}))
	spec := Spec{
		Method: "post",
		URL:    srv.URL + "/tok?api_key=URL-KEY-SECRET&page=2#frag",
		Params: []KV{{Key: "code", Value: "PARAM-SECRET", Enabled: true}, {Key: "page", Value: "3", Enabled: true}},
		Headers: []KV{
			{Key: "Authorization", Value: "Basic HDR-AUTH-SECRET", Enabled: true},
			{Key: "cookie", Value: "sid=HDR-COOKIE-SECRET", Enabled: true},
			{Key: " Proxy-Authorization ", Value: "Basic PROXY-SECRET", Enabled: true},
			{Key: "X-Api-Key", Value: "HDR-APIKEY-SECRET", Enabled: true},
			{Key: "X-Note", Value: "Bearer NOTE-SECRET-TOKEN", Enabled: true},
			{Key: "Accept", Value: "application/json", Enabled: true},
			{Key: "X-Off", Value: "not sent", Enabled: false},
		},
		BodyType: BodyForm,
		Form: []KV{{Key: "grant_type", Value: "client_credentials", Enabled: true},
			{Key: "client_secret", Value: "FORM-SECRET", Enabled: true}, {Key: "scope", Value: "a b", Enabled: true}},
		AttachToken: true,
	}
	resp, err := Do(context.Background(), spec, bearer("BEARER-SECRET"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.Body, "BEARER-SECRET") || !strings.Contains(resp.Body, "RESP-AT-SECRET") {
		t.Fatalf("test server did not echo: %s", resp.Body)
	}
	at := time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC)
	rec := NewRecord(spec, resp, at)
	js, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "SECRET") {
		t.Errorf("record leaks a secret:\n%s", js)
	}
	// What is not a secret stays, resolved as Do sent it.
	if rec.Status != 200 || rec.Method != "POST" || !rec.Time.Equal(at) || rec.Size != resp.Size {
		t.Errorf("record lost non-secret data: %+v", rec)
	}
	if !strings.HasPrefix(rec.URL, srv.URL+"/tok?") || !strings.Contains(rec.URL, "page=2") || !strings.Contains(rec.URL, "page=3") || strings.Contains(rec.URL, "frag") {
		t.Errorf("URL %q: want the sent URL, params merged, fragment dropped", rec.URL)
	}
	wantHeaders := []Header{{"X-Api-Key", Mask}, {"X-Note", "Bearer " + Mask}, {"Accept", "application/json"}}
	if !reflect.DeepEqual(rec.Headers, wantHeaders) {
		t.Errorf("headers %+v, want %+v", rec.Headers, wantHeaders)
	}
	if want := "grant_type=client_credentials&client_secret=" + Mask + "&scope=a+b"; rec.Body != want {
		t.Errorf("form body %q, want %q", rec.Body, want)
	}
}

func TestRecordOfAFailedSend(t *testing.T) {
	rec := NewRecord(Spec{URL: "https://h/?token=T-SECRET", Method: " "}, nil, time.Now())
	if rec.Status != 0 || rec.Size != 0 || rec.Method != "GET" || strings.Contains(rec.URL, "T-SECRET") {
		t.Errorf("failed send record: %+v", rec)
	}
}

func TestRecordCapsAtACharacterBoundary(t *testing.T) {
	big := strings.Repeat("é", RecordBodyLimit) // 2 bytes each: twice the cap
	var headers []KV
	for i := range RecordHeaderLimit + 5 {
		headers = append(headers, KV{Key: fmt.Sprintf("X-H%d", i), Value: big, Enabled: true})
	}
	rec := NewRecord(Spec{URL: "https://h/?q=" + big, BodyType: BodyText, Body: big, Headers: headers}, nil, time.Now())
	if len(rec.Body) != RecordBodyLimit || !rec.BodyTruncated || !strings.HasSuffix(rec.Body, "é") {
		t.Errorf("body: %d bytes, truncated %v", len(rec.Body), rec.BodyTruncated)
	}
	if len(rec.URL) > RecordURLLimit {
		t.Errorf("URL not capped: %d bytes", len(rec.URL))
	}
	if len(rec.Headers) != RecordHeaderLimit || len(rec.Headers[0].Value) != RecordHeaderValueLimit || !strings.HasSuffix(rec.Headers[0].Value, "é") {
		t.Errorf("headers: %d, first value %d bytes", len(rec.Headers), len(rec.Headers[0].Value))
	}
	if small := NewRecord(Spec{URL: "https://h/", BodyType: BodyText, Body: "short"}, nil, time.Now()); small.BodyTruncated {
		t.Error("a short body is marked truncated")
	}
}

// A record read back from a file edited by hand is cleaned by the same rule,
// and a clean record does not change.
func TestRecordSanitizedCleansAndIsStable(t *testing.T) {
	const token = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LWFjY2Vzcy10b2tlbg.sig"
	hand := Record{Method: "get", URL: "https://x.example/items?access_token=" + token + "&page=2",
		Headers: []Header{{"Accept", "application/json"}, {"authorization", "Bearer " + token},
			{" Proxy-Authorization ", "Basic dXNlcjpwYXNz"}, {"DPoP", token}, {"", "no name"}},
		Body: `{"refresh_token":"R-SECRET"}`, BodyType: BodyJSON}
	clean := hand.Sanitized()
	js, _ := json.Marshal(clean)
	for _, bad := range []string{token, "dXNlcjpwYXNz", "R-SECRET", "uthorization", "DPoP", "no name"} {
		if strings.Contains(string(js), bad) {
			t.Errorf("sanitized record holds %q: %s", bad, js)
		}
	}
	if clean.Method != "GET" || !strings.Contains(clean.URL, "page=2") || len(clean.Headers) != 1 {
		t.Errorf("sanitized record lost data: %+v", clean)
	}
	if again := clean.Sanitized(); !reflect.DeepEqual(again, clean) {
		t.Errorf("a second Sanitized changed the record:\n%+v\n%+v", clean, again)
	}
	made := NewRecord(Spec{URL: "https://x/?a=1", Params: []KV{{Key: "code", Value: "C-SECRET", Enabled: true}},
		BodyType: BodyForm, Form: []KV{{Key: "password", Value: "P-SECRET", Enabled: true}}}, nil, time.Now())
	if again := made.Sanitized(); !reflect.DeepEqual(again, made) {
		t.Errorf("Sanitized changed what NewRecord made:\n%+v\n%+v", made, again)
	}
}

// Loading a record back gives the console a spec it can send again: form
// fields in the order they were typed, headers as enabled rows.
func TestRecordSpecLoadsBack(t *testing.T) {
	form := []KV{{Key: "z", Value: "1", Enabled: true}, {Key: "a b", Value: "x&y=z", Enabled: true},
		{Key: "m", Value: "", Enabled: true}, {Key: "z", Value: "2", Enabled: true}}
	rec := NewRecord(Spec{Method: "POST", URL: "https://h/p", BodyType: BodyForm, Form: form,
		Headers: []KV{{Key: "Accept", Value: "text/plain", Enabled: true}}}, nil, time.Now())
	s := rec.Spec()
	if !reflect.DeepEqual(s.Form, form) || s.Body != "" || s.BodyType != BodyForm {
		t.Errorf("form %+v body %q, want %+v", s.Form, s.Body, form)
	}
	if !reflect.DeepEqual(s.Headers, []KV{{Key: "Accept", Value: "text/plain", Enabled: true}}) || s.Method != "POST" || s.URL != "https://h/p" || !s.AttachToken {
		t.Errorf("spec %+v", s)
	}
	if s := (Record{Method: "GET", URL: "https://h/", Body: "kept"}).Spec(); s.BodyType != BodyNone || s.Body != "kept" ||
		s.Params == nil || s.Headers == nil || s.Form == nil {
		t.Errorf("spec of a bare record %+v", s)
	}
}
