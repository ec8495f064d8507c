package packaging

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tc-hib/winres"
	"github.com/tc-hib/winres/version"
)

// TestWindowsChecksCatchBrokenCopies proves that checkExe and
// checkInstaller fail, naming the fault, on copies of the real artifacts
// broken one way each, and on a build without the .syso.
func TestWindowsChecksCatchBrokenCopies(t *testing.T) {
	_, ver, files := windowsZip(t)
	sizes := sourceIconSizes(t)
	gui, cli := windowsExes[0], windowsExes[1]
	exe := files[gui.name]
	if problems := checkExe(gui, exe, ver, sizes); len(problems) > 0 {
		t.Fatalf("the real %s already fails: %v", gui.name, problems)
	}

	cases := []struct {
		name string
		spec exeSpec
		data func(t *testing.T) []byte
		want string // a problem must contain this
	}{
		{"a build without the .syso", gui, func(t *testing.T) []byte { return plainWindowsBuild(t) }, "no resources"},
		{"console subsystem", gui, func(t *testing.T) []byte { return withSubsystem(t, exe, pe.IMAGE_SUBSYSTEM_WINDOWS_CUI) }, "PE subsystem 3, want 2"},
		{"the window checked as the command", cli, func(*testing.T) []byte { return exe }, "PE subsystem 2, want 3"},
		{"no icon group", gui, func(t *testing.T) []byte {
			return rewrite(t, exe, func(rs *winres.ResourceSet) { deleteAll(rs, winres.RT_GROUP_ICON) })
		}, "no icon group 3"},
		{"an icon group missing sizes", gui, func(t *testing.T) []byte {
			return rewrite(t, exe, func(rs *winres.ResourceSet) {
				edit(rs, winres.RT_GROUP_ICON, func(b []byte) []byte {
					b = bytes.Clone(b)
					binary.LittleEndian.PutUint16(b[4:], 1) // keep the first image only
					return b[:6+14]
				})
			})
		}, "icon sizes"},
		{"no version information", gui, func(t *testing.T) []byte {
			return rewrite(t, exe, func(rs *winres.ResourceSet) { deleteAll(rs, winres.RT_VERSION) })
		}, "no version information"},
		{"another ProductVersion", gui, func(t *testing.T) []byte { return withVersionString(t, exe, version.ProductVersion, "v0.0.0-other") }, "ProductVersion"},
		{"another FileVersion", gui, func(t *testing.T) []byte { return withVersionString(t, exe, version.FileVersion, "v0.0.0-other") }, "FileVersion"},
		{"another ProductName", gui, func(t *testing.T) []byte { return withVersionString(t, exe, version.ProductName, "Something") }, "ProductName"},
		{"another fixed version", gui, func(t *testing.T) []byte {
			return rewrite(t, exe, func(rs *winres.ResourceSet) {
				edit(rs, winres.RT_VERSION, func(b []byte) []byte {
					vi, err := version.FromBytes(b)
					if err != nil {
						t.Fatal(err)
					}
					vi.FileVersion = [4]uint16{9, 9, 9, 9}
					return vi.Bytes()
				})
			})
		}, "fixed FileVersion"},
		{"no manifest", gui, func(t *testing.T) []byte {
			return rewrite(t, exe, func(rs *winres.ResourceSet) { deleteAll(rs, winres.RT_MANIFEST) })
		}, "no application manifest"},
		{"a manifest that is not XML", gui, func(t *testing.T) []byte { return withManifest(t, exe, "</assembly>", "</assemb>") }, "not well-formed"},
		{"no per-monitor v2 DPI awareness", gui, func(t *testing.T) []byte {
			return withManifest(t, exe, "permonitorv2,permonitor", "system")
		}, "dpiAwareness"},
		{"no Common Controls v6", gui, func(t *testing.T) []byte {
			return withManifest(t, exe, `name="Microsoft.Windows.Common-Controls"`, `name="Microsoft.Windows.Other"`)
		}, "Common-Controls"},
		{"no UTF-8 code page", gui, func(t *testing.T) []byte { return withManifest(t, exe, ">UTF-8<", ">Legacy<") }, "activeCodePage"},
		{"a git version as the assembly version", gui, func(t *testing.T) []byte {
			return withManifest(t, exe, `name="dev.pkcedesk.app" version="`, `name="dev.pkcedesk.app" version="4ebb887.`)
		}, "assemblyIdentity version"},
		{"asks for elevation", gui, func(t *testing.T) []byte {
			return withManifest(t, exe, `level="asInvoker"`, `level="requireAdministrator"`)
		}, "requestedExecutionLevel"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			problems := checkExe(c.spec, c.data(t), ver, sizes)
			if !anyContains(problems, c.want) {
				t.Errorf("checkExe found %q, want a problem containing %q", problems, c.want)
			}
		})
	}

	// The installer checks, on the real installer broken and on the exe.
	setupPath := artifact(t, "pkce-desk-*-windows-amd64-setup.exe")
	setup, err := os.ReadFile(setupPath)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(setupPath)
	if problems := checkInstaller(name, setup, ver); len(problems) > 0 {
		t.Fatalf("the real installer already fails: %v", problems)
	}
	for _, c := range []struct {
		name string
		data func() []byte
		want string
	}{
		{"not an installer", func() []byte { return exe }, "no NSIS first header"},
		{"truncated", func() []byte { return setup[:len(setup)-4096] }, "truncated"},
		{"another signature", func() []byte {
			b := bytes.Clone(setup)
			i := bytes.Index(b, nsisSignature)
			copy(b[i+4:], "NullsoftXXXX")
			return b
		}, "no NSIS first header"},
		{"another version", func() []byte { return setup }, "ProductVersion"},
	} {
		t.Run("installer "+c.name, func(t *testing.T) {
			v := ver
			if c.name == "another version" {
				v = ver + "-other"
			}
			problems := checkInstaller(name, c.data(), v)
			if !anyContains(problems, c.want) {
				t.Errorf("checkInstaller found %q, want a problem containing %q", problems, c.want)
			}
		})
	}
}

