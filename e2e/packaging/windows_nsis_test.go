package packaging

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// The installer script, compiled here with stand-in payloads and with
// compression off (-DNO_COMPRESS), so its compiled strings can be read:
// what the release installer writes to the registry, where it looks for
// WebView2 and which switches it reads. dist-windows.sh compiles the real
// one (makensis -WX), and TestWindowsInstaller checks that.

const nsiPath = "build/windows/installer/pkce-desk.nsi"

// installerStrings must be in the compiled installer (UTF-16LE), each for
// the reason given.
var installerStrings = []struct{ s, why string }{
	{`Software\Microsoft\Windows\CurrentVersion\Uninstall\PKCEDesk`, "the Add/Remove Programs key"},
	{"DisplayName", "Add/Remove Programs"},
	{"DisplayVersion", "Add/Remove Programs"},
	{"Publisher", "Add/Remove Programs"},
	{"DisplayIcon", "Add/Remove Programs"},
	{"InstallLocation", "Add/Remove Programs, and how the uninstaller finds its scope"},
	{"UninstallString", "Add/Remove Programs"},
	{"QuietUninstallString", "Add/Remove Programs (silent uninstall)"},
	{`\uninstall.exe" /S`, "the quiet uninstall command"},
	{"EstimatedSize", "Add/Remove Programs"},
	{"NoModify", "Add/Remove Programs"},
	{"NoRepair", "Add/Remove Programs"},
	{`\PKCE Desk.lnk`, "the Start-menu shortcut"},
	{`\Programs\PKCE Desk`, "the per-user folder (%LOCALAPPDATA%\\Programs\\PKCE Desk)"},
	{"Environment", "the user's PATH (HKCU\\Environment) and the WM_SETTINGCHANGE broadcast"},
	{`SYSTEM\CurrentControlSet\Control\Session Manager\Environment`, "the system PATH of a per-machine install"},
	{`SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}`, "the per-machine WebView2 Runtime key Wails checks"},
	{`Software\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}`, "the per-user WebView2 Runtime key Wails checks"},
	{"https://go.microsoft.com/fwlink/p/?LinkId=2124703", "the WebView2 download link"},
	{"/ALLUSERS", "the per-machine switch"},
	{"/CURRENTUSER", "the per-user switch"},
	{"/NOPATH", "the switch that leaves PATH alone"},
	{"runas", "the elevated relaunch for a per-machine install"},
}

// bootstrapperRun is how the installer runs the embedded bootstrapper.
const bootstrapperRun = `\MicrosoftEdgeWebview2Setup.exe" /silent /install`

type nsisBuild struct {
	script       string // the .nsi to compile
	bootstrapper bool
}

// compileInstaller compiles the script with stand-in payloads and returns
// the installer, the makensis output and the VERSION it was given.
func compileInstaller(t *testing.T, b nsisBuild) ([]byte, string, error) {
	t.Helper()
	makensis, err := exec.LookPath("makensis")
	if err != nil {
		if requireArtifacts() {
			t.Fatal("makensis is not installed (Debian package nsis, in APT_DIST)")
		}
		t.Skip("makensis is not installed (apt-get install nsis)")
	}
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	const ver = "v1.2.3-4-gabcdef0"
	f := fixedVersion(ver)
	root := repoRoot(t)
	args := []string{"-INPUTCHARSET", "UTF8", "-WX", "-V2", "-DNO_COMPRESS",
		"-DVERSION=" + ver,
		fmt.Sprintf("-DVERSION4=%d.%d.%d.%d", f[0], f[1], f[2], f[3]),
		"-DEXE=" + write("pkce-desk.exe", "stand-in window"),
		"-DCOM=" + write("pkce-desk.com", "stand-in command"),
		"-DLICENSE=" + filepath.Join(root, "LICENSE"),
		"-DICON=" + filepath.Join(root, "build", "windows", "icon.ico"),
		"-DCOMPANY=PKCE Desk", "-DCOPYRIGHT=Copyright © PKCE Desk contributors",
		"-DOUTFILE=" + filepath.Join(dir, "pkce-desk-setup-test.exe"),
	}
	if b.bootstrapper {
		args = append(args, "-DWEBVIEW2_BOOTSTRAPPER="+write("MicrosoftEdgeWebview2Setup.exe", "MZ stand-in bootstrapper"))
	}
	out, err := exec.Command(makensis, append(args, b.script)...).CombinedOutput()
	if err != nil {
		return nil, string(out), fmt.Errorf("makensis: %v\n%s", err, out)
	}
	setup, err := os.ReadFile(filepath.Join(dir, "pkce-desk-setup-test.exe"))
	return setup, ver, err
}

