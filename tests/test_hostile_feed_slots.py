"""A feed whose link and text hold the names of the per-reader slots cannot make a reader's mail carry their links.

The attack: an outlet puts the words the email template once used for a reader's unsubscribe and preferences
links into an article's link, title and summary. If personalisation replaced those words anywhere in the mail,
each reader's click on the pick would hand their own unsubscribe and preferences tokens to the outlet.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from techissue.audience.tokens import LINK_MAX_AGE, read_token
from techissue.delivery.tests.conftest import make_readers
from techissue.editions.models import Edition
from tests.hostile import Route, serve

pytestmark = pytest.mark.django_db(transaction=True)

# Every spelling the template engine has used for the slots, and the bare slot names.
BAIT = "x-techissue-slot-unsubscribe-end x-techissue-slot-preferences-end x-techissue-slot-greeting-end"
BAIT_PATH = "/news/x-techissue-slot-unsubscribe-end/x-techissue-slot-preferences-end"


def hostile_feed(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Outlet</title><link>{base}/</link><description>d</description>
<item><title>Chips {BAIT}</title><link>{base}{BAIT_PATH}</link>
<guid>{base}{BAIT_PATH}</guid>
<pubDate>Mon, 02 Mar 2026 07:00:00 +0900</pubDate>
<description>A chip maker opened a fab. {BAIT}</description></item>
</channel></rss>""".encode()


ARTICLE = f"""<html><head><title>Chips</title></head><body><article><h1>Chips</h1>
<p>A chip maker opened a new fab in the south this week, the company said on Monday. {BAIT}</p>
<p>The plant will make memory for phones and servers, and it will employ two thousand people.</p>
</article></body></html>""".encode()


def test_a_feed_cannot_make_a_readers_mail_carry_their_own_links(smtp_server):
    readers = make_readers(3)
    with serve({}) as outlet:
        outlet.routes["/feed.xml"] = Route(hostile_feed(outlet.url("")), "application/rss+xml")
        outlet.routes[BAIT_PATH] = Route(ARTICLE)
        out = StringIO()
        call_command("feeds", "add", outlet.url("/feed.xml"), stdout=out)
        call_command("fetch", "--quiet", stdout=out)
        call_command("curate", stdout=out)
        call_command("edition", "draft", "--size", "3", stdout=out)
        edition = Edition.objects.get()
        assert edition.picks.filter(url__contains="x-techissue-slot-unsubscribe-end").exists(), out.getvalue()
        call_command("edition", "send", str(edition.number), "--wait", "--timeout", "60", stdout=out)

    messages = {received.recipient: received.message for received in smtp_server.recorder.received}
    assert sorted(messages) == sorted(reader.email for reader in readers)
    for reader in readers:
        bodies = [part.get_payload(decode=True).decode() for part in messages[reader.email].walk()
                  if part.get_content_maintype() == "text"]  # fmt: skip
        assert len(bodies) == 2
        for body in bodies:
            # The outlet's link and text come out literally; the reader's own links only where the template put them.
            outlet_links = re.findall(rf"{re.escape(outlet.url(''))}[^\s\"<>]*", body)
            assert outlet_links and all(link.endswith(BAIT_PATH) for link in outlet_links), outlet_links
            assert body.count("x-techissue-slot-greeting-end") == 2
            own = re.findall(rf"{re.escape(settings.SITE_URL)}/(unsubscribe|preferences)/([^/\s\"<>]+)/", body)
            assert {kind for kind, _ in own} == {"unsubscribe", "preferences"}
            assert all(read_token(token, kind, LINK_MAX_AGE) == reader for kind, token in own)
