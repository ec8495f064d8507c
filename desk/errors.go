package desk

import (
	"context"
	"errors"

	"pkcedesk/auth"
	"pkcedesk/view"
)

// errorView says what happened and what to do, keeping the provider's own
// code and description apart so the UI can show them as details.
func errorView(err error) *view.Error {
	if err == nil {
		return nil
	}
	// Kinds: canceled, timeout, expired (a device code), denied
	// (access_denied), provider, paste_refused, redirect_uri, session_ended,
	// port_in_use, check, http, config, pkce_unsupported, foreign_endpoints.
	v := &view.Error{Message: err.Error(), Kind: "error"}
	var pe *auth.ProviderError
	var re *auth.RedirectURIError
	var ce *auth.CheckError
	var he *auth.HTTPError
	var port *auth.PortInUseError
	var fe *auth.ForeignEndpointsError
	var paste *auth.PasteError
	switch {
	case errors.As(err, &fe):
		v.Kind, v.Origins = "foreign_endpoints", fe.Origins()
	case errors.As(err, &re):
		v.Kind = "redirect_uri"
	case errors.Is(err, auth.ErrCanceled), errors.Is(err, context.Canceled):
		v.Kind, v.Message = "canceled", "Sign-in canceled."
	case errors.Is(err, auth.ErrDeviceCodeExpired):
		v.Kind, v.Code = "expired", "expired_token" // the provider's answer, or expires_in passed
	case errors.As(err, &paste):
		v.Kind = "paste_refused"
	case errors.Is(err, auth.ErrTimeout):
		v.Kind = "timeout"
	case errors.Is(err, auth.ErrSessionEnded):
		v.Kind = "session_ended"
	case errors.As(err, &port):
		v.Kind = "port_in_use"
	case errors.As(err, &ce):
		v.Kind = "check"
	case errors.As(err, &he):
		v.Kind = "http"
	case errors.Is(err, auth.ErrInvalidConfig):
		v.Kind = "config"
	case errors.Is(err, auth.ErrPKCEUnsupported):
		v.Kind = "pkce_unsupported"
	}
	if errors.As(err, &pe) {
		v.Code, v.Description = pe.Code, pe.Description
		switch {
		case v.Kind == "error" && pe.Code == "access_denied":
			v.Kind = "denied" // the user (or the provider's policy) said no
		case v.Kind == "error":
			v.Kind = "provider"
		}
	}
	return v
}