// checkInstallerStrings returns the installer strings missing from data.
func checkInstallerStrings(data []byte, bootstrapper bool) []string {
	var problems []string
	has := func(s string) bool { return bytes.Contains(data, utf16le(s)) }
	for _, w := range installerStrings {
		if !has(w.s) {
			problems = append(problems, fmt.Sprintf("compiled installer lacks %q (%s)", w.s, w.why))
		}
	}
	switch {
	case bootstrapper && !has(bootstrapperRun):
		problems = append(problems, fmt.Sprintf("with WEBVIEW2_BOOTSTRAPPER the installer does not run %q", bootstrapperRun))
	case !bootstrapper && has(bootstrapperRun):
		problems = append(problems, "without WEBVIEW2_BOOTSTRAPPER the installer still runs the bootstrapper")
	}
	return problems
}

func utf16le(s string) []byte {
	u := utf16.Encode([]rune(s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		b[2*i], b[2*i+1] = byte(c), byte(c>>8)
	}
	return b
}

func TestInstallerScriptCompiles(t *testing.T) {
	script := filepath.Join(repoRoot(t), nsiPath)
	for _, bs := range []bool{true, false} {
		t.Run(fmt.Sprintf("bootstrapper=%v", bs), func(t *testing.T) {
			t.Parallel()
			setup, ver, err := compileInstaller(t, nsisBuild{script: script, bootstrapper: bs})
			if err != nil {
				t.Fatalf("%s does not compile with -WX: %v", nsiPath, err)
			}
			for _, p := range checkInstaller("compiled "+nsiPath, setup, ver) {
				t.Error(p)
			}
			for _, p := range checkInstallerStrings(setup, bs) {
				t.Error(p)
			}
			for _, payload := range []string{"stand-in window", "stand-in command"} {
				if !bytes.Contains(setup, []byte(payload)) {
					t.Errorf("compiled installer does not carry the file %q", payload)
				}
			}
		})
	}
}

// TestInstallerChecksCatchBrokenScripts compiles copies of the script with
// one line taken out each and proves the checks above notice.
func TestInstallerChecksCatchBrokenScripts(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join(repoRoot(t), nsiPath))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, drop, want string
	}{
		{"no NoRepair", `"NoRepair" 1`, "NoRepair"},
		{"no quiet uninstall", `"QuietUninstallString"`, "QuietUninstallString"},
		{"no per-user WebView2 key", `ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate`, "per-user WebView2 Runtime key"},
		{"no bootstrapper run", `ExecWait '"$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe"`, "does not run"},
		{"elevated at start", "RequestExecutionLevel user", "requestedExecutionLevel"},
		{"a warning", "", "does not compile"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			var broken string
			if c.drop == "" {
				// An unused variable is a warning, and -WX makes it an error.
				broken = string(orig) + "\nVar Unused\n"
			} else {
				broken = dropLines(t, string(orig), c.drop)
			}
			script := filepath.Join(t.TempDir(), "broken.nsi")
			if err := os.WriteFile(script, []byte(broken), 0o644); err != nil {
				t.Fatal(err)
			}
			setup, ver, err := compileInstaller(t, nsisBuild{script: script, bootstrapper: true})
			var problems []string
			if err != nil {
				problems = []string{"does not compile with -WX: " + err.Error()}
			} else {
				problems = append(checkInstaller("broken", setup, ver), checkInstallerStrings(setup, true)...)
			}
			if !anyContains(problems, c.want) {
				t.Errorf("found %q, want a problem containing %q", problems, c.want)
			}
		})
	}
}

// dropLines removes the lines containing s (there must be one).
func dropLines(t *testing.T, text, s string) string {
	t.Helper()
	var kept []string
	n := 0
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, s) && !strings.HasPrefix(strings.TrimSpace(line), ";") {
			n++
			continue
		}
		kept = append(kept, line)
	}
	if n == 0 {
		t.Fatalf("%s has no line with %q", nsiPath, s)
	}
	return strings.Join(kept, "\n")
}
