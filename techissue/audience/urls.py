"""URLs of the audience app: subscribe, confirm, unsubscribe and preferences."""

from django.urls import URLPattern, URLResolver, path

from techissue.audience import views

app_name = "audience"
urlpatterns: list[URLPattern | URLResolver] = [
    path("subscribe/", views.subscribe_view, name="subscribe"),
    path("subscribe/confirm/<str:token>/", views.confirm_view, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("preferences/<str:token>/", views.preferences_view, name="preferences"),
]
