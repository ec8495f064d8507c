package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
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
		Method: "POST",
		URL:    srv.URL + "/tok?api_key=URL-KEY-SECRET&page=2",
		Params: []KV{{Key: "code", Value: "PARAM-SECRET", Enabled: true}, {Key: "page", Value: "3", Enabled: true}},
		Headers: []KV{
			{Key: "Authorization", Value: "Basic HDR-AUTH-SECRET", Enabled: true},
			{Key: "cookie", Value: "sid=HDR-COOKIE-SECRET", Enabled: true},
			{Key: "X-Api-Key", Value: "HDR-APIKEY-SECRET", Enabled: true},
			{Key: "Accept", Value: "application/json", Enabled: true},
		},
		BodyType:    BodyForm,
		Form:        []KV{{Key: "client_secret", Value: "FORM-SECRET", Enabled: true}, {Key: "grant_type", Value: "client_credentials", Enabled: true}},
		Body:        `{"password":"BODY-SECRET"}`,
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
	rec := NewRecord(spec, resp, nil, at)
	js, err := json.Marshal(rec)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(js), "SECRET") {
		t.Errorf("record leaks a secret:\n%s", js)
	}
	if rec.Status != 200 || rec.Spec.Method != "POST" || rec.Spec.Params[1].Value != "3" ||
		!strings.Contains(rec.Spec.URL, "page=2") || !strings.Contains(rec.ResponseBody, `"user":"alice"`) ||
		rec.Spec.Headers[3].Value != "application/json" || !rec.Spec.AttachToken || !rec.At.Equal(at) {
		t.Errorf("record lost non-secret data: %+v", rec)
	}
	if h := rec.Spec.Headers[0]; h.Key != "Authorization" || h.Value != "" || h.Enabled {
		t.Errorf("Authorization row: %+v", h)
	}
	joined := strings.Join(rec.Redacted, "|")
	for _, w := range []string{"header Authorization", "header Cookie", "header X-Api-Key", "parameter code", "form field client_secret", "URL"} {
		if !strings.Contains(joined, w) {
			t.Errorf("Redacted %q lacks %q", rec.Redacted, w)
		}
	}
}

func TestRecordCapsBodiesAndKeepsErrors(t *testing.T) {
	big := strings.Repeat("é", RecordBodyLimit) // 2 bytes each: twice the cap
	rec := NewRecord(Spec{URL: "https://h/?token=T-SECRET", BodyType: BodyText, Body: big},
		&Response{Status: 200, BodyKind: KindText, Body: big, Size: int64(len(big))}, nil, time.Now())
	if len(rec.Spec.Body) > RecordBodyLimit || len(rec.ResponseBody) > RecordBodyLimit || !rec.BodyCapped {
		t.Errorf("bodies not capped: %d %d", len(rec.Spec.Body), len(rec.ResponseBody))
	}
	if !strings.HasSuffix(rec.ResponseBody, "é") {
		t.Error("cap split a character")
	}

	sendErr := &RequestError{Method: "GET", URL: "https://h/?token=" + Mask, Err: errors.New("dial tcp: connection refused")}
	rec = NewRecord(Spec{URL: "https://h/?token=T-SECRET"}, nil, sendErr, time.Now())
	if rec.Status != 0 || !strings.Contains(rec.Error, "connection refused") || strings.Contains(rec.Error+rec.Spec.URL, "T-SECRET") {
		t.Errorf("failed send record: %+v", rec)
	}
}

func TestRecordBinaryKeepsHex(t *testing.T) {
	resp := &Response{Status: 200, BodyKind: KindBinary, Hex: HexDump([]byte{0, 1, 2}), Size: 3}
	rec := NewRecord(Spec{URL: "https://h/"}, resp, nil, time.Now())
	if rec.ResponseBody != resp.Hex || rec.BodyKind != KindBinary {
		t.Errorf("%+v", rec)
	}
}
