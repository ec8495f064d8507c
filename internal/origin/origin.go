// Package origin computes RFC 6454 origins of URLs — scheme, host and port,
// the port made explicit — which is the unit every credential rule compares:
// where a redirect may carry a token, and which endpoint overrides leave the
// issuer's origin.
package origin

import (
	"net/url"
	"strings"
)

// Origin is a URL's scheme, lower-case host (no brackets) and port, with
// the default port filled in, so https://h and https://h:443 are equal.
type Origin struct {
	Scheme, Host, Port string
}

// Of returns u's origin.
func Of(u *url.URL) Origin {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	if port == "" {
		switch scheme {
		case "http":
			port = "80"
		case "https":
			port = "443"
		}
	}
	return Origin{Scheme: scheme, Host: strings.ToLower(u.Hostname()), Port: port}
}

// Parse returns the origin of an absolute URL; ok is false when raw is not
// an absolute URL with a host.
func Parse(raw string) (o Origin, ok bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return Origin{}, false
	}
	return Of(u), true
}

// String is the origin as a URL prefix ("https://login.example.com",
// "http://127.0.0.1:9999"), the default port left out.
func (o Origin) String() string {
	host := o.Host
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if (o.Scheme == "https" && o.Port == "443") || (o.Scheme == "http" && o.Port == "80") || o.Port == "" {
		return o.Scheme + "://" + host
	}
	return o.Scheme + "://" + host + ":" + o.Port
}
