"""The subscribe form refuses list-bombing: too many posts from one IP, or for one address from one IP."""

from __future__ import annotations

import pytest

from techissue.audience import ratelimit

pytestmark = pytest.mark.django_db


def test_it_limits_posts_per_ip(client):
    limit, _window = ratelimit.SUBSCRIBE_PER_IP
    codes = [client.post("/subscribe/", {"email": f"p{i}@example.test"}).status_code for i in range(limit + 2)]
    assert codes[:limit] == [200] * limit and codes[-1] == 429


def test_it_limits_posts_per_address_from_one_ip(client):
    limit, _window = ratelimit.SUBSCRIBE_PER_ADDRESS
    codes = [
        client.post("/subscribe/", {"email": "victim@example.test"}, REMOTE_ADDR="10.0.0.1").status_code
        for _ in range(limit + 1)
    ]
    assert codes[-1] == 429 and codes[0] == 200


def test_many_ips_asking_for_one_address_send_one_mail_an_hour(client, mailoutbox):
    codes = [
        client.post("/subscribe/", {"email": "victim@example.test"}, REMOTE_ADDR=f"10.0.0.{i}").status_code
        for i in range(8)
    ]
    assert set(codes) == {200} and len(mailoutbox) == 1
