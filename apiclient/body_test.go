package apiclient

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

const fiftyMB = 50_000_000

// bigBodyServer serves fiftyMB of 'a' (with or without Content-Length) and
// reports how many bytes it managed to write once the handler returns.
func bigBodyServer(t *testing.T) (url string, written <-chan int64) {
	ch := make(chan int64, 4)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("chunked") == "" {
			w.Header().Set("Content-Length", strconv.Itoa(fiftyMB))
		}
		w.Header().Set("Content-Type", "text/plain")
		chunk := bytes.Repeat([]byte("a"), 64<<10)
		var n int64
		for n < fiftyMB {
			m, err := w.Write(chunk[:min(int64(len(chunk)), fiftyMB-n)])
			n += int64(m)
			if err != nil {
				break
			}
		}
		ch <- n
	}))
	return srv.URL, ch
}

func waitWritten(t *testing.T, ch <-chan int64) int64 {
	t.Helper()
	select {
	case n := <-ch:
		return n
	case <-time.After(20 * time.Second):
		t.Fatal("server handler did not finish: the connection was not closed")
		return 0
	}
}

func TestBodyTruncatedAtCap(t *testing.T) {
	url, written := bigBodyServer(t)

	resp, err := Do(context.Background(), Spec{URL: url}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.Truncated || resp.Size != DefaultMaxBody || resp.TotalSize != fiftyMB || len(resp.Body) != DefaultMaxBody {
		t.Fatalf("truncated=%v size=%d total=%d body=%d", resp.Truncated, resp.Size, resp.TotalSize, len(resp.Body))
	}
	if resp.BodyKind != KindText || len(resp.Notices) != 1 || resp.Notices[0] !=
		"The body is 47.7 MiB: the first 10 MiB (the size limit) was received and is shown; the rest was cut off, not downloaded." {
		t.Errorf("kind %s notices %q", resp.BodyKind, resp.Notices)
	}
	// The server could not push the whole body: the client hung up.
	if n := waitWritten(t, written); n >= fiftyMB {
		t.Errorf("server wrote all %d bytes: the connection was not closed at the cap", n)
	}

	// Unknown length (chunked): size unknown.
	resp, err = Do(context.Background(), Spec{URL: url + "?chunked=1"}, nil, Options{MaxBody: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	waitWritten(t, written)
	if !resp.Truncated || resp.Size != 1<<20 || resp.TotalSize != -1 || len(resp.Notices) != 1 ||
		!strings.Contains(resp.Notices[0], "first 1 MiB") || !strings.Contains(resp.Notices[0], "size unknown") {
		t.Errorf("chunked: truncated=%v size=%d total=%d notices=%q", resp.Truncated, resp.Size, resp.TotalSize, resp.Notices)
	}
}

// Reading a 50 MB body with a 1 MiB cap allocates a bounded amount,
// nowhere near the body's size.
func TestBodyCapBoundsMemory(t *testing.T) {
	url, written := bigBodyServer(t)
	// Warm up the transport so its buffers are not counted.
	if _, err := Do(context.Background(), Spec{URL: url}, nil, Options{MaxBody: 1 << 20}); err != nil {
		t.Fatal(err)
	}
	waitWritten(t, written)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	resp, err := Do(context.Background(), Spec{URL: url}, nil, Options{MaxBody: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	waitWritten(t, written)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d bytes reading 1 MiB of a 50 MB body", alloc)
	// Raw (1 MiB) + Body string (1 MiB) + server/transport noise.
	if alloc > 8<<20 {
		t.Errorf("allocated %d bytes for a 1 MiB cap", alloc)
	}
	if !resp.Truncated {
		t.Error("not truncated")
	}
}

func TestReadCapped(t *testing.T) {
	for _, tc := range []struct {
		n, max, hint int64
		trunc        bool
	}{
		{0, 10, -1, false}, {10, 10, -1, false}, {11, 10, -1, true},
		{10, 10, 10, false}, {100_000, 70_000, -1, true}, {100_000, 200_000, 100_000, false},
		{100_000, 200_000, 5, false}, // lying Content-Length
	} {
		src := bytes.Repeat([]byte{'x'}, int(tc.n))
		got, trunc, err := readCapped(iotestOneByte(bytes.NewReader(src), tc.n < 100), tc.max, tc.hint)
		if err != nil || trunc != tc.trunc || int64(len(got)) != min(tc.n, tc.max) || cap(got) > int(tc.max)+1 {
			t.Errorf("%+v: len=%d cap=%d trunc=%v err=%v", tc, len(got), cap(got), trunc, err)
		}
	}
}

// iotestOneByte optionally returns one byte per Read, as slow networks do.
func iotestOneByte(r io.Reader, one bool) io.Reader {
	if !one {
		return r
	}
	return readerFunc(func(p []byte) (int, error) { return r.Read(p[:min(len(p), 1)]) })
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

// serve answers every request with the given content type and body.
func serve(t *testing.T, contentType string, body []byte) string {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header()["Content-Type"] = []string{contentType}
		} else {
			w.Header()["Content-Type"] = nil // no sniffing: send none
		}
		w.Header().Add("X-Evil", `<img src=x onerror=alert(1)>`)
		w.Header().Add("X-Multi", "one")
		w.Header().Add("X-Multi", "two")
		w.Write(body)
	}))
	return srv.URL
}

func get(t *testing.T, url string) *Response {
	t.Helper()
	resp, err := Do(context.Background(), Spec{URL: url}, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestJSONPretty(t *testing.T) {
	body := `{"z":1,"a":[true,null,"<script>alert('x')</script>"],"n":1.50e3}`
	resp := get(t, serve(t, "application/json; charset=utf-8", []byte(body)))
	want := "{\n  \"z\": 1,\n  \"a\": [\n    true,\n    null,\n    \"<script>alert('x')</script>\"\n  ],\n  \"n\": 1.50e3\n}"
	if resp.BodyKind != KindJSON || resp.Pretty != want || resp.Body != body {
		t.Errorf("kind %s pretty:\n%s", resp.BodyKind, resp.Pretty)
	}
	// JSON without a JSON content type is still recognised; a bare number is not.
	if r := get(t, serve(t, "text/plain", []byte(` [1,2]`))); r.BodyKind != KindJSON {
		t.Errorf("array as text/plain: %s", r.BodyKind)
	}
	if r := get(t, serve(t, "text/plain", []byte(`42`))); r.BodyKind != KindText {
		t.Errorf("42: %s", r.BodyKind)
	}
	// Declared JSON but broken: text, with a notice.
	r := get(t, serve(t, "application/json", []byte(`{"a":`)))
	if r.BodyKind != KindText || r.Body != `{"a":` || len(r.Notices) != 1 || !strings.Contains(r.Notices[0], "not valid JSON") {
		t.Errorf("broken JSON: %s %q", r.BodyKind, r.Notices)
	}
}

func TestXSSPayloadReturnedVerbatim(t *testing.T) {
	payload := `<img src=x onerror=alert(1)></script><script>alert(document.cookie)</script>&amp;`
	resp := get(t, serve(t, "text/html", []byte(payload)))
	if resp.BodyKind != KindText || resp.Body != payload {
		t.Errorf("body altered: %q", resp.Body)
	}
	var evil, multi []string
	for _, h := range resp.Headers {
		switch h.Name {
		case "X-Evil":
			evil = append(evil, h.Value)
		case "X-Multi":
			multi = append(multi, h.Value)
		}
	}
	if len(evil) != 1 || evil[0] != `<img src=x onerror=alert(1)>` {
		t.Errorf("header altered: %q", evil)
	}
	if strings.Join(multi, ",") != "one,two" {
		t.Errorf("multi-valued header: %q", multi)
	}
	for i := 1; i < len(resp.Headers); i++ {
		if resp.Headers[i-1].Name > resp.Headers[i].Name {
			t.Errorf("headers not sorted: %v", resp.Headers)
		}
	}
}

func TestBinaryBodyAsHex(t *testing.T) {
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0xff, 0x00}, 40000)...)
	resp := get(t, serve(t, "image/png", png))
	if resp.BodyKind != KindBinary || resp.Body != "" {
		t.Fatalf("kind %s", resp.BodyKind)
	}
	if !strings.HasPrefix(resp.Hex, "00000000: 8950 4e47 0d0a 1a0a 0000 000d 4948 4452  .PNG........IHDR\n") {
		t.Errorf("hex starts %q", resp.Hex[:80])
	}
	if lines := strings.Count(resp.Hex, "\n"); lines != HexDumpLimit/16 {
		t.Errorf("hex has %d lines, want the first 64 KiB (%d)", lines, HexDumpLimit/16)
	}
	if len(resp.Notices) != 1 || !strings.Contains(resp.Notices[0], "first 64 KiB") {
		t.Errorf("notices %q", resp.Notices)
	}
	if !bytes.Equal(resp.Raw, png) || resp.Size != int64(len(png)) {
		t.Error("raw bytes differ")
	}
	// Valid UTF-8 with NUL bytes is not text either.
	if r := get(t, serve(t, "", []byte("abc\x00def"))); r.BodyKind != KindBinary {
		t.Errorf("NUL body: %s", r.BodyKind)
	}
}

func TestInvalidUTF8Body(t *testing.T) {
	// Declared text (Latin-1): replacement characters, notice and hex.
	resp := get(t, serve(t, "text/plain; charset=iso-8859-1", []byte("caf\xe9 <b>")))
	if resp.BodyKind != KindText || resp.Body != "caf\uFFFD <b>" || resp.Hex == "" {
		t.Errorf("latin-1: kind %s body %q", resp.BodyKind, resp.Body)
	}
	if len(resp.Notices) != 1 || !strings.Contains(resp.Notices[0], "not valid UTF-8") || !strings.Contains(resp.Notices[0], "iso-8859-1") {
		t.Errorf("notices %q", resp.Notices)
	}
	// Undeclared: binary.
	// JSON with invalid UTF-8 in a string: not shown as JSON with broken text.
	if r := get(t, serve(t, "application/json", []byte("{\"a\":\"\xff\"}"))); r.BodyKind != KindText || r.Body != "{\"a\":\"\uFFFD\"}" || r.Hex == "" {
		t.Errorf("JSON with invalid UTF-8: %s %q", r.BodyKind, r.Body)
	}
	if r := get(t, serve(t, "", []byte("\xc3\x28 hello"))); r.BodyKind != KindBinary || r.Hex == "" {
		t.Errorf("undeclared invalid UTF-8: %s", r.BodyKind)
	}
}

// A cap that splits a multi-byte character must not turn text into binary.
func TestTruncationInsideRune(t *testing.T) {
	body := strings.Repeat("é", 10) // 2 bytes each
	url := serve(t, "text/plain; charset=utf-8", []byte(body))
	resp, err := Do(context.Background(), Spec{URL: url}, nil, Options{MaxBody: 7})
	if err != nil {
		t.Fatal(err)
	}
	if resp.BodyKind != KindText || resp.Body != "ééé" || !resp.Truncated || resp.Size != 7 {
		t.Errorf("kind %s body %q size %d", resp.BodyKind, resp.Body, resp.Size)
	}
}

func TestEmptyBody(t *testing.T) {
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	resp := get(t, srv.URL)
	if resp.BodyKind != KindEmpty || resp.Status != 204 || resp.StatusText != "No Content" || resp.Size != 0 || resp.TotalSize != 0 {
		t.Errorf("%+v", resp)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1 KiB", 1536: "1.5 KiB", 10 << 20: "10 MiB", fiftyMB: "47.7 MiB", 3 << 30: "3 GiB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

// A JSON body cut at the cap is still JSON up to the cut: kind JSON with no
// pretty form, and one notice, the truncation's, instead of a second one
// saying it is "shown as plain text".
func TestTruncatedJSONStaysJSON(t *testing.T) {
	doc := `{"items":[` + strings.Repeat(`{"id":1,"name":"caf\u00e9 é","ok":true},`, 4000) + `{"id":2}]}`
	for _, cut := range []int{100, 101, 102, 103, 104, 105, 2000, len(doc) - 1} {
		url := serve(t, "application/json", []byte(doc))
		resp, err := Do(context.Background(), Spec{URL: url}, nil, Options{MaxBody: int64(cut)})
		if err != nil {
			t.Fatal(err)
		}
		want := string(trimPartialRune([]byte(doc[:cut])))
		if resp.BodyKind != KindJSON || resp.Body != want || resp.Pretty != "" || !resp.Truncated {
			t.Errorf("cut at %d: kind %s truncated %v pretty %q body %q…", cut, resp.BodyKind, resp.Truncated, resp.Pretty, resp.Body[max(0, len(resp.Body)-20):])
		}
		if len(resp.Notices) != 1 || !strings.Contains(resp.Notices[0], "cut off") {
			t.Errorf("cut at %d: notices %q, want only the truncation notice", cut, resp.Notices)
		}
	}

	// Without a JSON type, an object or array cut short is JSON too.
	url := serve(t, "", []byte(`[1, 2, {"a": "b`+strings.Repeat("c", 100)+`"}]`))
	if r, err := Do(context.Background(), Spec{URL: url}, nil, Options{MaxBody: 40}); err != nil || r.BodyKind != KindJSON || len(r.Notices) != 1 {
		t.Errorf("untyped cut JSON: %v kind %s notices %q", err, r.BodyKind, r.Notices)
	}

	// Broken before the cut: text, with the truncation notice and the one
	// saying it is not JSON.
	url = serve(t, "application/json", []byte(`{"a": <html>`+strings.Repeat("x", 100)))
	r, err := Do(context.Background(), Spec{URL: url}, nil, Options{MaxBody: 50})
	if err != nil {
		t.Fatal(err)
	}
	if r.BodyKind != KindText || len(r.Notices) != 2 || !strings.Contains(r.Notices[0], "cut off") || !strings.Contains(r.Notices[1], "not valid JSON") {
		t.Errorf("broken JSON cut at the cap: kind %s notices %q", r.BodyKind, r.Notices)
	}
}

func TestJSONPrefix(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{`{`, true}, {`{"a":`, true}, {`{"a":"b\`, true}, {`[1,2,`, true}, {`[-`, true}, {`[1.`, true},
		{`{"a":tr`, true}, {`"abc`, true}, {`{"a":1}  `, true}, {`[[[[[[`, true},
		{`{"a" 1`, false}, {`[1,]`, false}, {`{} {`, false}, {`[1]]`, false}, {`<html>`, false}, {`{"a":tx`, false}, {`[01`, false},
	} {
		if got := jsonPrefix([]byte(tc.in)); got != tc.want {
			t.Errorf("jsonPrefix(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

// BenchmarkDescribeTruncatedJSON is the cost of recognising a 10 MiB JSON
// body cut at the cap (UTF-8 check and the prefix scan).
func BenchmarkDescribeTruncatedJSON(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(`{"items":[`)
	for buf.Len() < DefaultMaxBody+1000 {
		buf.WriteString(`{"id":12345,"name":"widget","tags":["a","b"],"price":9.99},`)
	}
	raw := buf.Bytes()[:DefaultMaxBody]
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if v := describeBody(raw, "application/json", true); v.kind != KindJSON {
			b.Fatal(v.kind)
		}
	}
}

// Pretty is made for bodies up to PrettyLimit only: a larger valid JSON body
// is still KindJSON, with Body alone (half of what goes to the UI).
func TestPrettyOnlyUpToLimit(t *testing.T) {
	small := `{"a":[1,2]}`
	if r := get(t, serve(t, "application/json", []byte(small))); r.BodyKind != KindJSON || r.Pretty == "" {
		t.Errorf("small: kind %s pretty %q", r.BodyKind, r.Pretty)
	}
	big := `[` + strings.Repeat(`{"id":1,"name":"x"},`, PrettyLimit/19+10) + `{}]`
	r := get(t, serve(t, "application/json", []byte(big)))
	if r.BodyKind != KindJSON || r.Pretty != "" || r.Body != big || len(r.Notices) != 0 || r.Truncated {
		t.Errorf("over PrettyLimit: kind %s pretty %d bytes body %d bytes notices %q", r.BodyKind, len(r.Pretty), len(r.Body), r.Notices)
	}
}
