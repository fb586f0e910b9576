"""ASGI entry point for Daphne: HTTP through Django, WebSockets through Channels."""

import os
import time

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning.settings.dev")

# Django must be set up before anything imports models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from learning.routing import websocket_urlpatterns  # noqa: E402


def stamp_arrival(app):
    """Note when a handshake reached the application, so the socket can tell how long it queued."""

    async def stamped(scope, receive, send):
        return await app({**scope, "arrived_at": time.monotonic()}, receive, send)

    return stamped


application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": stamp_arrival(
            AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
        ),
    }
)
