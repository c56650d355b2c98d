"""The API in the back office: personal tokens (shown once, revocable), webhook endpoints and their delivery log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from techissue.api.models import ApiToken, Scope, WebhookDelivery, WebhookEndpoint
from techissue.api.tokens import create_token, revoke_token
from techissue.api.webhooks import EVENTS, new_secret, resend


class NewTokenForm(forms.ModelForm):
    scope_choices = forms.MultipleChoiceField(
        label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple, initial=["read"]
    )

    class Meta:
        model = ApiToken
        fields = ["name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "user", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    actions = ["revoke"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ApiToken]:
        found = super().get_queryset(request)
        return found if request.user.is_superuser else found.filter(user=request.user)  # type: ignore[misc]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = NewTokenForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["name", "prefix", "user", "scopes", "created_at", "last_used_at", "revoked_at"] if obj else []

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        if change:
            return
        user = request.user  # the admin's views run for a signed-in staff user
        token, plain = create_token(user, form.cleaned_data["name"], form.cleaned_data["scope_choices"])  # type: ignore[arg-type]
        obj.pk = token.pk
        messages.warning(request, _("Copy this token now; it is not shown again: %(token)s") % {"token": plain})

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            revoke_token(token)


class WebhookEndpointForm(forms.ModelForm):
    event_choices = forms.MultipleChoiceField(
        label=_("events"), choices=[(event, event) for event in EVENTS], widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["event_choices"].initial = sorted(self.instance.event_set)

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.startswith(("http://", "https://")):
            raise forms.ValidationError(_("A webhook address must start with http:// or https://."))
        return url


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    extra = 0
    can_delete = False
    max_num = 0
    fields = ("created_at", "event", "status", "attempts", "last_status_code", "last_error", "sent_at")
    readonly_fields = fields
    ordering = ["-created_at"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ["url", "description", "active", "failures_in_a_row", "disabled_reason"]
    readonly_fields = ["secret", "failures_in_a_row", "disabled_reason", "created_at"]
    inlines = [WebhookDeliveryInline]

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool) -> None:
        obj.events = ",".join(form.cleaned_data["event_choices"])
        if not obj.secret:
            obj.secret = new_secret()
        if obj.active:
            obj.failures_in_a_row, obj.disabled_reason = 0, ""
        super().save_model(request, obj, form, change)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "endpoint", "status", "attempts", "last_status_code", "last_error"]
    list_filter = ["status", "event", "endpoint"]
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields]
    actions = ["resend_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send the selected deliveries again"))
    def resend_selected(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        for row in queryset:
            resend(row)
        messages.success(request, _("%(count)d deliveries are due again.") % {"count": queryset.count()})
