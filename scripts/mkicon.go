//go:build ignore

// Command mkicon draws the PKCE Desk app icon — a rounded square in the accent
// colour with a white key — and writes build/appicon.png (1024×1024, what
// `wails build` expects) and build/windows/icon.ico (PNG-compressed entries at
// 16–256 px). Every size is rendered from the same vector description, so small
// sizes stay sharp instead of being downscaled.
//
// Run from the repository root: go run scripts/mkicon.go
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
	"path/filepath"
)

// accent is the one accent colour of the UI (UX.md "one accent colour").
var accent = color.NRGBA{R: 0x2b, G: 0x5f, B: 0xd9, A: 0xff}

// tileDist is the signed distance (negative inside) from (x, y), in unit
// coordinates [0,1]², to the rounded-square tile.
func tileDist(x, y float64) float64 {
	return roundedBox(x-0.5, y-0.5, 0.44, 0.44, 0.2)
}

// keyDist is the signed distance from (x, y) to the key glyph.
func keyDist(x, y float64) float64 {
	// Rotate the key 45° about the centre so it reads as a key at small sizes.
	cx, cy := x-0.5, y-0.5
	const a = -math.Pi / 4
	rx := cx*math.Cos(a) - cy*math.Sin(a) - 0.035
	ry := cx*math.Sin(a) + cy*math.Cos(a)
	// Bow: a ring centred left of the middle.
	bow := math.Abs(math.Hypot(rx+0.17, ry)-0.115) - 0.045
	// Shaft to the right of the bow.
	shaft := roundedBox(rx-0.1, ry, 0.17, 0.032, 0.02)
	// Two teeth hanging below the shaft's end.
	tooth1 := roundedBox(rx-0.215, ry+0.07, 0.03, 0.05, 0.012)
	tooth2 := roundedBox(rx-0.115, ry+0.055, 0.028, 0.035, 0.012)
	return math.Min(math.Min(bow, shaft), math.Min(tooth1, tooth2))
}

// roundedBox is the signed distance to an axis-aligned box with half sizes
// (hx, hy) and corner radius r, centred on the origin.
func roundedBox(x, y, hx, hy, r float64) float64 {
	qx := math.Abs(x) - hx + r
	qy := math.Abs(y) - hy + r
	outside := math.Hypot(math.Max(qx, 0), math.Max(qy, 0))
	inside := math.Min(math.Max(qx, qy), 0)
	return outside + inside - r
}

// render draws the icon at size×size pixels with 4×4 supersampling.
func render(size int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var tile, key float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/ss) / float64(size)
					y := (float64(py) + (float64(sy)+0.5)/ss) / float64(size)
					if tileDist(x, y) <= 0 {
						tile++
						if keyDist(x, y) <= 0 {
							key++
						}
					}
				}
			}
			tile /= ss * ss
			key /= ss * ss
			if tile == 0 {
				continue
			}
			// The key is white over the accent; k is the share of the tile's
			// covered samples that fall on the key, alpha is tile coverage.
			k := key / tile
			r := float64(accent.R)*(1-k) + 255*k
			g := float64(accent.G)*(1-k) + 255*k
			b := float64(accent.B)*(1-k) + 255*k
			img.SetNRGBA(px, py, color.NRGBA{R: uint8(r + 0.5), G: uint8(g + 0.5), B: uint8(b + 0.5), A: uint8(tile*255 + 0.5)})
		}
	}
	return img
}

func encodePNG(img image.Image) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		log.Fatalf("encode png: %v", err)
	}
	return buf.Bytes()
}

// encodeICO builds an ICO file whose entries are PNG images, which Windows
// Vista and later read at every size.
func encodeICO(sizes []int) []byte {
	var header, body bytes.Buffer
	binary.Write(&header, binary.LittleEndian, [3]uint16{0, 1, uint16(len(sizes))})
	offset := 6 + 16*len(sizes)
	for _, s := range sizes {
		data := encodePNG(render(s))
		dim := uint8(s)
		if s >= 256 {
			dim = 0 // 0 means 256 in an ICONDIRENTRY
		}
		binary.Write(&header, binary.LittleEndian, struct {
			W, H, Colors, Reserved uint8
			Planes, BPP            uint16
			Size, Offset           uint32
		}{dim, dim, 0, 0, 1, 32, uint32(len(data)), uint32(offset)})
		body.Write(data)
		offset += len(data)
	}
	return append(header.Bytes(), body.Bytes()...)
}

func write(path string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %s (%d bytes)\n", path, len(data))
}

func main() {
	write("build/appicon.png", encodePNG(render(1024)))
	write("build/windows/icon.ico", encodeICO([]int{16, 24, 32, 48, 64, 128, 256}))
	write("build/linux/pkce-desk.png", encodePNG(render(256)))
}
