package packaging

// The Windows artifacts of `make dist` (scripts/dist-windows.sh), checked
// without Windows: the portable zip's two executables (PE subsystem, icon
// group, version information, manifest) and the NSIS installer (a PE
// carrying NSIS' first header, its own version information, no elevation
// asked at start). Every check returns problems that name the file and
// the property; TestWindowsChecksCatchBrokenCopies proves each one fails
// on a copy broken that way.

import (
	"archive/zip"
	"bytes"
	"debug/pe"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/tc-hib/winres"
)

// exeSpec is what one executable in the zip must be.
type exeSpec struct {
	name      string
	subsystem uint16
	// window: the manifest must carry what a window needs (per-monitor v2
	// DPI awareness, Common Controls v6).
	window bool
}

var windowsExes = []exeSpec{
	{"pkce-desk.exe", pe.IMAGE_SUBSYSTEM_WINDOWS_GUI, true},
	{"pkce-desk.com", pe.IMAGE_SUBSYSTEM_WINDOWS_CUI, false},
}

// iconGroupID is the icon group Wails' window loads (winc.AppIconID).
const iconGroupID = 3

// windowsZip returns the portable zip's path, the VERSION it was built
// with and its files by name.
func windowsZip(t *testing.T) (string, string, map[string][]byte) {
	t.Helper()
	path := artifact(t, "pkce-desk-*-windows-amd64.zip")
	ver := buildVersion(t, path, "-windows-amd64.zip")
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("%s: %s: %v", path, f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %s: %v", path, f.Name, err)
		}
		files[f.Name] = b
	}
	return path, ver, files
}

// buildVersion is the VERSION the stage built with ($PKCE_DESK_VERSION,
// which lib.sh exports), checked against the artifact's name; without the
// variable (a plain go test) it is read from the name.
func buildVersion(t *testing.T, path, suffix string) string {
	t.Helper()
	base := filepath.Base(path)
	named := strings.TrimSuffix(strings.TrimPrefix(base, "pkce-desk-"), suffix)
	ver := os.Getenv("PKCE_DESK_VERSION")
	if ver == "" {
		return named
	}
	if named != ver {
		t.Errorf("%s: named for version %q, but the stage built %q (PKCE_DESK_VERSION)", base, named, ver)
	}
	return ver
}

