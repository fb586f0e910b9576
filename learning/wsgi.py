"""WSGI entry point: HTTP alone, for a WSGI server beside Daphne.

Production may send HTTP to a WSGI server (gunicorn) and keep Daphne for the WebSockets: Django's
WSGI path costs the server less per request than its ASGI path (see the README's load-test
section). Everything a request does, live pushes included, works the same from here.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning.settings.dev")

application = get_wsgi_application()
