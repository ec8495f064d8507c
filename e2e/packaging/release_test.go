package packaging

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The release workflow cannot run here (it needs GitHub's runners and a
// Mac), so these tests read .github/workflows/release.yml and check what
// the release relies on: it starts only for v* tags, the Linux job passes
// `make test` before it runs `make dist`, the macOS job builds with the
// same Wails as go.mod, the release waits for both and publishes one
// SHA256SUMS, every action is pinned, and secrets reach only the signing
// steps. TestReleaseWorkflowCheckFails proves each check fails on a copy
// broken the way it guards against.

// ghWorkflow is the part of a GitHub Actions workflow these checks read.
// Decoding is strict (KnownFields): a misspelt key fails instead of being
// ignored as GitHub would ignore it.
type ghWorkflow struct {
	Name        string           `yaml:"name"`
	On          yaml.Node        `yaml:"on"`
	Permissions yaml.Node        `yaml:"permissions"`
	Env         map[string]any   `yaml:"env"`
	Concurrency yaml.Node        `yaml:"concurrency"`
	Defaults    yaml.Node        `yaml:"defaults"`
	Jobs        map[string]ghJob `yaml:"jobs"`
}

type ghJob struct {
	Name           string         `yaml:"name"`
	RunsOn         yaml.Node      `yaml:"runs-on"`
	Needs          stringList     `yaml:"needs"`
	If             string         `yaml:"if"`
	Permissions    yaml.Node      `yaml:"permissions"`
	Environment    yaml.Node      `yaml:"environment"`
	Container      yaml.Node      `yaml:"container"`
	Services       yaml.Node      `yaml:"services"`
	Strategy       yaml.Node      `yaml:"strategy"`
	Env            map[string]any `yaml:"env"`
	Defaults       yaml.Node      `yaml:"defaults"`
	Outputs        map[string]any `yaml:"outputs"`
	TimeoutMinutes int            `yaml:"timeout-minutes"`
	Concurrency    yaml.Node      `yaml:"concurrency"`
	Uses           string         `yaml:"uses"` // a reusable workflow
	With           map[string]any `yaml:"with"`
	Secrets        yaml.Node      `yaml:"secrets"`
	Steps          []ghStep       `yaml:"steps"`
}

type ghStep struct {
	ID               string         `yaml:"id"`
	Name             string         `yaml:"name"`
	Uses             string         `yaml:"uses"`
	Run              string         `yaml:"run"`
	If               string         `yaml:"if"`
	Shell            string         `yaml:"shell"`
	WorkingDirectory string         `yaml:"working-directory"`
	With             map[string]any `yaml:"with"`
	Env              map[string]any `yaml:"env"`
	ContinueOnError  yaml.Node      `yaml:"continue-on-error"`
	TimeoutMinutes   int            `yaml:"timeout-minutes"`
}

// title is how a report names the step: its name, else what it uses or runs.
func (s ghStep) title() string {
	switch {
	case s.Name != "":
		return s.Name
	case s.Uses != "":
		return s.Uses
	}
	return strings.SplitN(s.Run, "\n", 2)[0]
}

// stringList is a YAML value that is one string or a list of them (needs:).
type stringList []string

func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = []string{n.Value}
		return nil
	}
	var s []string
	if err := n.Decode(&s); err != nil {
		return err
	}
	*l = s
	return nil
}

const releaseWorkflow = ".github/workflows/release.yml"

func readReleaseWorkflow(t *testing.T) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), filepath.FromSlash(releaseWorkflow)))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// wailsVersionInGoMod is the github.com/wailsapp/wails/v2 version the app's
// go.mod requires: the CLI that builds the macOS app must be the same.
func wailsVersionInGoMod(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*(?:require\s+)?github\.com/wailsapp/wails/v2\s+(v\S+)`).FindSubmatch(data)
	if m == nil {
		t.Fatal("go.mod requires no github.com/wailsapp/wails/v2")
	}
	return string(m[1])
}

var (
	// pinnedUses is an action pinned to a full commit or a version tag
	// (v7, v7.0, v7.0.1), never a branch: owner/repo[/path]@ref.
	pinnedUses = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@([0-9a-f]{40}|v[0-9]+(\.[0-9]+){0,2})$`)
	// secretRef is any use of the secrets context in an expression.
	secretRef = regexp.MustCompile(`\bsecrets\s*(\.|\[)`)
	// signingStep names a step that signs or notarizes: the only steps that
	// may read secrets.
	signingStep = regexp.MustCompile(`(?i)sign|notari`)
	// makeTarget matches `make T` as a whole command (not `make test-dist`).
	makeTarget = func(target string) *regexp.Regexp {
		return regexp.MustCompile(`(^|[\s;&|(])make\s+` + regexp.QuoteMeta(target) + `($|[\s;&|)])`)
	}
)