func TestWindowsZip(t *testing.T) {
	path, ver, files := windowsZip(t)
	var names []string
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{"LICENSE", "README.md", "pkce-desk.com", "pkce-desk.exe"}
	if !slices.Equal(names, want) {
		t.Errorf("%s holds %v, want %v", filepath.Base(path), names, want)
	}
	license, err := os.ReadFile(filepath.Join(repoRoot(t), "LICENSE"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(files["LICENSE"], license) {
		t.Errorf("%s: LICENSE differs from the repository's", filepath.Base(path))
	}
	if !bytes.HasPrefix(files["README.md"], []byte("# ")) {
		t.Errorf("%s: README.md does not start with a Markdown title", filepath.Base(path))
	}
	sizes := sourceIconSizes(t)
	for _, spec := range windowsExes {
		t.Run(spec.name, func(t *testing.T) {
			data, ok := files[spec.name]
			if !ok {
				t.Fatalf("%s has no %s", filepath.Base(path), spec.name)
			}
			for _, p := range checkExe(spec, data, ver, sizes) {
				t.Error(p)
			}
		})
	}
}

func TestWindowsInstaller(t *testing.T) {
	path := artifact(t, "pkce-desk-*-windows-amd64-setup.exe")
	ver := buildVersion(t, path, "-windows-amd64-setup.exe")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range checkInstaller(filepath.Base(path), data, ver) {
		t.Error(p)
	}
}

// checkExe returns what is wrong with one executable of the zip.
func checkExe(spec exeSpec, data []byte, ver string, iconSizes []int) []string {
	var problems []string
	bad := func(format string, args ...any) {
		problems = append(problems, spec.name+": "+fmt.Sprintf(format, args...))
	}

	f, err := pe.NewFile(bytes.NewReader(data))
	if err != nil {
		bad("not a PE file: %v", err)
		return problems
	}
	if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		bad("machine 0x%x, want AMD64 (0x%x)", f.Machine, pe.IMAGE_FILE_MACHINE_AMD64)
	}
	if oh, ok := f.OptionalHeader.(*pe.OptionalHeader64); !ok {
		bad("no PE32+ optional header")
	} else if oh.Subsystem != spec.subsystem {
		bad("PE subsystem %d, want %d (%s)", oh.Subsystem, spec.subsystem, subsystemName(spec.subsystem))
	}
	f.Close()

	rs, err := winres.LoadFromEXE(bytes.NewReader(data))
	if err != nil || rs.Count() == 0 {
		bad("no resources (%v): built without its .syso (go_build_windows makes it)", err)
		return problems
	}

	// Icon.
	if sizes, err := iconGroupSizes(rs); err != nil {
		bad("icon: %v", err)
	} else if !slices.Equal(sizes, iconSizes) {
		bad("icon sizes %v, want %v (build/windows/icon.ico)", sizes, iconSizes)
	}

	// Version information.
	fixed := fixedVersion(ver)
	found := 0
	rs.WalkType(winres.RT_VERSION, func(id winres.Identifier, lang uint16, b []byte) bool {
		found++
		vi, err := parseVersionInfo(b)
		if err != nil {
			bad("version information %v/%04x does not parse: %v", id, lang, err)
			return true
		}
		if vi.fileVersion != fixed || vi.productVersion != fixed {
			bad("fixed FileVersion %v / ProductVersion %v, want %v (derived from %q)", vi.fileVersion, vi.productVersion, fixed, ver)
		}
		if len(vi.tables) == 0 {
			bad("version information has no string table")
		}
		for l, st := range vi.tables {
			want := map[string]string{
				"ProductVersion":   ver,
				"FileVersion":      ver,
				"ProductName":      "PKCE Desk",
				"OriginalFilename": spec.name,
			}
			for k, v := range want {
				if st[k] != v {
					bad("version string %s = %q in table %s, want %q", k, st[k], l, v)
				}
			}
			for _, k := range []string{"FileDescription", "CompanyName", "LegalCopyright"} {
				if strings.TrimSpace(st[k]) == "" {
					bad("version string %s is empty in table %s", k, l)
				}
			}
		}
		return true
	})
	if found == 0 {
		bad("no version information (RT_VERSION)")
	}

	// Manifest.
	var manifest []byte
	rs.WalkType(winres.RT_MANIFEST, func(id winres.Identifier, _ uint16, b []byte) bool {
		if id == winres.ID(1) {
			manifest = b
			return false
		}
		return true
	})
	if manifest == nil {
		bad("no application manifest (RT_MANIFEST 1)")
	} else {
		for _, p := range checkManifest(manifest, fixed, spec.window) {
			bad("manifest: %s", p)
		}
	}
	return problems
}

// manifestXML holds the manifest fields the checks read (local names:
// the asm.v3 and SMI namespaces are matched by element name).
type manifestXML struct {
	XMLName  xml.Name `xml:"assembly"`
	Identity struct {
		Version string `xml:"version,attr"`
	} `xml:"assemblyIdentity"`
	Dependencies []struct {
		Name           string `xml:"name,attr"`
		Version        string `xml:"version,attr"`
		PublicKeyToken string `xml:"publicKeyToken,attr"`
	} `xml:"dependency>dependentAssembly>assemblyIdentity"`
	Level struct {
		Level string `xml:"level,attr"`
	} `xml:"trustInfo>security>requestedPrivileges>requestedExecutionLevel"`
	DPIAware       string `xml:"application>windowsSettings>dpiAware"`
	DPIAwareness   string `xml:"application>windowsSettings>dpiAwareness"`
	ActiveCodePage string `xml:"application>windowsSettings>activeCodePage"`
}

// checkManifest returns what is wrong with an executable's manifest.
func checkManifest(b []byte, fixed [4]uint16, window bool) []string {
	if err := wellFormed(b); err != nil {
		return []string{"not well-formed XML: " + err.Error()}
	}
	var m manifestXML
	if err := xml.Unmarshal(b, &m); err != nil {
		return []string{"does not decode: " + err.Error()}
	}
	var problems []string
	if m.XMLName.Space != "urn:schemas-microsoft-com:asm.v1" {
		problems = append(problems, fmt.Sprintf("root element in namespace %q, want urn:schemas-microsoft-com:asm.v1", m.XMLName.Space))
	}
	if v := m.Identity.Version; v != "" {
		want := fmt.Sprintf("%d.%d.%d.0", fixed[0], fixed[1], fixed[2])
		if v != want {
			problems = append(problems, fmt.Sprintf("assemblyIdentity version %q, want %q (four numbers, or Windows will not start it)", v, want))
		}
	}
	if m.Level.Level != "asInvoker" {
		problems = append(problems, fmt.Sprintf("requestedExecutionLevel %q, want asInvoker", m.Level.Level))
	}
	if m.ActiveCodePage != "UTF-8" {
		problems = append(problems, fmt.Sprintf("activeCodePage %q, want UTF-8", m.ActiveCodePage))
	}
	if !window {
		return problems
	}
	if first, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(m.DPIAwareness)), ","); first != "permonitorv2" {
		problems = append(problems, fmt.Sprintf("dpiAwareness %q, want permonitorv2 first", m.DPIAwareness))
	}
	if strings.ToLower(strings.TrimSpace(m.DPIAware)) != "true/pm" {
		problems = append(problems, fmt.Sprintf("dpiAware %q, want true/pm (the fallback before Windows 10 1607)", m.DPIAware))
	}
	cc := false
	for _, d := range m.Dependencies {
		if strings.EqualFold(d.Name, "Microsoft.Windows.Common-Controls") && strings.HasPrefix(d.Version, "6.") &&
			strings.EqualFold(d.PublicKeyToken, "6595b64144ccf1df") {
			cc = true
		}
	}
	if !cc {
		problems = append(problems, "no dependency on Microsoft.Windows.Common-Controls 6 (publicKeyToken 6595b64144ccf1df)")
	}
	return problems
}

