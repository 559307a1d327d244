"""Where a request came from, read the same way by the audit log, lockout and rate limits."""

from ipaddress import IPv6Address, ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The address of the person's machine, or None when it cannot be told.

    Behind TRUSTED_PROXY_COUNT proxies (a load balancer adds one), the address is the one
    that many hops from the right of X-Forwarded-For; anything further left was written by
    the client and is not trusted. With no proxy, REMOTE_ADDR.
    """
    hops = settings.TRUSTED_PROXY_COUNT
    candidate = request.META.get("REMOTE_ADDR", "")
    if hops:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            candidate = forwarded[-hops]
    try:
        return str(ip_address(candidate))
    except ValueError:
        return None


def client_network(request: HttpRequest) -> str:
    """The client as counted by rate limits: its IPv4 address, or its IPv6 /64 network.

    One IPv6 client usually holds a whole /64 and can pick a fresh address per request, so
    counting addresses would count nothing."""
    address = client_ip(request)
    if address is None:
        return "unknown"
    parsed = ip_address(address)
    if isinstance(parsed, IPv6Address) and parsed.ipv4_mapped is None:
        return str(ip_network(f"{address}/64", strict=False))
    return address
