package packaging

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	_ "image/png" // build/appicon.png
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"text/template"
)

// The macOS bundle on paper: there is no Mac here, so these tests read
// build/darwin the way `wails build` (Wails v2.16) does and check what the
// bundle will say, without building it.

// bundleID is PKCE Desk's bundle identifier on macOS, the same string as the
// Linux AppStream id. It is written literally in the plists (not derived
// from wails.json, which has no field for it).
const bundleID = "io.github.pkcedesk.PKCEDesk"

// plistValue is one value of a property list: Kind is the element name
// (string, true, false, integer, real, date, data, dict, array); Text is
// a scalar's character data; Dict and Array hold a container's items.
type plistValue struct {
	Kind  string
	Text  string
	Dict  map[string]plistValue
	Array []plistValue
}

// parsePlist parses an XML property list whose top value is a dict, with
// encoding/xml: a <plist version="1.0"> root holding exactly one <dict>;
// in every dict each <key> is followed by one value and no key repeats.
func parsePlist(data []byte) (map[string]plistValue, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	root, err := nextElement(dec)
	if err != nil {
		return nil, fmt.Errorf("no root element: %w", err)
	}
	if root.Name.Local != "plist" {
		return nil, fmt.Errorf("root element is <%s>, want <plist>", root.Name.Local)
	}
	if v := attr(root, "version"); v != "1.0" {
		return nil, fmt.Errorf(`<plist version=%q>, want "1.0"`, v)
	}
	top, err := nextElement(dec)
	if err != nil {
		return nil, fmt.Errorf("<plist> holds no value: %w", err)
	}
	v, err := parseValue(dec, top)
	if err != nil {
		return nil, err
	}
	if v.Kind != "dict" {
		return nil, fmt.Errorf("<plist> holds a <%s>, want a <dict>", v.Kind)
	}
	if extra, err := nextElement(dec); err == nil {
		return nil, fmt.Errorf("<plist> holds a second value <%s>", extra.Name.Local)
	} else if !errors.Is(err, errEndElement) {
		return nil, err
	}
	for {
		if _, err := dec.Token(); err == io.EOF {
			return v.Dict, nil
		} else if err != nil {
			return nil, err
		}
	}
}

// errEndElement is what nextElement returns when the enclosing element
// ends before another element starts.
var errEndElement = errors.New("end of element")

// nextElement returns the next start element, skipping character data,
// comments and processing instructions; errEndElement when an end element
// comes first.
func nextElement(dec *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := dec.Token()
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.EndElement:
			return xml.StartElement{}, errEndElement
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return xml.StartElement{}, fmt.Errorf("stray text %q", bytes.TrimSpace(t))
			}
		}
	}
}