// checkReleaseWorkflow checks the release workflow text; wailsVersion is
// the Wails version of go.mod. It returns every problem found.
func checkReleaseWorkflow(data []byte, wailsVersion string) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("not YAML: %w", err)
	}
	var wf ghWorkflow
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&wf); err != nil {
		return fmt.Errorf("not a workflow these checks know: %w", err)
	}
	var errs []error
	fail := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }

	// Triggers: only a pushed tag v*. A release needs a tag; a branch push,
	// a pull request or a manual run would build one from no tag at all.
	var on map[string]struct {
		Tags           []string `yaml:"tags"`
		TagsIgnore     []string `yaml:"tags-ignore"`
		Branches       []string `yaml:"branches"`
		BranchesIgnore []string `yaml:"branches-ignore"`
		Paths          []string `yaml:"paths"`
		PathsIgnore    []string `yaml:"paths-ignore"`
	}
	if err := wf.On.Decode(&on); err != nil {
		fail("on: want a mapping with push.tags: %v", err)
	}
	for event := range on {
		if event != "push" {
			fail("on: %s starts a release; only a pushed v* tag may", event)
		}
	}
	push, ok := on["push"]
	switch {
	case !ok:
		fail("on: no push trigger; want push.tags [v*]")
	case !slices.Equal(push.Tags, []string{"v*"}):
		fail("on.push.tags = %q, want [v*]", push.Tags)
	case len(push.Branches)+len(push.BranchesIgnore)+len(push.Paths)+len(push.PathsIgnore)+len(push.TagsIgnore) > 0:
		fail("on.push filters branches or paths too: a branch push must not start a release")
	}

	// The jobs, by their ids.
	for _, id := range []string{"linux", "macos", "release"} {
		if _, ok := wf.Jobs[id]; !ok {
			fail("no job %q (jobs: %v)", id, slicesSortedKeys(wf.Jobs))
		}
	}
	runsOn := func(j ghJob) string { return j.RunsOn.Value }

	// Linux: make test passes before make dist runs, on Go 1.26 and Node 20.
	if j, ok := wf.Jobs["linux"]; ok {
		if !strings.HasPrefix(runsOn(j), "ubuntu-") {
			fail("linux job runs on %q, want an ubuntu runner", runsOn(j))
		}
		testAt, distAt := -1, -1
		for i, s := range j.Steps {
			if testAt < 0 && makeTarget("test").MatchString(s.Run) {
				testAt = i
				if s.If != "" || s.ContinueOnError.Value == "true" {
					fail("linux: the make test step may be skipped or fail (if: %q, continue-on-error: %q)", s.If, s.ContinueOnError.Value)
				}
			}
			if distAt < 0 && makeTarget("dist").MatchString(s.Run) {
				distAt = i
			}
		}
		switch {
		case testAt < 0:
			fail("linux: no step runs make test")
		case distAt < 0:
			fail("linux: no step runs make dist")
		case testAt >= distAt:
			fail("linux: make dist (step %d) runs before make test (step %d)", distAt+1, testAt+1)
		}
		checkToolchain(j, "linux", fail)
		if !uploads(j, "build/dist") {
			fail("linux: build/dist is not uploaded as an artifact")
		}
	}

	// macOS: a universal app from the Wails CLI of go.mod's version, with
	// the version injected.
	if j, ok := wf.Jobs["macos"]; ok {
		if !strings.HasPrefix(runsOn(j), "macos-") {
			fail("macos job runs on %q, want a macos runner", runsOn(j))
		}
		var install, build bool
		for _, s := range j.Steps {
			if strings.Contains(s.Run, "go install github.com/wailsapp/wails/v2/cmd/wails@") {
				install = true
				if !strings.Contains(s.Run, "cmd/wails@"+wailsVersion) {
					fail("macos: the Wails CLI installed is not %s, the version go.mod requires: %q", wailsVersion, s.Run)
				}
			}
			if strings.Contains(s.Run, "wails build") {
				build = true
				if !strings.Contains(s.Run, "-platform darwin/universal") || !strings.Contains(s.Run, "-X main.version=") {
					fail("macos: wails build lacks -platform darwin/universal or -ldflags \"-X main.version=…\": %q", s.Run)
				}
			}
		}
		if !install || !build {
			fail("macos: want a step installing the Wails CLI and one running wails build (install %v, build %v)", install, build)
		}
		checkToolchain(j, "macos", fail)
		if len(j.Steps) > 0 && !strings.HasPrefix(j.Steps[len(j.Steps)-1].Uses, "actions/upload-artifact@") {
			fail("macos: the last step does not upload the app")
		}
	}

	// Release: after both, one SHA256SUMS, uploaded with the artifacts.
	if j, ok := wf.Jobs["release"]; ok {
		for _, need := range []string{"linux", "macos"} {
			if !slices.Contains(j.Needs, need) {
				fail("release: needs %v, want it to wait for %s", j.Needs, need)
			}
		}
		sumsAt, publishAt := -1, -1
		for i, s := range j.Steps {
			if sumsAt < 0 && strings.Contains(s.Run, "sha256sum") && strings.Contains(s.Run, "SHA256SUMS") {
				sumsAt = i
			}
			if strings.Contains(s.Run, "gh release create") {
				publishAt = i
				if !strings.Contains(s.Run[strings.Index(s.Run, "gh release create"):], "SHA256SUMS") {
					fail("release: gh release create does not upload SHA256SUMS")
				}
			}
			if strings.HasPrefix(s.Uses, "softprops/action-gh-release@") {
				publishAt = i
				if !strings.Contains(fmt.Sprint(s.With["files"]), "SHA256SUMS") {
					fail("release: action-gh-release files do not include SHA256SUMS")
				}
			}
		}
		switch {
		case sumsAt < 0:
			fail("release: no step computes SHA256SUMS with sha256sum")
		case publishAt < 0:
			fail("release: no step creates the GitHub release")
		case sumsAt > publishAt:
			fail("release: the release is created before SHA256SUMS is computed")
		}
	}

	// Every action pinned; secrets only in signing steps.
	for _, id := range slicesSortedKeys(wf.Jobs) {
		j := wf.Jobs[id]
		if j.Uses != "" && !strings.HasPrefix(j.Uses, "./") && !pinnedUses.MatchString(j.Uses) {
			fail("job %s: uses %q is not pinned to a version tag or commit", id, j.Uses)
		}
		for _, s := range j.Steps {
			if s.Uses != "" && !strings.HasPrefix(s.Uses, "./") && !pinnedUses.MatchString(s.Uses) {
				fail("job %s: uses %q is not pinned to a version tag or commit", id, s.Uses)
			}
		}
	}
	walkScalars(&doc, nil, func(path []string, value string) {
		if !secretRef.MatchString(value) {
			return
		}
		// jobs.<id>.steps.<n>.…: allowed only inside a signing step.
		if len(path) >= 4 && path[0] == "jobs" && path[2] == "steps" {
			j := wf.Jobs[path[1]]
			var n int
			if _, err := fmt.Sscan(path[3], &n); err == nil && n < len(j.Steps) && signingStep.MatchString(j.Steps[n].Name) {
				return
			}
			if n < len(j.Steps) {
				fail("secrets read in step %q of job %s (%s), which does not sign or notarize", j.Steps[n].title(), path[1], strings.Join(path, "."))
				return
			}
		}
		fail("secrets read at %s, outside any signing step", strings.Join(path, "."))
	})
	return errors.Join(errs...)
}

