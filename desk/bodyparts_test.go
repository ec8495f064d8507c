package desk

import (
	"strings"
	"testing"
	"unicode/utf8"

	"pkcedesk/view"
)

// A big body leaves Send's result and comes back, part by part, exactly as
// it was: no part over BodyPartSize, none splitting a UTF-8 sequence.
func TestBigBodyComesBackInPartsUnchanged(t *testing.T) {
	// 3.5 parts of text whose multi-byte runes straddle every part edge.
	body := strings.Repeat("ab€", BodyPartSize*7/(2*5))
	pretty := strings.Repeat("x", BodyPartSize+1)
	var b bodyParts
	r := view.Response{RequestID: "r1", Body: body, PrettyBody: pretty, HexBody: "00"}
	b.split(&r)
	if r.Body != "" || r.PrettyBody != "" || r.BodyParts != 4 || r.PrettyParts != 2 {
		t.Fatalf("split: body %d bytes in %d parts, pretty %d bytes in %d parts; want both left out, 4 and 2 parts",
			len(r.Body), r.BodyParts, len(r.PrettyBody), r.PrettyParts)
	}
	for _, c := range []struct {
		which string
		parts int
		want  string
	}{{"body", r.BodyParts, body}, {"pretty", r.PrettyParts, pretty}} {
		var got strings.Builder
		for i := range c.parts {
			p, err := b.part("r1", c.which, i)
			if err != nil {
				t.Fatalf("%s part %d: %v", c.which, i, err)
			}
			if len(p) > BodyPartSize || !utf8.ValidString(p) || p == "" {
				t.Fatalf("%s part %d: %d bytes, valid UTF-8 %v", c.which, i, len(p), utf8.ValidString(p))
			}
			got.WriteString(p)
		}
		if got.String() != c.want {
			t.Fatalf("%s: reassembled %d bytes differ from the %d sent", c.which, got.Len(), len(c.want))
		}
		if _, err := b.part("r1", c.which, c.parts); err == nil {
			t.Fatalf("%s: part %d past the end was served", c.which, c.parts)
		}
	}
	if _, err := b.part("r1", "body", -1); err == nil {
		t.Fatal("part -1 was served")
	}
}

// Short bodies stay in the result; only the two latest big ones are kept.
func TestSmallBodiesStayInlineAndOnlyTheLatestBigOnesAreKept(t *testing.T) {
	var b bodyParts
	small := view.Response{RequestID: "s", Body: strings.Repeat("y", BodyPartSize)}
	b.split(&small)
	if small.BodyParts != 0 || len(small.Body) != BodyPartSize {
		t.Fatalf("a body of exactly BodyPartSize was split: %d parts", small.BodyParts)
	}
	big := strings.Repeat("z", 2*BodyPartSize)
	for _, id := range []string{"a", "b", "c"} {
		r := view.Response{RequestID: id, Body: big}
		b.split(&r)
	}
	if _, err := b.part("a", "body", 0); err == nil || !strings.Contains(err.Error(), "send the request again") {
		t.Fatalf("the oldest big body is still kept (err %v)", err)
	}
	for _, id := range []string{"b", "c"} {
		if _, err := b.part(id, "body", 1); err != nil {
			t.Fatalf("body of %s: %v", id, err)
		}
	}
}
