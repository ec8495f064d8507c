package harness

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// DefaultTestVersion is the version DevBinary and PlainBinary build with when
// they build the binary themselves.
const DefaultTestVersion = "0.0.0-e2e"

// buildTimeout bounds one go build of the app.
const buildTimeout = 10 * time.Minute

var (
	devOnce sync.Once
	devBin  string
	devErr  error

	plainOnce sync.Once
	plainBin  string
	plainErr  error
	plainDir  string // removed by Main
)

// DevBinary returns a dev-tagged PKCE Desk binary and the version it was
// built with: $PKCE_DESK_DEV_BIN and $PKCE_DESK_VERSION when set, else it
// builds build/bin/pkce-desk-dev (go build -tags dev,webkit2_41) once per
// test binary with main.version set to DefaultTestVersion.
func DevBinary(t testing.TB) (path, version string) {
	t.Helper()
	if bin := os.Getenv(EnvDevBin); bin != "" {
		version := os.Getenv(EnvVersion)
		if version == "" {
			t.Fatalf("%s is set but %s is not: say which main.version the binary was built with", EnvDevBin, EnvVersion)
		}
		return bin, version
	}
	devOnce.Do(func() {
		root, err := RepoRoot()
		if err != nil {
			devErr = err
			return
		}
		if _, err := os.Stat(filepath.Join(root, "frontend", "dist", "index.html")); err != nil {
			devErr = fmt.Errorf("frontend/dist/index.html is missing: build the frontend first (make frontend)")
			return
		}
		out := filepath.Join(root, "build", "bin", "pkce-desk-dev")
		if err := goBuild(root, out, "1", ".", "-tags", "dev,webkit2_41"); err != nil {
			devErr = fmt.Errorf("build the dev app: %w", err)
			return
		}
		devBin = out
	})
	if devErr != nil {
		t.Fatal(devErr)
	}
	return devBin, DefaultTestVersion
}

// PlainBinary returns the pkce-desk command (cmd/pkce-desk, pure Go with no
// cgo: the `login` and `demo-provider` commands): $PKCE_DESK_PLAIN_BIN when set,
// else one built once per test binary into a temp folder that Main removes.
func PlainBinary(t testing.TB) string {
	t.Helper()
	if bin := os.Getenv(EnvPlainBin); bin != "" {
		return bin
	}
	plainOnce.Do(func() {
		root, err := RepoRoot()
		if err != nil {
			plainErr = err
			return
		}
		if plainDir, err = os.MkdirTemp("", "pkce-desk-e2e-bin-"); err != nil {
			plainErr = err
			return
		}
		out := filepath.Join(plainDir, "pkce-desk")
		if err := goBuild(root, out, "0", "./cmd/pkce-desk"); err != nil {
			plainErr = fmt.Errorf("build the plain pkce-desk binary: %w", err)
			return
		}
		plainBin = out
	})
	if plainErr != nil {
		t.Fatal(plainErr)
	}
	return plainBin
}

// goBuild builds the package pkg (a path relative to root) to out with
// CGO_ENABLED=cgo, main.version set to DefaultTestVersion and the extra
// flags, bounded by buildTimeout.
func goBuild(root, out, cgo, pkg string, flags ...string) error {
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	args := append([]string{"build", "-trimpath"}, flags...)
	args = append(args, "-ldflags", "-X main.version="+DefaultTestVersion, "-o", out, pkg)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED="+cgo)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w\n%s", err, msg)
	}
	return nil
}
