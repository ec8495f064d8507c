// Command paintprobe measures how long a window takes to show its first
// painted frame, for `make bench`: it polls the X server every few
// milliseconds (no process per poll, unlike ImageMagick's import) for a
// viewable top-level window with the given title, then for that window's
// contents to show more than -colours distinct colours, and prints the
// seconds since -since (a Unix time in nanoseconds taken just before the
// app was started) with millisecond precision.
//
//	t0=$(date +%s%N); app & paintprobe -since "$t0" -title "PKCE Desk"
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

func main() {
	since := flag.Int64("since", 0, "start time, Unix nanoseconds (default: now)")
	title := flag.String("title", "", "exact window title to wait for")
	colours := flag.Int("colours", 50, "painted means more than this many distinct colours")
	every := flag.Duration("every", 5*time.Millisecond, "poll interval")
	limit := flag.Duration("timeout", 30*time.Second, "give up after this long")
	flag.Parse()
	if *title == "" {
		fmt.Fprintln(os.Stderr, "paintprobe: -title is required")
		os.Exit(2)
	}
	t0 := time.Now()
	if *since > 0 {
		t0 = time.Unix(0, *since)
	}
	secs, err := probe(*title, *colours, *every, t0.Add(*limit), t0)
	if err != nil {
		fmt.Fprintln(os.Stderr, "paintprobe:", err)
		os.Exit(1)
	}
	fmt.Printf("%.3f\n", secs)
}

// probe waits for the window, then for its first painted frame.
func probe(title string, colours int, every time.Duration, deadline, t0 time.Time) (float64, error) {
	xgb.Logger = log.New(io.Discard, "", 0) // it logs each missing ~/.Xauthority
	conn, err := xgb.NewConn()
	if err != nil {
		return 0, fmt.Errorf("connect to the X server ($DISPLAY): %w", err)
	}
	defer conn.Close()
	root := xproto.Setup(conn).DefaultScreen(conn).Root
	atoms := internAtoms(conn, "_NET_WM_NAME", "UTF8_STRING")
	var win xproto.Window
	for win == 0 {
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("no viewable window titled %q", title)
		}
		win = findWindow(conn, root, title, atoms, 0)
		if win == 0 {
			time.Sleep(every)
		}
	}
	for {
		if time.Now().After(deadline) {
			return 0, errors.New("the window stayed blank")
		}
		if n, err := countColours(conn, win, colours+1); err == nil && n > colours {
			return time.Since(t0).Seconds(), nil
		}
		time.Sleep(every)
	}
}

func internAtoms(conn *xgb.Conn, names ...string) map[string]xproto.Atom {
	out := map[string]xproto.Atom{}
	for _, n := range names {
		r, err := xproto.InternAtom(conn, false, uint16(len(n)), n).Reply()
		if err == nil {
			out[n] = r.Atom
		}
	}
	return out
}

// findWindow walks the tree below w (a few levels: the app's toplevel is a
// child of the root, or of a frame under a window manager) for a viewable
// window whose title is title.
func findWindow(conn *xgb.Conn, w xproto.Window, title string, atoms map[string]xproto.Atom, depth int) xproto.Window {
	if depth > 3 {
		return 0
	}
	tree, err := xproto.QueryTree(conn, w).Reply()
	if err != nil {
		return 0
	}
	for _, c := range tree.Children {
		if windowTitle(conn, c, atoms) == title && viewable(conn, c) {
			return c
		}
		if found := findWindow(conn, c, title, atoms, depth+1); found != 0 {
			return found
		}
	}
	return 0
}

func windowTitle(conn *xgb.Conn, w xproto.Window, atoms map[string]xproto.Atom) string {
	for _, p := range [][2]xproto.Atom{{atoms["_NET_WM_NAME"], atoms["UTF8_STRING"]}, {xproto.AtomWmName, xproto.AtomString}} {
		if p[0] == 0 {
			continue
		}
		r, err := xproto.GetProperty(conn, false, w, p[0], p[1], 0, 256).Reply()
		if err == nil && r.ValueLen > 0 {
			return string(r.Value)
		}
	}
	return ""
}

func viewable(conn *xgb.Conn, w xproto.Window) bool {
	a, err := xproto.GetWindowAttributes(conn, w).Reply()
	return err == nil && a.MapState == xproto.MapStateViewable
}

// countColours reads the window's pixels and counts distinct colours,
// stopping at enough.
func countColours(conn *xgb.Conn, w xproto.Window, enough int) (int, error) {
	g, err := xproto.GetGeometry(conn, xproto.Drawable(w)).Reply()
	if err != nil {
		return 0, err
	}
	img, err := xproto.GetImage(conn, xproto.ImageFormatZPixmap, xproto.Drawable(w), 0, 0, g.Width, g.Height, 0xffffffff).Reply()
	if err != nil {
		return 0, err
	}
	seen := make(map[uint32]struct{}, enough)
	d := img.Data
	for i := 0; i+3 < len(d); i += 4 {
		seen[uint32(d[i])|uint32(d[i+1])<<8|uint32(d[i+2])<<16] = struct{}{}
		if len(seen) >= enough {
			break
		}
	}
	return len(seen), nil
}