// wellFormed reads every token of an XML document.
func wellFormed(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	root := 0
	for depth := 0; ; {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			if root != 1 {
				return fmt.Errorf("%d root elements", root)
			}
			return nil
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				root++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
}

// iconGroupSizes returns the sorted image sizes of icon group
// iconGroupID, checking that every image it lists is there.
func iconGroupSizes(rs *winres.ResourceSet) ([]int, error) {
	var group []byte
	rs.WalkType(winres.RT_GROUP_ICON, func(id winres.Identifier, _ uint16, b []byte) bool {
		if id == winres.ID(iconGroupID) {
			group = b
			return false
		}
		return true
	})
	if group == nil {
		return nil, fmt.Errorf("no icon group %d (RT_GROUP_ICON), which the window loads", iconGroupID)
	}
	// GRPICONDIR: reserved, type (1 = icon), count; then 14-byte entries
	// ending in the RT_ICON id.
	if len(group) < 6 || binary.LittleEndian.Uint16(group[2:]) != 1 {
		return nil, errors.New("icon group is not an icon directory")
	}
	n := int(binary.LittleEndian.Uint16(group[4:]))
	if n == 0 || len(group) < 6+14*n {
		return nil, fmt.Errorf("icon group lists %d images in %d bytes", n, len(group))
	}
	var sizes []int
	for i := range n {
		e := group[6+14*i:]
		id := binary.LittleEndian.Uint16(e[12:])
		present := false
		rs.WalkType(winres.RT_ICON, func(rid winres.Identifier, _ uint16, b []byte) bool {
			if rid == winres.ID(id) && len(b) > 0 {
				present = true
				return false
			}
			return true
		})
		if !present {
			return nil, fmt.Errorf("icon group lists image %d, which is missing", id)
		}
		sizes = append(sizes, iconDim(e[0]))
	}
	slices.Sort(sizes)
	return sizes, nil
}

func iconDim(b byte) int {
	if b == 0 {
		return 256
	}
	return int(b)
}

// sourceIconSizes are the image sizes of build/windows/icon.ico, which
// both executables must carry (at least 16, 32, 48 and 256 pixels).
func sourceIconSizes(t *testing.T) []int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(t), "build", "windows", "icon.ico"))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 6 {
		t.Fatal("build/windows/icon.ico is not an icon")
	}
	n := int(binary.LittleEndian.Uint16(b[4:]))
	var sizes []int
	for i := range n {
		sizes = append(sizes, iconDim(b[6+16*i]))
	}
	slices.Sort(sizes)
	for _, s := range []int{16, 32, 48, 256} {
		if !slices.Contains(sizes, s) {
			t.Errorf("build/windows/icon.ico has sizes %v: no %dx%d image (Explorer, taskbar and Start need 16, 32, 48 and 256)", sizes, s, s)
		}
	}
	return sizes
}

