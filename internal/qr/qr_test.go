package qr

import (
	"image"
	"image/color"
	"regexp"
	"strconv"
	"strings"
	"testing"

	goqr "github.com/piglig/go-qr"
)

const sampleURI = "http://127.0.0.1:53111/device?user_code=WDJB-MJHT"

// The matrix is the library's own symbol, moved in by the quiet zone, with
// nothing dark in the quiet zone.
func TestMatrixIsTheLibrarysSymbol(t *testing.T) {
	c, err := Encode(sampleURI)
	if err != nil {
		t.Fatal(err)
	}
	sym, err := goqr.EncodeText(sampleURI, goqr.Medium)
	if err != nil {
		t.Fatal(err)
	}
	if c.Size() != sym.Size()+2*QuietZone {
		t.Fatalf("size %d, want %d", c.Size(), sym.Size()+2*QuietZone)
	}
	for y := -1; y <= c.Size(); y++ {
		for x := -1; x <= c.Size(); x++ {
			sx, sy := x-QuietZone, y-QuietZone
			want := sx >= 0 && sy >= 0 && sx < sym.Size() && sy < sym.Size() && sym.Module(sx, sy)
			if c.Dark(x, y) != want {
				t.Fatalf("module (%d,%d) dark=%v, want %v", x, y, c.Dark(x, y), want)
			}
		}
	}
}

var pathRun = regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)

// rasterize reads SVGPath's runs back into a grid, failing on anything it
// does not produce (so the test also pins its shape) and on overlaps.
func rasterize(t *testing.T, path string, size int) [][]bool {
	t.Helper()
	grid := make([][]bool, size)
	for i := range grid {
		grid[i] = make([]bool, size)
	}
	for rest := path; rest != ""; {
		m := pathRun.FindStringSubmatch(rest)
		if m == nil {
			t.Fatalf("unexpected path text at %.40q", rest)
		}
		rest = rest[len(m[0]):]
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		w, _ := strconv.Atoi(m[3])
		if m[4] != m[3] || w < 1 || y >= size || x+w > size {
			t.Fatalf("bad run %q", m[0])
		}
		for i := x; i < x+w; i++ {
			if grid[y][i] {
				t.Fatalf("module (%d,%d) covered twice", i, y)
			}
			grid[y][i] = true
		}
	}
	return grid
}

// The path covers exactly the dark modules, and a picture drawn from the
// path alone decodes (with the library's decoder) to the text.
func TestSVGPathCoversExactlyTheDarkModulesAndDecodes(t *testing.T) {
	for _, text := range []string{sampleURI, "https://login.example.com/activate?user_code=" + strings.Repeat("X", 200)} {
		c, err := Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		grid := rasterize(t, c.SVGPath(), c.Size())
		for y := 0; y < c.Size(); y++ {
			for x := 0; x < c.Size(); x++ {
				if grid[y][x] != c.Dark(x, y) {
					t.Fatalf("path at (%d,%d) = %v, module dark = %v", x, y, grid[y][x], c.Dark(x, y))
				}
			}
		}
		got, err := goqr.Decode(picture(grid, 6))
		if err != nil {
			t.Fatalf("decode the path's picture: %v", err)
		}
		if got != text {
			t.Fatalf("decoded %q, want %q", got, text)
		}
	}
}

// The terminal drawing holds the same matrix: each character is two
// modules, light ones drawn, dark ones left as the background.
func TestTerminalHalfBlocksAreTheMatrix(t *testing.T) {
	c, err := Encode(sampleURI)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(c.Terminal(), "\n"), "\n")
	if len(lines) != (c.Size()+1)/2 {
		t.Fatalf("%d lines, want %d", len(lines), (c.Size()+1)/2)
	}
	grid := make([][]bool, c.Size()+1)
	for i := range grid {
		grid[i] = make([]bool, c.Size())
	}
	for row, line := range lines {
		runes := []rune(line)
		if len(runes) != c.Size() {
			t.Fatalf("line %d has %d cells, want %d", row, len(runes), c.Size())
		}
		for x, r := range runes {
			topLight, bottomLight := r == '█' || r == '▀', r == '█' || r == '▄'
			grid[2*row][x], grid[2*row+1][x] = !topLight, !bottomLight
		}
	}
	for y := 0; y < c.Size(); y++ {
		for x := 0; x < c.Size(); x++ {
			if grid[y][x] != c.Dark(x, y) {
				t.Fatalf("terminal at (%d,%d) dark=%v, want %v", x, y, grid[y][x], c.Dark(x, y))
			}
		}
	}
	got, err := goqr.Decode(picture(grid[:c.Size()], 4))
	if err != nil || got != sampleURI {
		t.Fatalf("decode the terminal drawing: %q, %v", got, err)
	}
}

func TestEncodeRefusesEmptyAndHugeText(t *testing.T) {
	if _, err := Encode(""); err == nil {
		t.Error("empty text encoded")
	}
	if _, err := Encode(strings.Repeat("a", MaxText+1)); err == nil {
		t.Error("text over MaxText encoded")
	}
}

// picture draws a module grid black on white, scale pixels per module.
func picture(grid [][]bool, scale int) image.Image {
	n := len(grid)
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for y := 0; y < n*scale; y++ {
		for x := 0; x < n*scale; x++ {
			v := uint8(255)
			if grid[y/scale][x/scale] {
				v = 0
			}
			img.SetGray(x, y, color.Gray{Y: v})
		}
	}
	return img
}
