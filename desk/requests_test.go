package desk

import (
	"reflect"
	"strings"
	"testing"

	"pkcedesk/internal/redact"
	"pkcedesk/store"
	"pkcedesk/view"
)

// A sent request comes back from history as the console can send it again:
// form fields in the order typed, headers without credentials, secret values
// masked with the one marker.
func TestHistoryLoadsARequestBackWithoutCredentials(t *testing.T) {
	d, _, _ := newTestDesk(t, t.TempDir(), nil, "alice")
	ctx := testCtx(t)
	base := d.Profiles()[0].APIBase
	spec := view.RequestSpec{ID: "r1", ProfileID: store.DemoProfileID, Method: "post", URL: base + "/me",
		Params: []view.KV{{Key: "page", Value: "2", Enabled: true}},
		Headers: []view.KV{{Key: "Authorization", Value: "Bearer TYPED-SECRET", Enabled: true},
			{Key: "X-Trace", Value: "t-1", Enabled: true}, {Key: "X-Off", Value: "off", Enabled: false}},
		BodyType: "form",
		Form: []view.KV{{Key: "z", Value: "1", Enabled: true}, {Key: "a", Value: "2", Enabled: true},
			{Key: "client_secret", Value: "FORM-SECRET", Enabled: true}}}
	if _, err := d.Send(ctx, spec); err != nil {
		t.Fatal(err)
	}
	h := d.History(store.DemoProfileID)
	if len(h) != 1 {
		t.Fatalf("history has %d entries", len(h))
	}
	e := h[0]
	if e.Method != "POST" || e.URL != base+"/me?page=2" || e.Spec.URL != e.URL || e.Spec.Method != "POST" {
		t.Errorf("entry %+v", e)
	}
	wantForm := []view.KV{{Key: "z", Value: "1", Enabled: true}, {Key: "a", Value: "2", Enabled: true},
		{Key: "client_secret", Value: redact.Marker, Enabled: true}}
	if !reflect.DeepEqual(e.Spec.Form, wantForm) || e.Spec.BodyType != "form" || e.Spec.Body != "" {
		t.Errorf("form %+v body %q, want %+v", e.Spec.Form, e.Spec.Body, wantForm)
	}
	if want := []view.KV{{Key: "X-Trace", Value: "t-1", Enabled: true}}; !reflect.DeepEqual(e.Spec.Headers, want) {
		t.Errorf("headers %+v, want %+v", e.Spec.Headers, want)
	}
	if e.Spec.ProfileID != store.DemoProfileID || e.Spec.Params == nil {
		t.Errorf("spec %+v", e.Spec)
	}
	assertNoSecretInDir(t, d.st().Dir(), "TYPED-SECRET", "FORM-SECRET")
	for _, s := range []string{"TYPED-SECRET", "FORM-SECRET"} {
		if strings.Contains(e.URL+e.Spec.Body, s) {
			t.Errorf("history shows %s", s)
		}
	}
}
