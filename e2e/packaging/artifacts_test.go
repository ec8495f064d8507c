package packaging

import (
	"os"
	"path/filepath"
	"testing"
)

// distDir is the folder holding the artifacts of `make dist`.
func distDir() string {
	if d := os.Getenv("PKCE_DESK_DIST_DIR"); d != "" {
		return d
	}
	return filepath.Join("..", "..", "build", "dist")
}

// requireArtifacts reports whether a missing artifact is a failure (the
// dist stage) rather than a reason to skip (a plain `go test ./...`).
func requireArtifacts() bool { return os.Getenv("PKCE_DESK_REQUIRE_ARTIFACTS") == "1" }

// artifact returns the one file in distDir matching the glob pattern; with
// none it fails the test under requireArtifacts and skips it otherwise, and
// with more than one it fails.
func artifact(t *testing.T, pattern string) string {
	t.Helper()
	matches, err := filepath.Glob(filepath.Join(distDir(), pattern))
	if err != nil {
		t.Fatal(err)
	}
	switch len(matches) {
	case 1:
		return matches[0]
	case 0:
		if requireArtifacts() {
			t.Fatalf("no %s in %s: run make dist", pattern, distDir())
		}
		t.Skipf("no %s in %s (run make dist; PKCE_DESK_REQUIRE_ARTIFACTS=1 makes this a failure)", pattern, distDir())
	default:
		t.Fatalf("%d files match %s in %s, want one: %v", len(matches), pattern, distDir(), matches)
	}
	return ""
}

// repoRoot is the repository root, from the e2e/packaging test directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	return root
}
