"""The HTTP API at /api/v1/: django-ninja, OpenAPI 3.1 at /api/v1/openapi.json, interactive docs served by us."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI

from techissue.api import audience_api, editions_api, feeds_api, problems, stories_api, webhooks_api
from techissue.api.access import EditorSession, TokenAuth

api = NinjaAPI(
    title="techissue API",
    version="1",
    description=str(_("Feeds, stories, editions and readers of a techissue newsroom. Errors are RFC 9457 problems.")),
    urls_namespace="api",
    auth=[TokenAuth(), EditorSession()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("/feeds", feeds_api.router)
api.add_router("/stories", stories_api.router)
api.add_router("/editions", editions_api.router)
api.add_router("/subscribers", audience_api.subscribers)
api.add_router("/stats", audience_api.stats)
api.add_router("/webhooks", webhooks_api.router)
