package desk

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// goEventNames reads the Event* constants of events.go, so that a constant
// added there without the frontend knowing it fails the test below.
func goEventNames(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "events.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, n := range vs.Names {
				if !strings.HasPrefix(n.Name, "Event") {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					t.Fatalf("%s is not a string literal", n.Name)
				}
				v, _ := strconv.Unquote(lit.Value)
				names = append(names, v)
			}
		}
	}
	return names
}

// eventsObject matches `export const Events = { … } as const` in events.ts.
var (
	eventsObject = regexp.MustCompile(`export const Events = \{([^}]*)\} as const`)
	eventsMember = regexp.MustCompile(`^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:\s*'([^']*)'\s*$`)
)

// tsEventNames reads the Events object of frontend/src/lib/events.ts.
func tsEventNames(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("../frontend/src/lib/events.ts")
	if err != nil {
		t.Fatal(err)
	}
	m := eventsObject.FindAllSubmatch(src, -1)
	if len(m) != 1 {
		t.Fatalf("events.ts: want one `export const Events = { … } as const`, found %d", len(m))
	}
	var names []string
	for _, member := range strings.Split(strings.TrimSpace(string(m[0][1])), ",") {
		if strings.TrimSpace(member) == "" {
			continue // a trailing comma
		}
		mm := eventsMember.FindStringSubmatch(member)
		if mm == nil {
			t.Fatalf("events.ts: member %q is not `name: 'value'`", member)
		}
		if mm[1] != mm[2] {
			t.Errorf("events.ts: Events.%s is %q; each key must be its own name", mm[1], mm[2])
		}
		names = append(names, mm[2])
	}
	return names
}

// The event names are a contract between Go and the frontend, kept once on
// each side: desk/events.go and frontend/src/lib/events.ts must list
// exactly the same names.
func TestEventNamesMatchTheFrontend(t *testing.T) {
	goNames, tsNames := goEventNames(t), tsEventNames(t)
	if len(goNames) == 0 {
		t.Fatal("no Event* constants found in events.go")
	}
	for _, list := range [][]string{goNames, tsNames} {
		sorted := slices.Sorted(slices.Values(list))
		if len(slices.Compact(sorted)) != len(list) {
			t.Errorf("duplicate event names in %v", list)
		}
	}
	g, ts := slices.Sorted(slices.Values(goNames)), slices.Sorted(slices.Values(tsNames))
	if !slices.Equal(g, ts) {
		t.Errorf("event names differ:\n  Go (desk/events.go):               %v\n  TS (frontend/src/lib/events.ts):  %v", g, ts)
	}
	// The constants are what the code uses.
	if want := []string{EventTrace, EventSession, EventNotice, EventProfiles, EventInfo}; !slices.Equal(slices.Sorted(slices.Values(want)), g) {
		t.Errorf("events.go constants %v, want %v", g, want)
	}
}