// checkToolchain reports a job that does not set up Go 1.26 and Node 20.
func checkToolchain(j ghJob, id string, fail func(string, ...any)) {
	var goOK, nodeOK bool
	for _, s := range j.Steps {
		if strings.HasPrefix(s.Uses, "actions/setup-go@") && strings.HasPrefix(fmt.Sprint(s.With["go-version"]), "1.26") {
			goOK = true
		}
		if strings.HasPrefix(s.Uses, "actions/setup-node@") && regexp.MustCompile(`^20(\.|$)`).MatchString(fmt.Sprint(s.With["node-version"])) {
			nodeOK = true
		}
	}
	if !goOK || !nodeOK {
		fail("%s: want actions/setup-go with go-version 1.26 and actions/setup-node with node-version 20 (go %v, node %v)", id, goOK, nodeOK)
	}
}

// uploads reports whether a step of j uploads path as an artifact.
func uploads(j ghJob, path string) bool {
	for _, s := range j.Steps {
		if strings.HasPrefix(s.Uses, "actions/upload-artifact@") && strings.TrimSuffix(fmt.Sprint(s.With["path"]), "/") == path {
			return true
		}
	}
	return false
}

// walkScalars calls f with every scalar of the YAML tree (keys included)
// and the path of mapping keys and sequence indexes that leads to it.
func walkScalars(n *yaml.Node, path []string, f func(path []string, value string)) {
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			walkScalars(c, path, f)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i].Value
			f(slices.Clone(path), key)
			walkScalars(n.Content[i+1], append(slices.Clone(path), key), f)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			walkScalars(c, append(slices.Clone(path), fmt.Sprint(i)), f)
		}
	case yaml.ScalarNode:
		f(path, n.Value)
	case yaml.AliasNode:
		walkScalars(n.Alias, path, f)
	}
}

func slicesSortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func TestReleaseWorkflow(t *testing.T) {
	if err := checkReleaseWorkflow(readReleaseWorkflow(t), wailsVersionInGoMod(t)); err != nil {
		t.Fatalf("%s:\n%v", releaseWorkflow, err)
	}
}

