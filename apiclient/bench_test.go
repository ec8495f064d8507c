package apiclient

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// benchBody is a typical small JSON API answer (~1 KiB).
var benchBody = `{"items":[` + strings.TrimSuffix(strings.Repeat(`{"id":12345,"name":"widget","tags":["a","b"],"price":9.99},`, 16), ",") + `]}`

func benchServer(b *testing.B) string {
	srv := newServer(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, benchBody)
	}))
	return srv.URL + "/items"
}

// BenchmarkDo measures a full Do: build, token, send with tracing, capped
// read, JSON check and pretty-print.
func BenchmarkDo(b *testing.B) {
	url := benchServer(b)
	ts := bearer("bench-token")
	spec := Spec{URL: url, AttachToken: true, Headers: []KV{{Key: "Accept", Value: "application/json", Enabled: true}}}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := Do(context.Background(), spec, ts, Options{})
		if err != nil || resp.BodyKind != KindJSON {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineClientDo is the floor: plain http.Client.Do + io.ReadAll
// against the same kind of server, same headers.
func BenchmarkBaselineClientDo(b *testing.B) {
	url := benchServer(b)
	client := &http.Client{Transport: newTransport(nil, nil), Timeout: DefaultTimeout}
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
		req.Header.Set("Accept", "application/json")
		req.Header.Set("Authorization", "Bearer bench-token")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || len(body) != len(benchBody) {
			b.Fatal(err)
		}
	}
}

func BenchmarkHexDump64K(b *testing.B) {
	data := make([]byte, HexDumpLimit)
	for i := range data {
		data[i] = byte(i)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		HexDump(data)
	}
}

func BenchmarkCurl(b *testing.B) {
	spec := Spec{Method: "POST", URL: "https://api.example.com/v1/x", Params: []KV{{Key: "q", Value: nasty, Enabled: true}},
		Headers: []KV{{Key: "X-A", Value: "it's", Enabled: true}}, BodyType: BodyJSON, Body: `{"a":"b"}`, AttachToken: true}
	for b.Loop() {
		Curl(spec, "tok", false)
	}
}
