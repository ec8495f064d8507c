package main

import (
	"strings"
	"testing"
)

func TestFixedVersion(t *testing.T) {
	for v, want := range map[string][4]uint16{
		"v1.2.3":                  {1, 2, 3, 0},
		"1.2.3":                   {1, 2, 3, 0},
		"v1.2.3-dirty":            {1, 2, 3, 0},
		"v1.2.3-4-gabcdef0":       {1, 2, 3, 4},
		"v1.2.3-4-gabcdef0-dirty": {1, 2, 3, 4},
		"v1.2.3-rc.1":             {1, 2, 3, 0},
		"v1.2.3-rc.1-12-g0123abc": {1, 2, 3, 12},
		"v10.20.30+meta":          {10, 20, 30, 0},
		"0.1.0-dev":               {0, 1, 0, 0},
		"4ebb887":                 {},
		"4ebb887-dirty":           {},
		"v1.2":                    {},
		"release-1.2.3":           {},
	} {
		got, err := fixedVersion(v)
		if err != nil {
			t.Errorf("fixedVersion(%q): %v", v, err)
		} else if got != want {
			t.Errorf("fixedVersion(%q) = %v, want %v", v, got, want)
		}
	}
	if _, err := fixedVersion("v1.70000.0"); err == nil {
		t.Error("fixedVersion(v1.70000.0): no error for a part over 65535")
	}
}

func TestCheckManifest(t *testing.T) {
	good := `<?xml version="1.0"?><assembly xmlns="urn:schemas-microsoft-com:asm.v1"><assemblyIdentity version="1.2.3.0" name="x"/></assembly>`
	if err := checkManifest([]byte(good)); err != nil {
		t.Errorf("good manifest: %v", err)
	}
	for name, bad := range map[string]string{
		"not XML":       `<assembly><assemblyIdentity version="1.2.3.0"></assembly>`,
		"three numbers": strings.Replace(good, "1.2.3.0", "1.2.3", 1),
		"a git version": strings.Replace(good, "1.2.3.0", "4ebb887-dirty.0", 1),
	} {
		if err := checkManifest([]byte(bad)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
