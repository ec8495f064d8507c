// Package qr turns a short text (a device-grant verification URI) into a
// QR code matrix, once, and draws that same matrix two ways: an SVG path for
// the GUI's device screen and half-block characters for a terminal.
//
// The symbol itself comes from github.com/piglig/go-qr (MIT, pure Go, no
// dependencies outside the standard library), a port of Nayuki's QR Code
// generator. This package only adds the quiet zone and the two drawings.
package qr

import (
	"errors"
	"strconv"
	"strings"

	goqr "github.com/piglig/go-qr"
)

// QuietZone is the light border, in modules, around the symbol. ISO/IEC
// 18004 asks for four; phone cameras read a code on a dark screen or a
// projector far better with it.
const QuietZone = 4

// MaxText bounds what Encode accepts: a verification URI is short, and a
// longer text would make a symbol too dense to scan from across a room.
const MaxText = 1024

// Code is a QR symbol with its quiet zone: Size×Size modules, Dark(x, y)
// true for a dark module.
type Code struct {
	size int
	dark []bool
}

// Encode makes the QR code of text with error correction level M (15 %
// of codewords restorable: a good balance of density and robustness on a
// screen). The returned Code includes the quiet zone.
func Encode(text string) (*Code, error) {
	if text == "" {
		return nil, errors.New("qr: nothing to encode")
	}
	if len(text) > MaxText {
		return nil, errors.New("qr: text too long for a scannable code")
	}
	sym, err := goqr.EncodeText(text, goqr.Medium)
	if err != nil {
		return nil, err
	}
	n := sym.Size()
	c := &Code{size: n + 2*QuietZone}
	c.dark = make([]bool, c.size*c.size)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			if sym.Module(x, y) {
				c.dark[(y+QuietZone)*c.size+x+QuietZone] = true
			}
		}
	}
	return c, nil
}

// Size is the width and height in modules, quiet zone included.
func (c *Code) Size() int { return c.size }

// Dark reports whether the module at column x, row y is dark; outside the
// code it is light.
func (c *Code) Dark(x, y int) bool {
	if x < 0 || y < 0 || x >= c.size || y >= c.size {
		return false
	}
	return c.dark[y*c.size+x]
}

// SVGPath is an SVG path covering exactly the dark modules, in module
// units for a viewBox of "0 0 Size Size": one "M x y h w v1 h-w z" per run
// of dark modules in a row (fill it, no stroke). Runs keep the path short:
// a version-6 code's ~900 dark modules make ~450 runs.
func (c *Code) SVGPath() string {
	var b strings.Builder
	for y := 0; y < c.size; y++ {
		for x := 0; x < c.size; {
			if !c.Dark(x, y) {
				x++
				continue
			}
			start := x
			for x < c.size && c.Dark(x, y) {
				x++
			}
			w := strconv.Itoa(x - start)
			b.WriteString("M" + strconv.Itoa(start) + " " + strconv.Itoa(y) + "h" + w + "v1h-" + w + "z")
		}
	}
	return b.String()
}

// Terminal draws the code with Unicode half blocks, two rows of modules per
// line, dark modules as the terminal's background and light ones as "█"
// in its foreground colour — so it scans on the usual light-on-dark
// terminal. Each line ends with "\n".
func (c *Code) Terminal() string {
	var b strings.Builder
	for y := 0; y < c.size; y += 2 {
		for x := 0; x < c.size; x++ {
			top, bottom := !c.Dark(x, y), !c.Dark(x, y+1) && y+1 < c.size
			switch {
			case top && bottom:
				b.WriteString("█")
			case top:
				b.WriteString("▀")
			case bottom:
				b.WriteString("▄")
			default:
				b.WriteString(" ")
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}
