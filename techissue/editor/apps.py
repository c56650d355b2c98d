"""App configuration for the editor's area, and translated headings for apps that have none."""

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class EditorConfig(AppConfig):
    name = "techissue.editor"
    label = "editor"
    verbose_name = _("Editor")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from techissue.editor import signals

        signals.connect()
        # The tasks backend names itself in English only; the admin home shows this heading.
        for config in apps.get_app_configs():
            if config.label == "django_tasks_database":
                config.verbose_name = _("Background tasks")
