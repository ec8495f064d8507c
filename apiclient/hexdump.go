package apiclient

// HexDumpLimit is how many leading bytes of a binary body are shown as hex.
const HexDumpLimit = 64 << 10

const hexDigits = "0123456789abcdef"

// HexDump renders b the way `xxd` does: per 16-byte line an 8-digit hex
// offset, the bytes as hex in groups of two, and the printable ASCII
// characters (0x20–0x7e; '.' for the rest). The output is plain ASCII text,
// newline-terminated, and safe to show as text whatever the input.
func HexDump(b []byte) string {
	const width = 16
	lines := (len(b) + width - 1) / width
	// "00000000: " + 39 hex cols + 2 spaces + 16 ascii + "\n"
	out := make([]byte, 0, lines*68)
	for off := 0; off < len(b); off += width {
		end := min(off+width, len(b))
		row := b[off:end]
		for shift := 28; shift >= 0; shift -= 4 {
			out = append(out, hexDigits[(off>>shift)&0xf])
		}
		out = append(out, ':', ' ')
		for i := 0; i < width; i++ {
			if i < len(row) {
				out = append(out, hexDigits[row[i]>>4], hexDigits[row[i]&0xf])
			} else {
				out = append(out, ' ', ' ')
			}
			if i%2 == 1 && i != width-1 {
				out = append(out, ' ')
			}
		}
		out = append(out, ' ', ' ')
		for _, c := range row {
			if c >= 0x20 && c <= 0x7e {
				out = append(out, c)
			} else {
				out = append(out, '.')
			}
		}
		out = append(out, '\n')
	}
	return string(out)
}
