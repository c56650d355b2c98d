"""Forms of the public audience pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Email"), max_length=254)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    lang = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, required=False)
    # The honeypot: people never see it, form-filling bots fill it in.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    paused = forms.BooleanField(label=_("Paused"), required=False)
