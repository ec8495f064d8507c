// Command winres writes the Windows resources of one PKCE Desk executable
// (icon, version information, application manifest) as a COFF object, a
// .syso file that `go build` links into the package it lies in.
//
// scripts/lib.sh (go_build_windows) runs it before every Windows build, for
// the window (the root package, pkce-desk.exe) and for the command
// (cmd/pkce-desk, pkce-desk.com), with the build's VERSION, and removes the
// .syso files after the build: they are never committed (.gitignore), so a
// stale one cannot ship.
//
// The inputs are the Wails-style templates in build/windows (info.json and
// a manifest, with {{.Info.…}} fields filled from wails.json as `wails
// build` fills them), so the Wails CLI and this tool read the same files.
// The resources are made with github.com/tc-hib/winres, the library Wails
// itself uses; unlike Wails, the manifest is embedded as written (Wails
// re-renders it through winres.AppManifest, which keeps neither
// activeCodePage nor the exact dpiAwareness list).
//
// Versions: the version-information strings ProductVersion and FileVersion
// are VERSION exactly (e.g. v1.2.3-4-gabcdef0-dirty). The fixed part and the
// manifest's assemblyIdentity need four numbers: they are derived from a
// leading [v]MAJOR.MINOR.PATCH, with the commits since that tag (git
// describe's -N-gHASH) as the fourth, else 0.0.0.0 (see fixedVersion).
package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"text/template"

	"github.com/tc-hib/winres"
	"github.com/tc-hib/winres/version"
)

// IconGroupID is the resource ID of the icon group. Wails' Windows window
// loads its icon from group 3 (winc.AppIconID in wails/v2's
// internal/frontend/desktop/windows/winc), and Explorer shows the first
// group, which is the only one.
const IconGroupID = 3

type options struct {
	wailsJSON, infoJSON, manifest, icon string
	version, description, filename      string
	arch, out                           string
	print                               bool
}

func main() {
	var o options
	flag.StringVar(&o.wailsJSON, "wails", "wails.json", "wails.json with the info block (company, product, copyright, comments)")
	flag.StringVar(&o.infoJSON, "info", "build/windows/info.json", "version-information template (Wails' info.json format)")
	flag.StringVar(&o.manifest, "manifest", "", "application manifest template (XML)")
	flag.StringVar(&o.icon, "icon", "build/windows/icon.ico", "icon (.ico)")
	flag.StringVar(&o.version, "version", "", "the build's VERSION (required)")
	flag.StringVar(&o.description, "description", "", "FileDescription (default: the template's)")
	flag.StringVar(&o.filename, "filename", "", "OriginalFilename and InternalName, e.g. pkce-desk.exe (required)")
	flag.StringVar(&o.arch, "arch", "amd64", "target architecture: amd64, arm64 or 386")
	flag.StringVar(&o.out, "o", "", "output .syso (required)")
	flag.BoolVar(&o.print, "print", false, "print fixed=, product=, company= and copyright= lines for -version and -wails (for the NSIS installer's defines) and exit")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "winres:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.print {
		return printFacts(o)
	}
	if o.version == "" || o.filename == "" || o.out == "" || o.manifest == "" {
		return errors.New("-version, -filename, -manifest and -o are required")
	}
	fixed, err := fixedVersion(o.version)
	if err != nil {
		return err
	}
	info, err := readWailsInfo(o.wailsJSON)
	if err != nil {
		return err
	}

	rs := &winres.ResourceSet{}

	// Icon.
	f, err := os.Open(o.icon)
	if err != nil {
		return err
	}
	ico, err := winres.LoadICO(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", o.icon, err)
	}
	if err := rs.SetIcon(winres.ID(IconGroupID), ico); err != nil {
		return fmt.Errorf("%s: %w", o.icon, err)
	}

	// Version information: the template rendered with ProductVersion =
	// VERSION, then the fields this tool owns set over it.
	info.ProductVersion = o.version
	rendered, err := render(o.infoJSON, info)
	if err != nil {
		return err
	}
	var vi version.Info
	if err := vi.UnmarshalJSON(rendered); err != nil {
		return fmt.Errorf("%s (rendered): %w", o.infoJSON, err)
	}
	langs := vi.Table()
	if len(langs) == 0 {
		return fmt.Errorf("%s has no string table under \"info\"", o.infoJSON)
	}
	for lang := range langs {
		set := map[string]string{
			version.ProductVersion:   o.version,
			version.FileVersion:      o.version,
			version.OriginalFilename: o.filename,
			version.InternalName:     o.filename,
		}
		if o.description != "" {
			set[version.FileDescription] = o.description
		}
		for k, v := range set {
			if err := vi.Set(lang, k, v); err != nil {
				return err
			}
		}
	}
	vi.FileVersion = fixed
	vi.ProductVersion = fixed
	vi.Flags.Prerelease = !releaseVersion.MatchString(o.version)
	for _, key := range []string{version.ProductName, version.CompanyName, version.FileDescription, version.LegalCopyright} {
		for lang, st := range vi.Table() {
			if st == nil || (*st)[key] == "" {
				return fmt.Errorf("%s: %s is empty in string table %04x (is it in wails.json's info?)", o.infoJSON, key, lang)
			}
		}
	}
	rs.SetVersionInfo(vi)

	// Manifest, embedded as rendered: {{.Info.ProductVersion}} is the
	// numeric MAJOR.MINOR.PATCH here, so the Wails-style
	// version="{{.Info.ProductVersion}}.0" gives the four numbers Windows
	// requires (any other assemblyIdentity version and the loader refuses
	// to start the program: a side-by-side configuration error).
	info.ProductVersion = fmt.Sprintf("%d.%d.%d", fixed[0], fixed[1], fixed[2])
	manifest, err := render(o.manifest, info)
	if err != nil {
		return err
	}
	if err := checkManifest(manifest); err != nil {
		return fmt.Errorf("%s (rendered): %w", o.manifest, err)
	}
	if err := rs.Set(winres.RT_MANIFEST, winres.ID(1), winres.LCIDDefault, manifest); err != nil {
		return err
	}

	// Write next to the target, then rename: a concurrent reader never
	// sees half a file.
	var buf bytes.Buffer
	if err := rs.WriteObject(&buf, winres.Arch(o.arch)); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(o.out), ".winres-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(buf.Bytes()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), o.out)
}

