package providers

import (
	"context"
	"testing"

	"pkcedesk/demo"
)

// The demo provider (pkcedesk/demo, in this test process) through the same
// test shapes as the real providers: it is what a user tries first.

// startDemo starts a demo provider for t and closes it at t's end.
func startDemo(ctx context.Context, t *testing.T, opts demo.Options) *demo.Server {
	t.Helper()
	srv, err := demo.Start(ctx, opts)
	if err != nil {
		t.Fatalf("start the demo provider: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// demoSubject is the sub of the demo user named username.
func demoSubject(srv *demo.Server, username string) string {
	for _, u := range srv.Users() {
		if u.Username == username {
			return u.ID
		}
	}
	return ""
}

// demoAPI is GET /api/me's answer (the fields the tests read).
type demoAPI struct {
	Subject  string `json:"sub"`
	Scope    string `json:"scope"`
	ClientID string `json:"client_id"`
}

// demoMe calls the demo API's /me with the bearer token.
func demoMe(ctx context.Context, srv *demo.Server, accessToken string) (demoAPI, error) {
	var me demoAPI
	err := getBearerJSON(ctx, srv.APIBase()+"/me", accessToken, &me)
	return me, err
}

// demoAPISubject is the subject the demo API says the token is for,
// failing t when the API refuses it.
func demoAPISubject(ctx context.Context, t *testing.T, srv *demo.Server, accessToken string) string {
	t.Helper()
	me, err := demoMe(ctx, srv, accessToken)
	if err != nil {
		t.Fatalf("the demo API refuses the access token: %v", err)
	}
	return me.Subject
}
