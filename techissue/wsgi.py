"""The WSGI entry point: `gunicorn techissue.wsgi` in production."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "techissue.settings")
application = get_wsgi_application()