// printFacts prints what scripts/dist-windows.sh hands makensis, so the
// installer's fixed version is derived exactly as the executables' is.
func printFacts(o options) error {
	if o.version == "" {
		return errors.New("-print needs -version")
	}
	fixed, err := fixedVersion(o.version)
	if err != nil {
		return err
	}
	info, err := readWailsInfo(o.wailsJSON)
	if err != nil {
		return err
	}
	fmt.Printf("fixed=%d.%d.%d.%d\n", fixed[0], fixed[1], fixed[2], fixed[3])
	fmt.Printf("product=%s\ncompany=%s\ncopyright=%s\n", info.ProductName, info.CompanyName, info.Copyright)
	return nil
}

// wailsInfo is the template data, shaped like the Wails CLI's project data
// ({{.Name}}, {{.Info.ProductVersion}}, …).
type wailsInfo struct {
	Name string
	Info *infoFields
}

type infoFields struct {
	CompanyName    string `json:"companyName"`
	ProductName    string `json:"productName"`
	ProductVersion string `json:"productVersion"`
	Copyright      string `json:"copyright"`
	Comments       string `json:"comments"`
}

func readWailsInfo(path string) (*infoFields, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var w struct {
		Info infoFields `json:"info"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &w.Info, nil
}

func render(path string, info *infoFields) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := template.New(filepath.Base(path)).Option("missingkey=error").Parse(string(b))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := t.Execute(&out, wailsInfo{Name: info.ProductName, Info: info}); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// checkManifest fails unless the manifest is well-formed XML whose
// assemblyIdentity (when present) has a four-number version.
func checkManifest(b []byte) error {
	var m struct {
		XMLName  xml.Name `xml:"assembly"`
		Identity struct {
			Version string `xml:"version,attr"`
		} `xml:"assemblyIdentity"`
	}
	if err := xml.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("not well-formed XML: %w", err)
	}
	if v := m.Identity.Version; v != "" && !fourNumbers.MatchString(v) {
		return fmt.Errorf("assemblyIdentity version %q is not four numbers: Windows would refuse to start the program", v)
	}
	return nil
}

var (
	fourNumbers    = regexp.MustCompile(`^\d+\.\d+\.\d+\.\d+$`)
	releaseVersion = regexp.MustCompile(`^v?\d+\.\d+\.\d+$`)
	// [v]MAJOR.MINOR.PATCH, then optionally a pre-release or build suffix
	// and git describe's -N-gHASH (N commits after the tag) and -dirty.
	semverPrefix = regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)(?:[-+.].*?)??(?:-(\d+)-g[0-9a-f]+)?(?:-dirty)?$`)
)

// fixedVersion derives the four numbers of the fixed version from VERSION:
// v1.2.3 → 1.2.3.0, v1.2.3-4-gabcdef0[-dirty] → 1.2.3.4, 0.1.0-dev →
// 0.1.0.0, and a version with no leading MAJOR.MINOR.PATCH (a bare commit
// such as 4ebb887-dirty) → 0.0.0.0. A number over 65535 is an error.
func fixedVersion(v string) ([4]uint16, error) {
	var out [4]uint16
	m := semverPrefix.FindStringSubmatch(v)
	if m == nil {
		return out, nil
	}
	for i, s := range m[1:] {
		if s == "" {
			continue
		}
		n, err := strconv.ParseUint(s, 10, 16)
		if err != nil {
			return out, fmt.Errorf("version %q: part %q does not fit a 16-bit version number", v, s)
		}
		out[i] = uint16(n)
	}
	return out, nil
}