// semverPrefix: [v]MAJOR.MINOR.PATCH, an optional pre-release or build
// suffix, git describe's -N-gHASH and -dirty (as e2e/tools/winres).
var semverPrefix = regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)(?:[-+.].*?)??(?:-(\d+)-g[0-9a-f]+)?(?:-dirty)?$`)

// fixedVersion is the four-number version the build derives from VERSION:
// v1.2.3-4-gHASH → 1.2.3.4, v1.2.3 → 1.2.3.0, anything without a leading
// MAJOR.MINOR.PATCH → 0.0.0.0.
func fixedVersion(v string) [4]uint16 {
	var out [4]uint16
	m := semverPrefix.FindStringSubmatch(v)
	if m == nil {
		return out
	}
	for i, s := range m[1:] {
		n, _ := strconv.ParseUint(s, 10, 16)
		out[i] = uint16(n)
	}
	return out
}

func subsystemName(s uint16) string {
	switch s {
	case pe.IMAGE_SUBSYSTEM_WINDOWS_GUI:
		return "GUI, -H windowsgui"
	case pe.IMAGE_SUBSYSTEM_WINDOWS_CUI:
		return "console"
	}
	return "?"
}

// nsisSignature is NSIS' first header after its flags word: 0xDEADBEEF
// (little-endian) and "NullsoftInst".
var nsisSignature = append([]byte{0xef, 0xbe, 0xad, 0xde}, "NullsoftInst"...)

// checkInstaller returns what is wrong with an NSIS installer.
func checkInstaller(name string, data []byte, ver string) []string {
	var problems []string
	bad := func(format string, args ...any) {
		problems = append(problems, name+": "+fmt.Sprintf(format, args...))
	}
	f, err := pe.NewFile(bytes.NewReader(data))
	if err != nil {
		bad("not a PE file: %v", err)
		return problems
	}
	if oh, ok := f.OptionalHeader.(*pe.OptionalHeader32); ok {
		if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
			bad("PE subsystem %d, want %d (GUI)", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
		}
	} else if oh, ok := f.OptionalHeader.(*pe.OptionalHeader64); ok && oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		bad("PE subsystem %d, want %d (GUI)", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	}
	f.Close()

	// NSIS writes its first header (flags, signature, header size, data
	// size) at a 512-byte boundary after the stub; the data size counts
	// from there to the end of the file (CRC included).
	off := -1
	for o := 0; o+28 <= len(data); o += 512 {
		if bytes.Equal(data[o+4:o+20], nsisSignature) {
			off = o
			break
		}
	}
	if off < 0 {
		bad("no NSIS first header (0xDEADBEEF \"NullsoftInst\" at a 512-byte boundary): not an NSIS installer")
	} else {
		length := int(binary.LittleEndian.Uint32(data[off+24:]))
		if off+length != len(data) {
			bad("NSIS header at %d says %d bytes of data, the file has %d after it: truncated or altered", off, length, len(data)-off)
		}
	}

	rs, err := winres.LoadFromEXE(bytes.NewReader(data))
	if err != nil {
		bad("resources do not load: %v", err)
		return problems
	}
	gotVersion := ""
	rs.WalkType(winres.RT_VERSION, func(_ winres.Identifier, _ uint16, b []byte) bool {
		if vi, err := parseVersionInfo(b); err == nil {
			for _, st := range vi.tables {
				if st["ProductVersion"] != "" {
					gotVersion = st["ProductVersion"]
				}
			}
		}
		return gotVersion == ""
	})
	if gotVersion != ver {
		bad("version string ProductVersion = %q, want %q", gotVersion, ver)
	}
	// RequestExecutionLevel user: the installer starts with no UAC prompt
	// (a per-machine install relaunches itself elevated).
	level := ""
	rs.WalkType(winres.RT_MANIFEST, func(_ winres.Identifier, _ uint16, b []byte) bool {
		var m manifestXML
		if xml.Unmarshal(b, &m) == nil {
			level = m.Level.Level
		}
		return false
	})
	if level != "asInvoker" {
		bad("manifest requestedExecutionLevel %q, want asInvoker (a per-user install must not ask for administrator rights)", level)
	}
	return problems
}

// versionInfo is what the checks read from a VS_VERSIONINFO resource.
type versionInfo struct {
	fileVersion, productVersion [4]uint16
	tables                      map[string]map[string]string // "040904b0" → key → value
}

// viNode is one node of a VS_VERSIONINFO tree: wLength, wValueLength,
// wType (1 = text), a NUL-terminated UTF-16 key, then the value and the
// children, each on a 4-byte boundary.
type viNode struct {
	key      string
	value    []byte
	text     bool
	children []viNode
}

func align4(n int) int { return (n + 3) &^ 3 }

func parseVINode(b []byte) (viNode, int, error) {
	var n viNode
	if len(b) < 6 {
		return n, 0, errors.New("truncated node")
	}
	length := int(binary.LittleEndian.Uint16(b))
	valueLen := int(binary.LittleEndian.Uint16(b[2:]))
	n.text = binary.LittleEndian.Uint16(b[4:]) == 1
	if length < 6 || length > len(b) {
		return n, 0, fmt.Errorf("node length %d, %d bytes left", length, len(b))
	}
	b = b[:length]
	i := 6
	var key []uint16
	for ; i+1 < length; i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		key = append(key, c)
	}
	n.key = string(utf16.Decode(key))
	i = align4(i + 2)
	if n.text {
		valueLen *= 2
	}
	end := min(i+valueLen, length)
	if i < end {
		n.value = b[i:end]
	}
	for i = align4(end); i < length; {
		c, used, err := parseVINode(b[i:])
		if err != nil {
			return n, 0, fmt.Errorf("%s: %w", n.key, err)
		}
		n.children = append(n.children, c)
		i = align4(i + used)
	}
	return n, length, nil
}

// parseVersionInfo reads a VS_VERSIONINFO resource written by any tool (not
// only winres, which reads Unicode string tables alone: NSIS tags its
// table with the ANSI code page).
func parseVersionInfo(b []byte) (versionInfo, error) {
	var vi versionInfo
	root, _, err := parseVINode(b)
	if err != nil {
		return vi, err
	}
	if root.key != "VS_VERSION_INFO" {
		return vi, fmt.Errorf("root key %q, want VS_VERSION_INFO", root.key)
	}
	if len(root.value) < 24 || binary.LittleEndian.Uint32(root.value) != 0xFEEF04BD {
		return vi, errors.New("no VS_FIXEDFILEINFO")
	}
	four := func(ms, ls uint32) [4]uint16 {
		return [4]uint16{uint16(ms >> 16), uint16(ms), uint16(ls >> 16), uint16(ls)}
	}
	v := root.value
	vi.fileVersion = four(binary.LittleEndian.Uint32(v[8:]), binary.LittleEndian.Uint32(v[12:]))
	vi.productVersion = four(binary.LittleEndian.Uint32(v[16:]), binary.LittleEndian.Uint32(v[20:]))
	vi.tables = map[string]map[string]string{}
	for _, c := range root.children {
		if c.key != "StringFileInfo" {
			continue
		}
		for _, table := range c.children {
			st := map[string]string{}
			for _, s := range table.children {
				u := make([]uint16, len(s.value)/2)
				for j := range u {
					u[j] = binary.LittleEndian.Uint16(s.value[2*j:])
				}
				st[s.key] = strings.TrimRight(string(utf16.Decode(u)), "\x00")
			}
			vi.tables[table.key] = st
		}
	}
	return vi, nil
}
