"""The subscribe form, attacked over HTTP: it relays no chosen text, mails no suppressed address, locks nobody out."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from techissue.audience import ratelimit
from techissue.audience.models import Subscriber
from techissue.audience.tests.helpers import post_form

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE_NAMES = [
    "Win a prize at https://evil.example/claim",
    "<a href='http://evil.example'>click</a>",
    "visit www.evil.example now",
    "evil.example/win",
    "보상 받기 evil.example",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_it_puts_no_chosen_link_or_markup_in_the_mail(live_server, name: str) -> None:
    status, _ = post_form(live_server.url, "/subscribe/", {"email": "victim@example.test", "name": name})

    assert status == 200
    message = mail.outbox[-1]
    texts = [message.body, message.subject, *(html for html, _kind in message.alternatives)]
    for text in texts:
        assert "evil" not in text and "prize" not in text and "보상" not in text
        links = re.findall(r"https?://[^\s\"'<>]+", text)
        assert all(link.startswith("http://127.0.0.1:8000/") for link in links), links
    assert "http://127.0.0.1:8000/subscribe/confirm/" in message.body
    assert Subscriber.objects.get(email="victim@example.test").name == ""


def test_it_keeps_a_plain_name(live_server) -> None:
    post_form(live_server.url, "/subscribe/", {"email": "min@example.test", "name": "김 민지"})
    assert Subscriber.objects.get(email="min@example.test").name == "김 민지"


@pytest.mark.parametrize("status", ["complained", "bounced"])
def test_it_never_mails_a_complained_or_bounced_address(live_server, status: str) -> None:
    Subscriber.objects.create(email="angry@example.test", status=status)

    answer, _ = post_form(live_server.url, "/subscribe/", {"email": "angry@example.test"})

    assert answer == 200  # the same answer as for anyone
    assert mail.outbox == []
    assert Subscriber.objects.get(email="angry@example.test").status == status


def test_a_stranger_cannot_lock_a_person_out(live_server, settings) -> None:
    settings.TECHISSUE_TRUSTED_PROXIES = 1
    limit, _window = ratelimit.SUBSCRIBE_PER_ADDRESS
    attacker = [
        post_form(live_server.url, "/subscribe/", {"email": "victim@example.test"}, forwarded_for="203.0.113.9")[0]
        for _ in range(limit + 2)
    ]
    assert attacker[-1] == 429

    status, _ = post_form(
        live_server.url, "/subscribe/", {"email": "victim@example.test"}, forwarded_for="198.51.100.7"
    )

    assert status == 200
    # One mail in the inbox, however often the stranger asked; its link is the person's way in.
    assert len(mail.outbox) == 1
    link = re.search(r"http://127.0.0.1:8000(/subscribe/confirm/[^\s]+/)", mail.outbox[0].body)[1]  # type: ignore[index]
    post_form(live_server.url, link, {}, forwarded_for="198.51.100.7")
    assert Subscriber.objects.get(email="victim@example.test").status == "active"
