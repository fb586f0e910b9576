"""Response headers: a strict Content-Security-Policy for learner pages, a looser one for the
Wagtail admin (which renders inline scripts and frames its own previews), and a few more."""

from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.utils.csp import CSP

ADMIN_PREFIX = "/admin/"

# Learner pages: nothing inline, nothing from elsewhere, never framed.
LEARNER_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Wagtail's admin writes inline scripts and styles without nonces, uses blob: URLs for image
# previews, and shows page previews in a same-origin iframe served under /admin/ itself.
# Officials reach it only after a password and a second factor.
ADMIN_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "media-src": [CSP.SELF, "blob:"],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "worker-src": [CSP.SELF, "blob:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


def is_admin_path(path: str) -> bool:
    return path.startswith(ADMIN_PREFIX)


class SecurityHeadersMiddleware(ContentSecurityPolicyMiddleware):
    """Django's CSP middleware, choosing the admin policy under /admin/."""

    def process_response(self, request, response):
        if is_admin_path(request.path):
            # Previews run a fake request for the page's own URL through the middleware, which
            # stamps the learner policy (frame-ancestors 'none') on a response the admin frames.
            response.headers.pop(str(CSP.HEADER_ENFORCE), None)
            response._csp_config = ADMIN_CSP
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return super().process_response(request, response)
