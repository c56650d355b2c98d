"""`Idempotency-Key` on the API's POSTs: the first answer is kept and replayed; another body under the same key is refused."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from techissue.api.models import IdempotentAnswer
from techissue.api.problems import problem_response
from techissue.api.tokens import check_token

API_PREFIX = "/api/v1/"
MAX_KEY = 200


class IdempotencyMiddleware:
    """Wraps POSTs under /api/v1/ that carry an Idempotency-Key and a valid token (keys are per token)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get("Idempotency-Key", "")
        if request.method != "POST" or not key or not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        if len(key) > MAX_KEY:
            return problem_response(400, _("An Idempotency-Key has at most 200 characters."))
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        token = check_token(bearer) if bearer else None
        if token is None:
            return self.get_response(request)  # the API answers 401 itself
        digest = hashlib.sha256(
            b"%s %s\n%s" % (request.method.encode(), request.get_full_path().encode(), request.body)
        )
        try:
            with transaction.atomic():
                record = IdempotentAnswer.objects.create(
                    token=token, key=key, request_digest=digest.hexdigest(), status=0, body=b"", content_type=""
                )
        except IntegrityError:
            return self._replay(token.pk, key, digest.hexdigest())
        response = self.get_response(request)
        if response.status_code >= 500 or getattr(response, "streaming", False):
            record.delete()  # a failure is not an answer: the client may try again with the same key
            return response
        record.status, record.body = response.status_code, response.content
        record.content_type = response.get("Content-Type", "")
        record.save(update_fields=["status", "body", "content_type"])
        return response

    def _replay(self, token_id: int, key: str, digest: str) -> HttpResponse:
        record = IdempotentAnswer.objects.filter(token_id=token_id, key=key).first()
        if record is None or record.status == 0:
            return problem_response(409, _("A request with this Idempotency-Key is still being answered."))
        if record.request_digest != digest:
            return problem_response(422, _("This Idempotency-Key was used with another request."))
        response = HttpResponse(bytes(record.body), status=record.status, content_type=record.content_type)
        response["Idempotent-Replayed"] = "true"
        return response
