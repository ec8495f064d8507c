package providers

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"pkcedesk/auth"

	"pkcedesk/e2e/harness"
)

// Helpers shared by the tests of the grants beyond the loopback code flow
// (issue 14): device, client credentials, token exchange.

// introspect asks the provider's RFC 7662 endpoint about token as the given
// client: HTTP Basic with a secret, else client_id in the body (a public
// client). It returns the decoded answer; a non-200 status is an error.
func introspect(ctx context.Context, endpoint, clientID, secret, token string) (map[string]any, error) {
	form := url.Values{"token": {token}}
	if secret == "" {
		form.Set("client_id", clientID)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if secret != "" {
		req.SetBasicAuth(url.QueryEscape(clientID), url.QueryEscape(secret))
	}
	resp, err := harness.HTTPClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := harness.ReadCapped(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("introspection HTTP %d: %s", resp.StatusCode, harness.OneLine(string(b)))
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("introspection answer is not JSON: %w", err)
	}
	return out, nil
}

// kinds lists the kinds of the trace's events, in order.
func (l *traceLog) kinds() []auth.EventKind {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]auth.EventKind, 0, len(l.events))
	for _, e := range l.events {
		out = append(out, e.Kind)
	}
	return out
}

// count is how many events of kind k the trace holds.
func (l *traceLog) count(k auth.EventKind) int {
	n := 0
	for _, got := range l.kinds() {
		if got == k {
			n++
		}
	}
	return n
}

// first is the first event of kind k (ok false when there is none).
func (l *traceLog) first(k auth.EventKind) (auth.Event, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, e := range l.events {
		if e.Kind == k {
			return e, true
		}
	}
	return auth.Event{}, false
}

// missingKinds is which of want the trace never saw, in want's order.
func (l *traceLog) missingKinds(want ...auth.EventKind) []auth.EventKind {
	have := l.kinds()
	var out []auth.EventKind
	for _, k := range want {
		if !slices.Contains(have, k) {
			out = append(out, k)
		}
	}
	return out
}

// field is the value of the event's field key ("" when absent).
func field(e auth.Event, key string) string {
	for _, f := range e.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return ""
}

// scopeHas reports whether the space-separated scope list holds s.
func scopeHas(scope any, s string) bool {
	str, _ := scope.(string)
	return slices.Contains(strings.Fields(str), s)
}

// startZitadelForGrants starts zitadel's example OP for one grant test
// (stopped at cleanup) and returns a context bounded by suiteTimeout.
func startZitadelForGrants(t *testing.T) (context.Context, *harness.ZitadelOP) {
	t.Helper()
	bin := harness.ZitadelOPBin()
	requireBinary(t, "zitadelop", bin)
	ctx, cancel := context.WithTimeout(context.Background(), suiteTimeout)
	t.Cleanup(cancel)
	op, err := harness.StartZitadelOP(ctx, bin, "http://127.0.0.1/callback")
	if err != nil {
		t.Fatalf("start zitadelop: %v", err)
	}
	t.Cleanup(op.Stop)
	return ctx, op
}
