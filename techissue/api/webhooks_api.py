"""/api/v1/webhooks: register, list and remove webhook endpoints (their secret is shown when created)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from pydantic import Field, field_validator

from techissue.api.access import require
from techissue.api.models import WebhookEndpoint
from techissue.api.schemas import ProblemOut, Strict
from techissue.api.webhooks import EVENTS, new_secret

router = Router(tags=["webhooks"])
ERRORS = {400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}


class EndpointIn(Strict):
    url: str = Field(max_length=2000, pattern="^https?://")
    description: str = Field("", max_length=200)
    events: list[str] = Field(min_length=1, max_length=len(EVENTS))

    @field_validator("events")
    @classmethod
    def known(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(EVENTS))
        if unknown:
            raise ValueError(f"unknown events: {', '.join(unknown)}")
        return sorted(set(value))


class EndpointOut(Schema):
    id: int
    url: str
    description: str
    events: list[str]
    active: bool
    disabled_reason: str


class CreatedEndpointOut(EndpointOut):
    secret: str


def _out(endpoint: WebhookEndpoint) -> dict[str, object]:
    return {
        "id": endpoint.pk,
        "url": endpoint.url,
        "description": endpoint.description,
        "events": sorted(endpoint.event_set),
        "active": endpoint.active,
        "disabled_reason": endpoint.disabled_reason,
    }


@router.get("/", response={200: list[EndpointOut], **ERRORS}, summary="The webhook endpoints")
def list_endpoints(request: HttpRequest) -> list[dict[str, object]]:
    require(request, "read", "api.view_webhookendpoint")
    return [_out(endpoint) for endpoint in WebhookEndpoint.objects.all()]


@router.post("/", response={201: CreatedEndpointOut, **ERRORS}, summary="Register an endpoint for some events")
def create_endpoint(request: HttpRequest, payload: EndpointIn) -> Status[dict[str, object]]:
    require(request, "write", "api.add_webhookendpoint")
    # The address guard applies when each call is made (as for the fetcher): a target that resolves to an
    # internal address later is refused then.
    endpoint = WebhookEndpoint.objects.create(
        url=payload.url, description=payload.description, events=",".join(payload.events), secret=new_secret()
    )
    return Status(201, {**_out(endpoint), "secret": endpoint.secret})


@router.delete("/{endpoint_id}", response={204: None, **ERRORS}, summary="Remove an endpoint and its log")
def delete_endpoint(request: HttpRequest, endpoint_id: int) -> Status[None]:
    require(request, "write", "api.delete_webhookendpoint")
    get_object_or_404(WebhookEndpoint, pk=endpoint_id).delete()
    return Status(204, None)
