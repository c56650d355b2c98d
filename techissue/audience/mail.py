"""The one mail the audience app sends itself: the confirmation link, in the subscriber's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from techissue.audience.links import confirm_url
from techissue.audience.models import Subscriber


def send_confirmation(subscriber: Subscriber) -> None:
    with translation.override(subscriber.language):
        context = {"subscriber": subscriber, "confirm_url": confirm_url(subscriber)}
        subject = render_to_string("audience/mail/confirm_subject.txt", context).strip()
        text = render_to_string("audience/mail/confirm.txt", context)
        html = render_to_string("audience/mail/confirm.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [subscriber.email])
    message.attach_alternative(html, "text/html")
    message.send()
