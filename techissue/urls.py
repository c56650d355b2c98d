"""The project's URLs: the editor's area, the admin, the public site, the audience pages and delivery's endpoints."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from techissue.editions.media import serve_media
from techissue.editor.views.login import admin_login

admin.site.site_header = "techissue"
admin.site.site_title = "techissue"
admin.site.index_template = "editor/admin_index.html"

urlpatterns = [
    path("editor/", include("techissue.editor.urls")),
    path("api/v1/", include("techissue.api.urls")),
    path("admin/login/", admin_login, name="editor_admin_login"),
    path("admin/", admin.site.urls),
    path("", include("techissue.ops.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("techissue.audience.urls")),
    path("", include("techissue.delivery.urls")),
    path("", include("techissue.site.urls")),
    # The uploads, for `techissue serve` (behind nginx its /media/ location answers first, same headers).
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", serve_media, name="media"),
]
