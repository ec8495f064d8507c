package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"time"
)

// zitadelReadyTimeout bounds the wait for the OP's ready line and discovery.
const zitadelReadyTimeout = 30 * time.Second

// ZitadelOP is a running zitadel/oidc v3 example OP, wrapped by
// e2e/tools/zitadelop to listen on 127.0.0.1 with an ephemeral port.
type ZitadelOP struct {
	// Issuer is http://127.0.0.1:PORT/ (with the trailing slash the example uses).
	Issuer string
	// ClientID is the example's public client, "native".
	ClientID string
	// Username and Password are the login form's test user.
	Username, Password string
	// DeviceClientID and DeviceClientSecret are the confidential
	// (client_secret_basic) client allowed the device grant only.
	DeviceClientID, DeviceClientSecret string
	// ServiceClientID and ServiceClientSecret are the example storage's
	// client_credentials service user.
	ServiceClientID, ServiceClientSecret string

	proc *Process
}

// StartZitadelOP starts the wrapper binary bin with the given redirect URIs
// registered for the native client, reads its ready line, and waits
// (bounded) until discovery answers. The caller must Stop the result.
func StartZitadelOP(ctx context.Context, bin string, redirects string) (*ZitadelOP, error) {
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("zitadelop binary %s: %w (run e2e/providers/run.sh to build it)", bin, err)
	}
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-redirect", redirects)
	cmd.Env = MinimalEnv()
	proc, lines, err := StartProcessFirstLine("zitadelop", cmd)
	if err != nil {
		return nil, err
	}

	var r struct {
		Issuer   string `json:"issuer"`
		ClientID string `json:"client_id"`
		Username string `json:"username"`
		Password string `json:"password"`

		DeviceClientID      string `json:"device_client_id"`
		DeviceClientSecret  string `json:"device_client_secret"`
		ServiceClientID     string `json:"service_client_id"`
		ServiceClientSecret string `json:"service_client_secret"`
	}
	select {
	case line, ok := <-lines:
		if !ok {
			proc.Stop()
			return nil, fmt.Errorf("zitadelop printed no ready line (%v); its output ends with:\n%s", proc.ExitErr(), proc.Logs())
		}
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			proc.Stop()
			return nil, fmt.Errorf("zitadelop ready line %q: %w; its output ends with:\n%s", line, err, proc.Logs())
		}
	case <-time.After(zitadelReadyTimeout):
		proc.Stop()
		return nil, fmt.Errorf("zitadelop printed no ready line within %s; its output ends with:\n%s", zitadelReadyTimeout, proc.Logs())
	case <-ctx.Done():
		proc.Stop()
		return nil, ctx.Err()
	}
	op := &ZitadelOP{Issuer: r.Issuer, ClientID: r.ClientID, Username: r.Username, Password: r.Password,
		DeviceClientID: r.DeviceClientID, DeviceClientSecret: r.DeviceClientSecret,
		ServiceClientID: r.ServiceClientID, ServiceClientSecret: r.ServiceClientSecret, proc: proc}
	err = waitFor(ctx, proc, zitadelReadyTimeout, 50*time.Millisecond, func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, op.Issuer+".well-known/openid-configuration", nil)
		resp, err := HTTPClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("discovery HTTP %d: %w", resp.StatusCode, errNotReady)
		}
		return nil
	})
	if err != nil {
		proc.Stop()
		return nil, err
	}
	return op, nil
}

// Stop kills the OP by PID.
func (z *ZitadelOP) Stop() { z.proc.Stop() }

// Logs is the tail of the OP's output.
func (z *ZitadelOP) Logs() string { return z.proc.Logs() }

// LoginFields are the form fields the stand-in browser fills on the OP's
// login page.
func (z *ZitadelOP) LoginFields() map[string]string {
	return map[string]string{"username": z.Username, "password": z.Password}
}