func attr(el xml.StartElement, name string) string {
	for _, a := range el.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// parseValue reads the value that starts with el, through its end element.
func parseValue(dec *xml.Decoder, el xml.StartElement) (plistValue, error) {
	kind := el.Name.Local
	switch kind {
	case "true", "false":
		if _, err := nextElement(dec); !errors.Is(err, errEndElement) {
			return plistValue{}, fmt.Errorf("<%s/> must be empty", kind)
		}
		return plistValue{Kind: kind}, nil
	case "string", "integer", "real", "date", "data", "key":
		var text string
		if err := dec.DecodeElement(&text, &el); err != nil {
			return plistValue{}, fmt.Errorf("<%s>: %w", kind, err)
		}
		return plistValue{Kind: kind, Text: text}, nil
	case "array":
		v := plistValue{Kind: kind}
		for {
			item, err := nextElement(dec)
			if errors.Is(err, errEndElement) {
				return v, nil
			} else if err != nil {
				return plistValue{}, err
			}
			iv, err := parseValue(dec, item)
			if err != nil {
				return plistValue{}, err
			}
			v.Array = append(v.Array, iv)
		}
	case "dict":
		v := plistValue{Kind: kind, Dict: map[string]plistValue{}}
		for {
			keyEl, err := nextElement(dec)
			if errors.Is(err, errEndElement) {
				return v, nil
			} else if err != nil {
				return plistValue{}, err
			}
			if keyEl.Name.Local != "key" {
				return plistValue{}, fmt.Errorf("<dict> holds <%s> where a <key> belongs", keyEl.Name.Local)
			}
			var key string
			if err := dec.DecodeElement(&key, &keyEl); err != nil {
				return plistValue{}, err
			}
			valEl, err := nextElement(dec)
			if err != nil {
				return plistValue{}, fmt.Errorf("key %s has no value", key)
			}
			if valEl.Name.Local == "key" {
				return plistValue{}, fmt.Errorf("key %s has no value (another <key> follows it)", key)
			}
			val, err := parseValue(dec, valEl)
			if err != nil {
				return plistValue{}, fmt.Errorf("%s: %w", key, err)
			}
			if _, dup := v.Dict[key]; dup {
				return plistValue{}, fmt.Errorf("key %s appears twice", key)
			}
			v.Dict[key] = val
		}
	default:
		return plistValue{}, fmt.Errorf("<%s> is no property-list value", kind)
	}
}

// wailsProject is the part of wails.json that Wails v2.16 hands its
// templates (internal/project.Project: Name, OutputFilename, Info).
type wailsProject struct {
	Name           string    `json:"name"`
	OutputFilename string    `json:"outputfilename"`
	Info           wailsInfo `json:"info"`
}

// wailsInfo mirrors Wails v2.16's project.Info, field for field as far as
// the plist templates reach (Copyright and Comments are pointers there too,
// so a template sees the same types).
type wailsInfo struct {
	CompanyName    string  `json:"companyName"`
	ProductName    string  `json:"productName"`
	ProductVersion string  `json:"productVersion"`
	Copyright      *string `json:"copyright"`
	Comments       *string `json:"comments"`
}

// wailsAssetData is what Wails v2.16's buildassets.resolveProjectData
// executes a build-asset template with.
type wailsAssetData struct {
	Name           string
	Info           wailsInfo
	OutputFilename string
}

func readWailsJSON(t *testing.T) wailsProject {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "wails.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p wailsProject
	if err := json.Unmarshal(data, &p); err != nil {
		t.Fatalf("wails.json: %v", err)
	}
	return p
}

// renderLikeWails executes a build/darwin template as `wails build` does
// (Wails v2.16 pkg/buildassets: text/template with the functions xml and
// safeBundleID, data Name/Info/OutputFilename).
func renderLikeWails(tmpl []byte, p wailsProject) ([]byte, error) {
	var nonAlphaNum = regexp.MustCompile(`[^A-Za-z0-9]+`)
	funcs := template.FuncMap{
		"xml": func(s string) string {
			var b bytes.Buffer
			template.HTMLEscape(&b, []byte(s))
			return b.String()
		},
		"safeBundleID": func(s string) string {
			return strings.Trim(strings.ToLower(nonAlphaNum.ReplaceAllString(s, "-")), "-")
		},
	}
	tp, err := template.New("").Funcs(funcs).Option("missingkey=error").Parse(string(tmpl))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	err = tp.Execute(&out, wailsAssetData{Name: p.Name, Info: p.Info, OutputFilename: p.OutputFilename})
	return out.Bytes(), err
}

func readDarwin(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot(t), "build", "darwin", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkInfoPlistTemplate checks the unrendered Info.plist: well-formed,
// the literal bundle id, and the keys Wails fills from wails.json bound to
// the template variables that fill them.
func checkInfoPlistTemplate(raw []byte) error {
	d, err := parsePlist(raw)
	if err != nil {
		return err
	}
	want := map[string]string{
		"CFBundleIdentifier":         bundleID,
		"CFBundleExecutable":         "{{.OutputFilename}}",
		"CFBundleVersion":            "{{.Info.ProductVersion}}",
		"CFBundleShortVersionString": "{{.Info.ProductVersion}}",
		"CFBundlePackageType":        "APPL",
		"CFBundleIconFile":           "iconfile", // Wails writes Contents/Resources/iconfile.icns
		"LSMinimumSystemVersion":     "12.0",     // Go 1.26's oldest macOS (cmd/link: LC_BUILD_VERSION 12.0.0)
	}
	var errs []error
	for _, key := range slices.Sorted(maps.Keys(want)) {
		v, ok := d[key]
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%s is missing", key))
		case v.Kind != "string" || v.Text != want[key]:
			errs = append(errs, fmt.Errorf("%s is <%s>%s, want <string>%s", key, v.Kind, v.Text, want[key]))
		}
	}
	if v := d["NSHighResolutionCapable"]; v.Kind != "true" {
		errs = append(errs, fmt.Errorf("NSHighResolutionCapable is <%s>%s, want <true/>", v.Kind, v.Text))
	}
	for _, key := range []string{"CFBundleName", "NSHumanReadableCopyright"} {
		if v, ok := d[key]; !ok || !strings.Contains(v.Text, "{{") {
			errs = append(errs, fmt.Errorf("%s is %q, want a template variable filled from wails.json info", key, v.Text))
		}
	}
	return errors.Join(errs...)
}

func TestInfoPlistTemplate(t *testing.T) {
	if err := checkInfoPlistTemplate(readDarwin(t, "Info.plist")); err != nil {
		t.Fatalf("build/darwin/Info.plist:\n%v", err)
	}
}

// TestInfoPlistTemplateCheckFails feeds the check broken copies of
// Info.plist: each must fail, or the check proves nothing.
func TestInfoPlistTemplateCheckFails(t *testing.T) {
	good := string(readDarwin(t, "Info.plist"))
	if err := checkInfoPlistTemplate([]byte(good)); err != nil {
		t.Fatalf("the check fails the committed Info.plist: %v", err)
	}
	broken := map[string]string{
		"Wails' default id": strings.Replace(good, bundleID, "com.wails.{{safeBundleID .Name}}", 1),
		"literal version":   strings.Replace(good, "<string>{{.Info.ProductVersion}}</string>", "<string>0.1.0</string>", 1),
		"no executable":     regexp.MustCompile(`(?s)<key>CFBundleExecutable</key>\s*<string>[^<]*</string>`).ReplaceAllString(good, ""),
		"key without value": strings.Replace(good, "<string>iconfile</string>", "", 1),
		"not well-formed":   strings.Replace(good, "</dict>", "</dic>", 1),
		"duplicate key":     strings.Replace(good, "<key>CFBundleIconFile</key>", "<key>CFBundleVersion</key><string>1</string><key>CFBundleIconFile</key>", 1),
		"hi-res as string":  strings.Replace(good, "<key>NSHighResolutionCapable</key>\n        <true/>", "<key>NSHighResolutionCapable</key><string>true</string>", 1),
	}
	for name, text := range broken {
		if text == good {
			t.Fatalf("%s: the broken copy is unchanged; fix the test's replacement", name)
		}
		err := checkInfoPlistTemplate([]byte(text))
		t.Logf("%s: %v", name, err)
		if err == nil {
			t.Errorf("%s: the check passed a broken Info.plist", name)
		}
	}
}

// appleVersion is the form Apple gives CFBundleShortVersionString and
// CFBundleVersion: one to three period-separated integers.
var appleVersion = regexp.MustCompile(`^[0-9]+(\.[0-9]+){0,2}$`)

// TestInfoPlistRendersFromWailsJSON renders Info.plist with wails.json as
// Wails does and checks the bundle that results: a template typo, a
// missing info field or text that breaks the XML all fail here.
func TestInfoPlistRendersFromWailsJSON(t *testing.T) {
	p := readWailsJSON(t)
	if p.Info.Copyright == nil || p.Info.Comments == nil || p.Info.CompanyName == "" || p.Info.ProductName == "" || p.Info.ProductVersion == "" {
		// Wails fills a missing one with its own default: "Copyright.........",
		// "Built using Wails (https://wails.io)", version 1.0.0.
		t.Fatalf("wails.json info must set companyName, productName, productVersion, copyright and comments: %+v", p.Info)
	}
	out, err := renderLikeWails(readDarwin(t, "Info.plist"), p)
	if err != nil {
		t.Fatalf("render Info.plist: %v", err)
	}
	d, err := parsePlist(out)
	if err != nil {
		t.Fatalf("rendered Info.plist: %v\n%s", err, out)
	}
	want := map[string]string{
		"CFBundleIdentifier":         bundleID,
		"CFBundleExecutable":         p.OutputFilename,
		"CFBundleName":               p.Info.ProductName,
		"CFBundleVersion":            p.Info.ProductVersion,
		"CFBundleShortVersionString": p.Info.ProductVersion,
		"NSHumanReadableCopyright":   *p.Info.Copyright,
		"CFBundleGetInfoString":      *p.Info.Comments,
	}
	for key, w := range want {
		if got := d[key].Text; got != w {
			t.Errorf("rendered %s = %q, want %q", key, got, w)
		}
	}
	if p.OutputFilename != "pkce-desk" {
		t.Errorf("wails.json outputfilename = %q: README and the release workflow name Contents/MacOS/pkce-desk", p.OutputFilename)
	}
	if !appleVersion.MatchString(p.Info.ProductVersion) {
		t.Errorf("productVersion %q is not 1–3 integers (Apple's rule for CFBundleShortVersionString)", p.Info.ProductVersion)
	}
	if n := len([]rune(p.Info.ProductName)); n > 15 {
		t.Errorf("CFBundleName %q has %d characters; Apple asks for at most 15", p.Info.ProductName, n)
	}
	if !regexp.MustCompile(`^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$`).MatchString(bundleID) {
		t.Errorf("bundle id %q: only letters, digits, hyphens and periods, reverse-DNS", bundleID)
	}

	// Free text from wails.json goes through Wails' xml function: markup in
	// it must come out as text, not break the plist.
	hostile := p
	text := `Tom & Jerry's <b>"tokens"</b>`
	hostile.Info.Comments, hostile.Info.Copyright, hostile.Info.ProductName = &text, &text, text
	out, err = renderLikeWails(readDarwin(t, "Info.plist"), hostile)
	if err != nil {
		t.Fatal(err)
	}
	d, err = parsePlist(out)
	if err != nil {
		t.Fatalf("markup in wails.json info breaks the rendered Info.plist (use {{xml …}}): %v", err)
	}
	for _, key := range []string{"CFBundleGetInfoString", "NSHumanReadableCopyright", "CFBundleName"} {
		if d[key].Text != text {
			t.Errorf("%s = %q, want the text %q back", key, d[key].Text, text)
		}
	}
}

// TestInfoDevPlistIsInfoPlistPlusLocalNetworking: `wails dev` uses
// Info.dev.plist (and writes Wails' default, with its own bundle id, when
// the file is missing). It must say what Info.plist says and add only the
// App Transport Security exception for the dev server on localhost.
func TestInfoDevPlistIsInfoPlistPlusLocalNetworking(t *testing.T) {
	p := readWailsJSON(t)
	render := func(name string) map[string]plistValue {
		out, err := renderLikeWails(readDarwin(t, name), p)
		if err != nil {
			t.Fatalf("render %s: %v", name, err)
		}
		d, err := parsePlist(out)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return d
	}
	prod, dev := render("Info.plist"), render("Info.dev.plist")
	ats, ok := dev["NSAppTransportSecurity"]
	if !ok || ats.Kind != "dict" || ats.Dict["NSAllowsLocalNetworking"].Kind != "true" || len(ats.Dict) != 1 {
		t.Errorf("Info.dev.plist NSAppTransportSecurity = %+v, want a dict with only NSAllowsLocalNetworking true", ats)
	}
	delete(dev, "NSAppTransportSecurity")
	for _, key := range slices.Sorted(maps.Keys(prod)) {
		if fmt.Sprint(dev[key]) != fmt.Sprint(prod[key]) {
			t.Errorf("%s: Info.dev.plist has %+v, Info.plist %+v", key, dev[key], prod[key])
		}
	}
	for key := range dev {
		if _, ok := prod[key]; !ok {
			t.Errorf("Info.dev.plist has %s, which Info.plist lacks", key)
		}
	}
	if _, ok := prod["NSAppTransportSecurity"]; ok {
		t.Error("Info.plist has an App Transport Security exception; only the dev bundle needs one (Go's HTTP client is not subject to ATS)")
	}
}

// checkEntitlements checks the hardened-runtime entitlements: no sandbox
// (see the file's notes for why), no com.apple.security.cs.* exception, no
// get-task-allow (notarization rejects it), and the sandbox's network and
// file entitlements written down for the day it is turned on.
func checkEntitlements(raw []byte) error {
	d, err := parsePlist(raw)
	if err != nil {
		return err
	}
	var errs []error
	want := map[string]string{
		"com.apple.security.app-sandbox":                    "false",
		"com.apple.security.network.client":                 "true",
		"com.apple.security.network.server":                 "true",
		"com.apple.security.files.user-selected.read-write": "true",
	}
	for _, key := range slices.Sorted(maps.Keys(d)) {
		v := d[key]
		w, known := want[key]
		switch {
		case !known:
			errs = append(errs, fmt.Errorf("unexpected entitlement %s (a hardened-runtime exception or one the app does not need)", key))
		case v.Kind != w:
			errs = append(errs, fmt.Errorf("%s is <%s/>, want <%s/>", key, v.Kind, w))
		}
	}
	for _, key := range slices.Sorted(maps.Keys(want)) {
		if _, ok := d[key]; !ok {
			errs = append(errs, fmt.Errorf("%s is missing", key))
		}
	}
	return errors.Join(errs...)
}

func TestEntitlements(t *testing.T) {
	if err := checkEntitlements(readDarwin(t, "entitlements.plist")); err != nil {
		t.Fatalf("build/darwin/entitlements.plist:\n%v", err)
	}
}

func TestEntitlementsCheckFails(t *testing.T) {
	good := string(readDarwin(t, "entitlements.plist"))
	if err := checkEntitlements([]byte(good)); err != nil {
		t.Fatalf("the check fails the committed entitlements.plist: %v", err)
	}
	broken := map[string]string{
		"JIT exception":   strings.Replace(good, "</dict>", "<key>com.apple.security.cs.allow-jit</key><true/></dict>", 1),
		"get-task-allow":  strings.Replace(good, "</dict>", "<key>com.apple.security.get-task-allow</key><true/></dict>", 1),
		"no server":       strings.Replace(good, "<key>com.apple.security.network.server</key>\n        <true/>", "", 1),
		"sandbox as text": strings.Replace(good, "<key>com.apple.security.app-sandbox</key>\n        <false/>", "<key>com.apple.security.app-sandbox</key><string>NO</string>", 1),
	}
	for name, text := range broken {
		if text == good {
			t.Fatalf("%s: the broken copy is unchanged; fix the test's replacement", name)
		}
		err := checkEntitlements([]byte(text))
		t.Logf("%s: %v", name, err)
		if err == nil {
			t.Errorf("%s: the check passed broken entitlements", name)
		}
	}
}

// TestAppIconMakesEveryIcnsSize: `wails build` encodes
// Contents/Resources/iconfile.icns from build/appicon.png on every build
// (pkg/commands/build/packager.go, github.com/jackmordaunt/icns), with
// only the sizes up to the source's; a 1024×1024 square gives them all.
func TestAppIconMakesEveryIcnsSize(t *testing.T) {
	f, err := os.Open(filepath.Join(repoRoot(t), "build", "appicon.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	if err != nil {
		t.Fatalf("build/appicon.png: %v", err)
	}
	if format != "png" || cfg.Width != 1024 || cfg.Height != 1024 {
		t.Fatalf("build/appicon.png is a %d×%d %s, want a 1024×1024 png", cfg.Width, cfg.Height, format)
	}
}
