package browserbot

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// form is one HTML <form> as the bot sees it.
type form struct {
	method   string // GET or POST
	action   string // as written; "" means the page itself
	controls []control
}

// control is a form field or button.
type control struct {
	tag     string // input, select, textarea, button
	typ     string // input/button type, lower case
	name    string
	value   string
	checked bool
	text    string   // button text
	options []string // select option values
}

func (c control) isSubmit() bool {
	return (c.tag == "button" && (c.typ == "" || c.typ == "submit")) ||
		(c.tag == "input" && (c.typ == "submit" || c.typ == "image"))
}

var denyWords = regexp.MustCompile(`(?i)\b(deny|cancel|reject|decline|no)\b`)

// looksLikeDeny reports whether a submit button declines.
func (c control) looksLikeDeny() bool {
	return denyWords.MatchString(c.name + " " + c.value + " " + c.text)
}

// parseForms returns every form in the page, in document order.
func parseForms(page []byte) ([]form, error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	var forms []form
	var walk func(n *html.Node, f *form)
	walk = func(n *html.Node, f *form) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Form:
				nf := form{method: strings.ToUpper(attr(n, "method")), action: attr(n, "action")}
				if nf.method != http.MethodPost {
					nf.method = http.MethodGet
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c, &nf)
				}
				forms = append(forms, nf)
				return
			case atom.Input:
				if f != nil {
					_, checked := attrOK(n, "checked")
					f.controls = append(f.controls, control{tag: "input", typ: strings.ToLower(attr(n, "type")),
						name: attr(n, "name"), value: attr(n, "value"), checked: checked})
				}
			case atom.Button:
				if f != nil {
					f.controls = append(f.controls, control{tag: "button", typ: strings.ToLower(attr(n, "type")),
						name: attr(n, "name"), value: attr(n, "value"), text: strings.TrimSpace(textOf(n))})
				}
				return
			case atom.Textarea:
				if f != nil {
					f.controls = append(f.controls, control{tag: "textarea", name: attr(n, "name"), value: textOf(n)})
				}
				return
			case atom.Select:
				if f != nil {
					f.controls = append(f.controls, selectControl(n))
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, f)
		}
	}
	walk(doc, nil)
	return forms, nil
}

// selectControl reads a <select>: its options and the selected (or first) value.
func selectControl(n *html.Node) control {
	c := control{tag: "select", name: attr(n, "name")}
	var first string
	var visit func(*html.Node)
	visit = func(m *html.Node) {
		if m.Type == html.ElementNode && m.DataAtom == atom.Option {
			v, ok := attrOK(m, "value")
			if !ok {
				v = strings.TrimSpace(textOf(m))
			}
			if len(c.options) == 0 {
				first = v
			}
			c.options = append(c.options, v)
			if _, sel := attrOK(m, "selected"); sel {
				c.value, c.checked = v, true
			}
		}
		for k := m.FirstChild; k != nil; k = k.NextSibling {
			visit(k)
		}
	}
	visit(n)
	if !c.checked {
		c.value = first
	}
	return c
}

// chooseForm picks the form to submit: the first that offers the user in a
// picker or has a field named in Options.Fields, else the first form.
func (b *Bot) chooseForm(forms []form) form {
	for _, f := range forms {
		for _, c := range f.controls {
			if _, ok := b.opts.Fields[c.name]; ok && c.name != "" {
				return f
			}
			if b.offersUser(c) {
				return f
			}
		}
	}
	return forms[0]
}

// offersUser reports whether c is a picker choice for Options.User.
func (b *Bot) offersUser(c control) bool {
	switch {
	case c.tag == "input" && c.typ == "radio":
		return c.value == b.opts.User
	case c.tag == "select":
		for _, o := range c.options {
			if o == b.opts.User {
				return true
			}
		}
	}
	return false
}

// fill computes the submitted values of f as a browser would (HTML
// "constructing the entry list"), after picking the user, applying Fields
// and choosing the submit button.
func (b *Bot) fill(f form) url.Values {
	// Radio groups that offer the user: select that radio.
	pickGroups := map[string]bool{}
	for _, c := range f.controls {
		if c.tag == "input" && c.typ == "radio" && c.value == b.opts.User && c.name != "" {
			pickGroups[c.name] = true
		}
	}
	values := url.Values{}
	for _, c := range f.controls {
		if c.name == "" || c.isSubmit() {
			continue
		}
		switch {
		case c.tag == "input" && c.typ == "radio":
			if pickGroups[c.name] {
				if c.value == b.opts.User {
					values.Set(c.name, c.value)
				}
			} else if c.checked {
				values.Set(c.name, c.value)
			}
		case c.tag == "input" && c.typ == "checkbox":
			if c.checked {
				v := c.value
				if v == "" {
					v = "on"
				}
				values.Add(c.name, v)
			}
		case c.tag == "input" && (c.typ == "reset" || c.typ == "file" || c.typ == "button"):
		case c.tag == "select" && b.offersUser(c):
			values.Set(c.name, b.opts.User)
		default:
			values.Add(c.name, c.value)
		}
	}
	for name, v := range b.opts.Fields {
		values.Set(name, v)
	}
	if btn := b.chooseButton(f); btn != nil && btn.name != "" {
		values.Set(btn.name, btn.value)
	}
	return values
}

// chooseButton picks the submit button. With Options.Deny the first
// Deny-like button is pressed when the page has one; otherwise (and on pages
// without one, such as a login form) the first button that does not look
// like Deny. A form without buttons is submitted as pressing Enter would.
func (b *Bot) chooseButton(f form) *control {
	var buttons []control
	for _, c := range f.controls {
		if c.isSubmit() {
			buttons = append(buttons, c)
		}
	}
	if b.opts.Deny {
		for i := range buttons {
			if buttons[i].looksLikeDeny() {
				return &buttons[i]
			}
		}
	}
	for i := range buttons {
		if !buttons[i].looksLikeDeny() {
			return &buttons[i]
		}
	}
	if len(buttons) > 0 {
		return &buttons[0]
	}
	return nil
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val, true
		}
	}
	return "", false
}

// textOf concatenates the text inside n.
func textOf(n *html.Node) string {
	var sb strings.Builder
	var visit func(*html.Node)
	visit = func(m *html.Node) {
		if m.Type == html.TextNode {
			sb.WriteString(m.Data)
		}
		for k := m.FirstChild; k != nil; k = k.NextSibling {
			visit(k)
		}
	}
	visit(n)
	return sb.String()
}

// excerpt returns the page's visible text, whitespace collapsed, at most 300
// characters — enough to say why the bot got stuck.
func excerpt(page []byte) string {
	doc, err := html.Parse(bytes.NewReader(page))
	var text string
	if err == nil {
		var sb strings.Builder
		var visit func(*html.Node)
		visit = func(m *html.Node) {
			if m.Type == html.ElementNode && (m.DataAtom == atom.Script || m.DataAtom == atom.Style || m.DataAtom == atom.Head) {
				return
			}
			if m.Type == html.TextNode {
				sb.WriteString(m.Data)
				sb.WriteByte(' ')
			}
			for k := m.FirstChild; k != nil; k = k.NextSibling {
				visit(k)
			}
		}
		visit(doc)
		text = sb.String()
	} else {
		text = string(page)
	}
	text = strings.Join(strings.Fields(text), " ")
	if r := []rune(text); len(r) > 300 {
		text = string(r[:300]) + "…"
	}
	return text
}