// TestReleaseWorkflowCheckFails breaks a copy of the workflow in each way
// the checks guard against: every copy must fail, each for its own reason.
func TestReleaseWorkflowCheckFails(t *testing.T) {
	good := string(readReleaseWorkflow(t))
	wails := wailsVersionInGoMod(t)
	if err := checkReleaseWorkflow([]byte(good), wails); err != nil {
		t.Fatalf("the check fails the committed workflow: %v", err)
	}
	pinned := regexp.MustCompile(`actions/checkout@[0-9a-f]{40}`)
	cases := []struct {
		name, want string
		edit       func(string) string
	}{
		{"action on a branch", "not pinned", func(s string) string {
			return pinned.ReplaceAllLiteralString(s, "actions/checkout@main")
		}},
		{"action on master, once", "not pinned", func(s string) string {
			return strings.Replace(s, "actions/download-artifact@3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "actions/download-artifact@master", 1)
		}},
		{"branch push trigger", "branches", func(s string) string {
			return strings.Replace(s, "    tags: ['v*']", "    tags: ['v*']\n    branches: [main]", 1)
		}},
		{"pull request trigger", "pull_request", func(s string) string {
			return strings.Replace(s, "on:\n", "on:\n  pull_request:\n", 1)
		}},
		{"other tags", "tags", func(s string) string { return strings.Replace(s, "tags: ['v*']", "tags: ['*']", 1) }},
		{"dist before test", "before make test", func(s string) string {
			s = strings.Replace(s, "run: make test\n", "run: MAKE-TEST\n", 1)
			s = strings.Replace(s, "run: make dist\n", "run: make test\n", 1)
			return strings.Replace(s, "run: MAKE-TEST\n", "run: make dist\n", 1)
		}},
		{"test may fail", "may be skipped or fail", func(s string) string {
			return strings.Replace(s, "run: make test\n", "run: make test\n        continue-on-error: true\n", 1)
		}},
		{"no make test", "no step runs make test", func(s string) string {
			return strings.Replace(s, "run: make test\n", "run: make test-go\n", 1)
		}},
		{"release not after macos", "wait for macos", func(s string) string {
			return strings.Replace(s, "needs: [linux, macos]", "needs: [linux]", 1)
		}},
		{"sums not uploaded", "does not upload SHA256SUMS", func(s string) string {
			return strings.Replace(s, "dist/* SHA256SUMS", "dist/*", 1)
		}},
		{"no sums", "no step computes SHA256SUMS", func(s string) string {
			return strings.ReplaceAll(s, "sha256sum ", "true ")
		}},
		{"secret at job level", "outside any signing step", func(s string) string {
			return strings.Replace(s, "      APP: build/bin/PKCE Desk.app\n", "      APP: build/bin/PKCE Desk.app\n      KEY: ${{ secrets.MACOS_NOTARY_KEY }}\n", 1)
		}},
		{"secret at workflow level", "outside any signing step", func(s string) string {
			return strings.Replace(s, "permissions:\n  contents: read\n", "permissions:\n  contents: read\n\nenv:\n  KEY: ${{ secrets['MACOS_NOTARY_KEY'] }}\n", 1)
		}},
		{"secret in the build", "does not sign or notarize", func(s string) string {
			return strings.Replace(s, "        run: make dist\n", "        run: make dist\n        env:\n          NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n", 1)
		}},
		{"another Wails CLI", "not " + wails, func(s string) string {
			return strings.Replace(s, "cmd/wails@"+wails, "cmd/wails@latest", 1)
		}},
		{"not universal", "darwin/universal", func(s string) string {
			return strings.Replace(s, "run: wails build -platform darwin/universal", "run: wails build -platform darwin/arm64", 1)
		}},
		{"job renamed", `no job "macos"`, func(s string) string { return strings.Replace(s, "\n  macos:\n", "\n  mac:\n", 1) }},
		{"misspelt key", "not a workflow", func(s string) string { return strings.Replace(s, "runs-on: macos-", "run-on: macos-", 1) }},
		{"old Go", "go-version 1.26", func(s string) string { return strings.Replace(s, "go-version: '1.26'", "go-version: '1.25'", 1) }},
	}
	for _, c := range cases {
		text := c.edit(good)
		if text == good {
			t.Errorf("%s: the edit changed nothing; fix the test", c.name)
			continue
		}
		err := checkReleaseWorkflow([]byte(text), wails)
		switch {
		case err == nil:
			t.Errorf("%s: the check passed a broken workflow", c.name)
		case !strings.Contains(err.Error(), c.want):
			t.Errorf("%s: the check failed, but not for the reason (want %q):\n%v", c.name, c.want, err)
		default:
			t.Logf("%s: %v", c.name, err)
		}
	}
}
