"""Health for load balancers and supervisors (`/healthz`, `/readyz`), and Prometheus metrics (`/metrics`)."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache

from techissue.audience.views import client_ip
from techissue.ops.observe import prometheus, readiness_problems, snapshot


@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. (It touches no database: a database outage must not restart web processes.)"""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers and every migration is applied."""
    problems = readiness_problems()
    if problems:
        return HttpResponse("\n".join(problems) + "\n", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ready\n", content_type="text/plain; charset=utf-8")


def metrics_allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network, strict=False) for network in settings.TECHISSUE_METRICS_ALLOW)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, when TECHISSUE_METRICS is on and the client is in TECHISSUE_METRICS_ALLOW."""
    if not settings.TECHISSUE_METRICS:
        raise Http404
    if not metrics_allowed(client_ip(request)):
        return HttpResponse("forbidden\n", status=403, content_type="text/plain; charset=utf-8")
    return HttpResponse(prometheus(snapshot()), content_type="text/plain; version=0.0.4; charset=utf-8")
