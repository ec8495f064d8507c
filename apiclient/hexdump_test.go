package apiclient

import (
	"bytes"
	"os/exec"
	"testing"
)

func TestHexDump(t *testing.T) {
	in := []byte("Hello, world!\n\x00\x01\x7f\x80\xff<a>")
	// Output of `xxd` for the same bytes.
	want := "00000000: 4865 6c6c 6f2c 2077 6f72 6c64 210a 0001  Hello, world!...\n" +
		"00000010: 7f80 ff3c 613e                           ...<a>\n"
	if got := HexDump(in); got != want {
		t.Errorf("HexDump:\n%q\nwant\n%q", got, want)
	}
	if HexDump(nil) != "" {
		t.Error("HexDump(nil) not empty")
	}
}

// Compare with the real xxd on assorted lengths when it is installed.
func TestHexDumpMatchesXXD(t *testing.T) {
	xxd, err := exec.LookPath("xxd")
	if err != nil {
		t.Skip("xxd not installed")
	}
	for _, n := range []int{1, 15, 16, 17, 31, 32, 255, 300} {
		in := make([]byte, n)
		for i := range in {
			in[i] = byte(i * 7)
		}
		cmd := exec.Command(xxd)
		cmd.Stdin = bytes.NewReader(in)
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if got := HexDump(in); got != string(out) {
			t.Errorf("n=%d:\n%s\nxxd:\n%s", n, got, out)
		}
	}
}
