package harness

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// HydraVersion is the Ory Hydra release the harness is written against; the
// tool module e2e/tools/hydra pins it.
const HydraVersion = "v2.3.0"

// HydraClientID is the fixed id of the public client the harness registers.
const HydraClientID = "pkce-desk-e2e"

// HydraScopes are the scopes the harness client may request.
var HydraScopes = []string{"openid", "offline", "offline_access", "profile", "email"}

// hydraReadyTimeout bounds the wait for /health/ready (in-memory start is ~1 s).
const hydraReadyTimeout = 60 * time.Second

// Hydra is a running Ory Hydra (`serve all --dev`, DSN=memory) on
// 127.0.0.1 with PKCE enforced for public clients, plus the login/consent app
// it redirects to.
type Hydra struct {
	// Issuer is the public URL, also the issuer (no trailing slash).
	Issuer string
	// AdminURL is the admin API base URL (also 127.0.0.1).
	AdminURL string
	// App is the login/consent/logout UI.
	App *LoginConsentApp

	proc *Process
}

// StartHydra starts bin on two free 127.0.0.1 ports and waits (bounded) for
// /health/ready. If the process exits early — typically because a port was
// taken between picking and binding — it retries with new ports, at most
// three times. The caller must Stop the result.
func StartHydra(ctx context.Context, bin string) (*Hydra, error) {
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("hydra binary %s: %w (run e2e/providers/run.sh to build it)", bin, err)
	}
	app, err := NewLoginConsentApp("e2e-user-1", "e2e-user@example.test")
	if err != nil {
		return nil, err
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ {
		h, err := startHydraOnce(ctx, bin, app)
		if err == nil {
			return h, nil
		}
		lastErr = err
		if ctx.Err() != nil {
			break
		}
	}
	_ = app.Close()
	return nil, lastErr
}

func startHydraOnce(ctx context.Context, bin string, app *LoginConsentApp) (*Hydra, error) {
	pub, err := FreePort()
	if err != nil {
		return nil, err
	}
	adm, err := FreePort()
	if err != nil {
		return nil, err
	}
	if adm == pub {
		return nil, fmt.Errorf("got the same free port twice (%d)", pub)
	}
	secret := make([]byte, 24)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	issuer := "http://127.0.0.1:" + strconv.Itoa(pub)
	admin := "http://127.0.0.1:" + strconv.Itoa(adm)

	cmd := exec.Command(bin, "serve", "all", "--dev")
	cmd.Env = append(MinimalEnv(),
		"DSN=memory",
		"SERVE_PUBLIC_HOST=127.0.0.1", "SERVE_PUBLIC_PORT="+strconv.Itoa(pub),
		"SERVE_ADMIN_HOST=127.0.0.1", "SERVE_ADMIN_PORT="+strconv.Itoa(adm),
		"URLS_SELF_ISSUER="+issuer,
		"URLS_LOGIN="+app.URL+"/login",
		"URLS_CONSENT="+app.URL+"/consent",
		"URLS_LOGOUT="+app.URL+"/logout",
		"URLS_ERROR="+app.URL+"/error",
		"URLS_POST_LOGOUT_REDIRECT="+app.URL+"/logged-out",
		"SECRETS_SYSTEM="+hex.EncodeToString(secret),
		"OAUTH2_PKCE_ENFORCED_FOR_PUBLIC_CLIENTS=true",
		"SQA_OPT_OUT=true",
		"LOG_LEVEL=warn",
	)
	proc, err := StartProcess("hydra", cmd)
	if err != nil {
		return nil, err
	}
	app.SetAdminURL(admin)
	h := &Hydra{Issuer: issuer, AdminURL: admin, App: app, proc: proc}
	err = waitFor(ctx, proc, hydraReadyTimeout, 100*time.Millisecond, func(ctx context.Context) error {
		for _, u := range []string{admin + "/health/ready", issuer + "/health/ready"} {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			resp, err := HTTPClient.Do(req)
			if err != nil {
				return err
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("%s: HTTP %d: %w", u, resp.StatusCode, errNotReady)
			}
		}
		return nil
	})
	if err != nil {
		proc.Stop()
		return nil, err
	}
	return h, nil
}

// Stop kills Hydra by PID and closes the login/consent app.
func (h *Hydra) Stop() {
	h.proc.Stop()
	_ = h.App.Close()
}

// Logs is the tail of Hydra's output.
func (h *Hydra) Logs() string { return h.proc.Logs() }

// HydraClient is the registration sent to POST /admin/clients.
type HydraClient struct {
	ClientID                string   `json:"client_id"`
	TokenEndpointAuthMethod string   `json:"token_endpoint_auth_method"`
	RedirectURIs            []string `json:"redirect_uris"`
	GrantTypes              []string `json:"grant_types"`
	ResponseTypes           []string `json:"response_types"`
	Scope                   string   `json:"scope"`
}

// CreatePublicClient registers the public native client HydraClientID:
// token_endpoint_auth_method none, redirect URIs http://127.0.0.1/callback
// and http://[::1]/callback (Hydra accepts any port on a loopback IP literal
// when host and path match, RFC 8252 §7.3), authorization_code and
// refresh_token grants, HydraScopes. It registers no post_logout_redirect_uris
// (Hydra wants them on a redirect URI's host and port, which an ephemeral
// loopback port cannot be), so after an RP-initiated logout Hydra sends the
// browser to URLS_POST_LOGOUT_REDIRECT, the app's /logged-out page. It returns
// the registered client id.
func (h *Hydra) CreatePublicClient(ctx context.Context) (string, error) {
	in := HydraClient{
		ClientID:                HydraClientID,
		TokenEndpointAuthMethod: "none",
		RedirectURIs:            []string{"http://127.0.0.1/callback", "http://[::1]/callback"},
		GrantTypes:              []string{"authorization_code", "refresh_token"},
		ResponseTypes:           []string{"code"},
		Scope:                   strings.Join(HydraScopes, " "),
	}
	var out HydraClient
	if err := DoJSON(ctx, http.MethodPost, h.AdminURL+"/admin/clients", in, &out); err != nil {
		return "", fmt.Errorf("register the Hydra client: %w", err)
	}
	if out.ClientID == "" {
		return "", fmt.Errorf("register the Hydra client: no client_id in the response")
	}
	return out.ClientID, nil
}
