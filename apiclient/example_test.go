package apiclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"golang.org/x/oauth2"

	"pkcedesk/apiclient"
)

func ExampleDo() {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"sub":"alice","auth":%q}`, r.Header.Get("Authorization"))
	}))
	defer api.Close()

	// In the app the token source is the session's, refreshing as needed.
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "demo-token", TokenType: "Bearer"})
	spec := apiclient.Spec{Method: "GET", URL: api.URL + "/me", AttachToken: true}

	resp, err := apiclient.Do(context.Background(), spec, ts, apiclient.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(resp.Status, resp.BodyKind, resp.TokenSent)
	fmt.Println(resp.Pretty)
	// Output:
	// 200 json true
	// {
	//   "sub": "alice",
	//   "auth": "Bearer demo-token"
	// }
}

func ExampleDo_insecure() {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "demo-token"})
	spec := apiclient.Spec{URL: "http://api.example.com/me", AttachToken: true}
	_, err := apiclient.Do(context.Background(), spec, ts, apiclient.Options{})
	if errors.Is(err, apiclient.ErrInsecureTokenTransport) {
		// Ask the user, then retry with Options{AllowInsecureToken: true}.
		fmt.Println(err)
	}
	// Output:
	// not sent: the access token would travel unencrypted over plain http to api.example.com; use https, or confirm that you want to send it anyway
}

func ExampleCurl() {
	spec := apiclient.Spec{
		Method:      "POST",
		URL:         "https://api.example.com/notes",
		Params:      []apiclient.KV{{Key: "draft", Value: "true", Enabled: true}},
		BodyType:    apiclient.BodyJSON,
		Body:        `{"text":"it's $5"}`,
		AttachToken: true,
	}
	fmt.Print(apiclient.Curl(spec, "secret-token", false))
	// Output:
	// # The access token is not included. Set it first: ACCESS_TOKEN='<paste the access token>'
	// curl --location 'https://api.example.com/notes?draft=true' \
	//   -H 'Content-Type: application/json' \
	//   -H "Authorization: Bearer $ACCESS_TOKEN" \
	//   --data-raw '{"text":"it'\''s $5"}'
}
