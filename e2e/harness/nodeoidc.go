package harness

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// EnvNodeOIDCModules is the node_modules folder of the installed
// node-oidc-provider tool (e2e/tools/nodeoidc): run.sh installs it with
// `npm ci` into $PKCE_DESK_CACHE/nodeoidc-<lockfile sha256>/ and sets this.
const EnvNodeOIDCModules = "PKCE_DESK_NODEOIDC_MODULES"

// NodeOIDCVersion is the npm oidc-provider version e2e/tools/nodeoidc's
// package.json pins (exactly).
const NodeOIDCVersion = "9.13.3"

// nodeOIDCReadyTimeout bounds the wait for the ready line and discovery
// (Node starts it in ~0.3 s).
const nodeOIDCReadyTimeout = 30 * time.Second

// nodeOIDCToolDir is the tool's folder in the repository.
const nodeOIDCToolDir = "e2e/tools/nodeoidc"

// NodeOIDCLockHash is the sha256 (hex) of e2e/tools/nodeoidc/package-lock.json:
// the key of the installed tool's cache folder, as run.sh computes it.
func NodeOIDCLockHash() (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(root, nodeOIDCToolDir, "package-lock.json"))
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// NodeOIDCModules is $PKCE_DESK_NODEOIDC_MODULES or the cached install for
// the current lockfile ("" when the lockfile cannot be read).
func NodeOIDCModules() string {
	if p := os.Getenv(EnvNodeOIDCModules); p != "" {
		return p
	}
	h, err := NodeOIDCLockHash()
	if err != nil {
		return ""
	}
	return filepath.Join(CacheDir(), "nodeoidc-"+h, "node_modules")
}

// NodeOIDCOptions tunes one node-oidc-provider start (e2e/tools/nodeoidc/server.js).
type NodeOIDCOptions struct {
	// DeviceInterval is the "interval" (seconds) of its device authorization
	// responses, and the spacing below which a poll gets slow_down; 0 = 1.
	DeviceInterval int
	// SlowDownFirst answers slow_down to the first N polls of every device
	// code (RFC 8628 §3.5), whatever their spacing.
	SlowDownFirst int
	// DeviceTTL is the device code's lifetime in seconds; 0 = 600.
	DeviceTTL int
}

// NodeOIDC is a running node-oidc-provider on 127.0.0.1 (an ephemeral
// port), with the public native client, the confidential service client
// and two resource servers that e2e/tools/nodeoidc/server.js registers.
type NodeOIDC struct {
	// Issuer is http://127.0.0.1:PORT (no trailing slash).
	Issuer string `json:"issuer"`
	// NativeClientID is the public native client (code, refresh, device).
	NativeClientID string `json:"native_client_id"`
	// ServiceClientID and ServiceClientSecret are the confidential
	// client_secret_basic client allowed client_credentials only.
	ServiceClientID     string `json:"service_client_id"`
	ServiceClientSecret string `json:"service_client_secret"`
	// Resource is an RFC 8707 resource indicator with opaque access
	// tokens; JWTResource one with RFC 9068 JWT access tokens.
	Resource    string `json:"resource"`
	JWTResource string `json:"jwt_resource"`
	// ResourceScopes are the scopes the resource servers know.
	ResourceScopes string `json:"resource_scopes"`
	// DeviceInterval is the polling interval it announces (seconds).
	DeviceInterval int `json:"device_interval"`

	proc *Process
	dir  string
}

// StartNodeOIDC copies server.js and package.json of e2e/tools/nodeoidc into
// a temporary folder beside a link to the installed node_modules
// (NodeOIDCModules), starts `node server.js` there on 127.0.0.1 with port 0,
// reads the JSON line it prints, and waits (bounded) for discovery. The
// caller must Stop the result.
func StartNodeOIDC(ctx context.Context, opts NodeOIDCOptions) (*NodeOIDC, error) {
	modules := NodeOIDCModules()
	if _, err := os.Stat(filepath.Join(modules, "oidc-provider", "package.json")); err != nil {
		return nil, fmt.Errorf("node-oidc-provider is not installed at %s (%v): run e2e/providers/run.sh, which runs npm ci for e2e/tools/nodeoidc", modules, err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("node is not on PATH: %w", err)
	}
	root, err := RepoRoot()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "pkce-desk-nodeoidc-")
	if err != nil {
		return nil, err
	}
	for _, f := range []string{"server.js", "package.json"} {
		b, err := os.ReadFile(filepath.Join(root, nodeOIDCToolDir, f))
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, f), b, 0o644)
		}
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("copy %s/%s: %w", nodeOIDCToolDir, f, err)
		}
	}
	if err := os.Symlink(modules, filepath.Join(dir, "node_modules")); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	interval := opts.DeviceInterval
	if interval <= 0 {
		interval = 1
	}
	ttl := opts.DeviceTTL
	if ttl <= 0 {
		ttl = 600
	}
	cmd := exec.Command(node, "server.js")
	cmd.Dir = dir
	cmd.Env = append(MinimalEnv(),
		"PORT=0",
		"DEVICE_INTERVAL="+strconv.Itoa(interval),
		"DEVICE_TTL="+strconv.Itoa(ttl),
		"SLOW_DOWN_FIRST="+strconv.Itoa(opts.SlowDownFirst),
		"NODE_ENV=development",
	)
	proc, lines, err := StartProcessFirstLine("node-oidc-provider", cmd)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	fail := func(err error) (*NodeOIDC, error) {
		proc.Stop()
		os.RemoveAll(dir)
		return nil, err
	}
	op := &NodeOIDC{proc: proc, dir: dir}
	select {
	case line, ok := <-lines:
		if !ok {
			return fail(fmt.Errorf("node-oidc-provider printed no ready line (%v); its output ends with:\n%s", proc.ExitErr(), proc.Logs()))
		}
		if err := json.Unmarshal([]byte(line), op); err != nil {
			return fail(fmt.Errorf("node-oidc-provider ready line is not JSON (%v); its output ends with:\n%s", err, proc.Logs()))
		}
	case <-time.After(nodeOIDCReadyTimeout):
		return fail(fmt.Errorf("node-oidc-provider printed no ready line within %s; its output ends with:\n%s", nodeOIDCReadyTimeout, proc.Logs()))
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	if !strings.HasPrefix(op.Issuer, "http://127.0.0.1:") || op.NativeClientID == "" || op.ServiceClientSecret == "" {
		return fail(fmt.Errorf("node-oidc-provider announced issuer %q, native client %q: not a loopback issuer with clients", op.Issuer, op.NativeClientID))
	}
	err = waitFor(ctx, proc, nodeOIDCReadyTimeout, 50*time.Millisecond, func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, op.Issuer+"/.well-known/openid-configuration", nil)
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
		return fail(err)
	}
	return op, nil
}

// Stop kills the provider by PID and removes its temporary folder.
func (n *NodeOIDC) Stop() {
	n.proc.Stop()
	_ = os.RemoveAll(n.dir)
}

// Logs is the tail of the provider's output (its stderr).
func (n *NodeOIDC) Logs() string { return n.proc.Logs() }

// NodeOIDCUser is the login the stand-in browser types into
// devInteractions' form (any login and password are accepted; the login
// becomes the subject).
const NodeOIDCUser = "e2e-user"

// LoginFields fill devInteractions' login form (fields login, password).
func (n *NodeOIDC) LoginFields() map[string]string {
	return map[string]string{"login": NodeOIDCUser, "password": "any-password"}
}
