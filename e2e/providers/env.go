package providers

import (
	"os"
	"path/filepath"
)

// Environment variables run.sh sets for the tests. Each has a default so
// `go test ./providers/...` also works by hand once run.sh has filled the cache.
const (
	// EnvHydraBin is the path of the Hydra binary.
	EnvHydraBin = "PKCE_E2E_HYDRA_BIN"
	// EnvZitadelOPBin is the path of the built e2e/tools/zitadelop.
	EnvZitadelOPBin = "PKCE_E2E_ZITADELOP_BIN"
	// EnvPkceDeskBin is the path of the pkce-desk binary for the CLI tests.
	EnvPkceDeskBin = "PKCE_E2E_PKCEDESK_BIN"
	// EnvRequire, when "1", turns a missing binary into a test failure
	// instead of a skip (run.sh sets it: it just built them).
	EnvRequire = "PKCE_E2E_REQUIRE"
	// EnvPIDDir is a directory where every started server's PID is recorded
	// as an empty file for as long as it runs (run.sh's trap reads it).
	EnvPIDDir = "PKCE_E2E_PIDDIR"
)

// CacheDir is where run.sh keeps built tools, by version:
// ${XDG_CACHE_HOME:-$HOME/.cache}/pkce-desk.
func CacheDir() string {
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "pkce-desk")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "pkce-desk-cache")
	}
	return filepath.Join(home, ".cache", "pkce-desk")
}

// HydraBin is $PKCE_E2E_HYDRA_BIN or the cached build of HydraVersion.
func HydraBin() string {
	if p := os.Getenv(EnvHydraBin); p != "" {
		return p
	}
	return filepath.Join(CacheDir(), "hydra-"+HydraVersion, "hydra")
}

// ZitadelOPBin is $PKCE_E2E_ZITADELOP_BIN or the cached wrapper build.
func ZitadelOPBin() string {
	if p := os.Getenv(EnvZitadelOPBin); p != "" {
		return p
	}
	return filepath.Join(CacheDir(), "zitadelop", "zitadelop")
}

// PkceDeskBin is $PKCE_E2E_PKCEDESK_BIN ("" when unset: the CLI tests skip).
func PkceDeskBin() string { return os.Getenv(EnvPkceDeskBin) }

// Required reports whether missing binaries must fail the run.
func Required() bool { return os.Getenv(EnvRequire) == "1" }