func anyContains(problems []string, want string) bool {
	for _, p := range problems {
		if strings.Contains(p, want) {
			return true
		}
	}
	return false
}

// plainWindowsBuild is a windows/amd64 GUI program built with no .syso.
func plainWindowsBuild(t *testing.T) []byte {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "plain.exe")
	cmd := exec.Command("go", "build", "-ldflags=-H windowsgui", "-o", out, src)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0", "GO111MODULE=off", "GOFLAGS=")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withSubsystem returns a copy of a PE32+ file with another subsystem.
func withSubsystem(t *testing.T, data []byte, sub uint16) []byte {
	t.Helper()
	b := bytes.Clone(data)
	peOff := int(binary.LittleEndian.Uint32(b[0x3c:]))
	// Signature (4) + file header (20), then the optional header, whose
	// Subsystem is at offset 68 in PE32 and PE32+ alike.
	binary.LittleEndian.PutUint16(b[peOff+4+20+68:], sub)
	return b
}

// rewrite returns a copy of an executable with its resources changed.
func rewrite(t *testing.T, data []byte, change func(*winres.ResourceSet)) []byte {
	t.Helper()
	rs, err := winres.LoadFromEXE(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	change(rs)
	var out bytes.Buffer
	if err := rs.WriteToEXE(&out, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

type resourceKey struct {
	id   winres.Identifier
	lang uint16
}

func keys(rs *winres.ResourceSet, typ winres.Identifier) []resourceKey {
	var ks []resourceKey
	rs.WalkType(typ, func(id winres.Identifier, lang uint16, _ []byte) bool {
		ks = append(ks, resourceKey{id, lang})
		return true
	})
	return ks
}

func deleteAll(rs *winres.ResourceSet, typ winres.Identifier) {
	for _, k := range keys(rs, typ) {
		rs.Set(typ, k.id, k.lang, nil)
	}
}

func edit(rs *winres.ResourceSet, typ winres.Identifier, f func([]byte) []byte) {
	for _, k := range keys(rs, typ) {
		rs.Set(typ, k.id, k.lang, f(rs.Get(typ, k.id, k.lang)))
	}
}

func withVersionString(t *testing.T, data []byte, key, value string) []byte {
	t.Helper()
	return rewrite(t, data, func(rs *winres.ResourceSet) {
		edit(rs, winres.RT_VERSION, func(b []byte) []byte {
			vi, err := version.FromBytes(b)
			if err != nil {
				t.Fatal(err)
			}
			for lang := range vi.Table() {
				if err := vi.Set(lang, key, value); err != nil {
					t.Fatal(err)
				}
			}
			return vi.Bytes()
		})
	})
}

func withManifest(t *testing.T, data []byte, old, new string) []byte {
	t.Helper()
	return rewrite(t, data, func(rs *winres.ResourceSet) {
		edit(rs, winres.RT_MANIFEST, func(b []byte) []byte {
			if !bytes.Contains(b, []byte(old)) {
				t.Fatalf("the manifest has no %q to replace", old)
			}
			return bytes.ReplaceAll(b, []byte(old), []byte(new))
		})
	})
}
