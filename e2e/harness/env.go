package harness

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The environment variables the harness reads. scripts/test.sh and
// e2e/providers/run.sh set them; each has a default, so `go test` in the e2e
// module also works by hand (building what it needs).
const (
	// EnvDevBin names a dev-tagged binary to use instead of building one.
	EnvDevBin = "PKCE_DESK_DEV_BIN"
	// EnvVersion is the main.version the given binaries were built with.
	EnvVersion = "PKCE_DESK_VERSION"
	// EnvPlainBin names a plain binary (no tags, CGO_ENABLED=0) to use
	// instead of building one.
	EnvPlainBin = "PKCE_DESK_PLAIN_BIN"
	// EnvChromium names the Chromium executable.
	EnvChromium = "PKCE_DESK_CHROMIUM"
	// EnvHydraBin is the path of the Hydra binary.
	EnvHydraBin = "PKCE_DESK_HYDRA_BIN"
	// EnvZitadelOPBin is the path of the built e2e/tools/zitadelop.
	EnvZitadelOPBin = "PKCE_DESK_ZITADELOP_BIN"
	// EnvCache is the machine cache folder (built tools, by version).
	EnvCache = "PKCE_DESK_CACHE"
	// EnvRequireProviders, when "1", turns a missing provider binary into a
	// test failure instead of a skip (run.sh sets it: it just built them).
	EnvRequireProviders = "PKCE_DESK_REQUIRE_PROVIDERS"
	// EnvPIDDir is a directory where every started process's PID is
	// recorded as an empty file for as long as it runs (run.sh's exit trap
	// kills what a crashed test binary left behind).
	EnvPIDDir = "PKCE_DESK_PIDDIR"
)

// CacheDir is where the scripts keep built tools, by version:
// $PKCE_DESK_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/pkce-desk (as
// scripts/lib.sh computes it).
func CacheDir() string {
	if d := os.Getenv(EnvCache); d != "" {
		return d
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "pkce-desk")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "pkce-desk-cache")
	}
	return filepath.Join(home, ".cache", "pkce-desk")
}

// HydraBin is $PKCE_DESK_HYDRA_BIN or the cached build of HydraVersion.
func HydraBin() string {
	if p := os.Getenv(EnvHydraBin); p != "" {
		return p
	}
	return filepath.Join(CacheDir(), "hydra-"+HydraVersion, "hydra")
}

// ZitadelOPBin is $PKCE_DESK_ZITADELOP_BIN or the cached wrapper build.
func ZitadelOPBin() string {
	if p := os.Getenv(EnvZitadelOPBin); p != "" {
		return p
	}
	return filepath.Join(CacheDir(), "zitadelop", "zitadelop")
}

// ProvidersRequired reports whether missing provider binaries must fail the run.
func ProvidersRequired() bool { return os.Getenv(EnvRequireProviders) == "1" }

// filteredEnviron returns os.Environ without the named variables.
func filteredEnviron(drop ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(drop, name) {
			env = append(env, kv)
		}
	}
	return env
}

// SetEnv returns env with each NAME=value of add replacing any earlier NAME.
// env itself is not changed.
func SetEnv(env []string, add ...string) []string {
	for _, kv := range add {
		name, _, _ := strings.Cut(kv, "=")
		out := env[:0:0]
		for _, old := range env {
			if n, _, _ := strings.Cut(old, "="); n != name {
				out = append(out, old)
			}
		}
		env = append(out, kv)
	}
	return env
}

// MinimalEnv is the environment for provider processes and CLI runs that
// must not see the developer's shell: PATH, HOME and TMPDIR only, so nothing
// there can change a provider's config or the CLI's behaviour.
func MinimalEnv() []string {
	var env []string
	for _, k := range []string{"PATH", "HOME", "TMPDIR"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}
