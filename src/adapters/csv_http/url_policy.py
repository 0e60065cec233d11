"""Which URLs the service may fetch reports from: allowlisted hosts, public addresses, checked redirects.

Use it for every outbound fetch of a caller-supplied URL (ingest-from-URL), without automatic redirects:

    checked = await check_url(url, policy)
    for hop in range(policy.max_redirects + 1):
        response = await client.get(checked.url, follow_redirects=False)
        if not response.is_redirect:
            break
        checked = await check_redirect(checked.url, response.headers["location"], policy, hop=hop + 1)

A name can resolve differently between the check and the connection (DNS rebinding); a caller that needs
more can connect to `checked.addresses` itself.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Awaitable[list[str]]]

DEFAULT_PORTS = {"https": 443, "http": 80}
MAX_URL_LENGTH = 2048
_NAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)
_NUMERIC_LABEL = re.compile(r"^(0x[0-9a-f]*|[0-9]+)$")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class UrlRefused(ValueError):
    """A URL (or redirect) the policy does not allow; the message says why, never fetch it."""


@dataclass(frozen=True)
class UrlPolicy:
    """Allowed report hosts ("host" or "host:port"), http or not, hosts that may be private (tests)."""

    hosts: frozenset[str] = frozenset()
    allow_http: bool = False
    private_ok: frozenset[str] = frozenset()
    max_redirects: int = 5

    @classmethod
    def from_entries(
        cls, hosts: Iterable[str], *, allow_http: bool = False, private_ok: Iterable[str] = ()
    ) -> UrlPolicy:
        """A policy from configured entries; UrlRefused names a malformed one."""
        return cls(
            hosts=frozenset(_entry(h) for h in hosts),
            allow_http=allow_http,
            private_ok=frozenset(_host(h.lower()) for h in private_ok),
        )


@dataclass(frozen=True)
class CheckedUrl:
    """A URL that passed the policy: normalised, with the addresses its host resolved to."""

    url: str
    host: str
    port: int
    addresses: tuple[str, ...] = ()


def _host(raw: str) -> str:
    host = raw.lower().removesuffix(".")
    if "%" in host:
        raise UrlRefused(f"escapes and zone ids are refused in a host: {raw!r}")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:  # an IPv6 literal
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError:
            raise UrlRefused(f"not a valid IPv6 address: {raw!r}") from None
    if _NUMERIC_LABEL.match(host.rsplit(".", 1)[-1]):
        try:  # only the plain dotted quad: decimal, octal and hex forms mean other hosts to other parsers
            return str(ipaddress.IPv4Address(host))
        except ValueError:
            raise UrlRefused(f"numeric host forms other than a dotted quad are refused: {raw!r}") from None
    if not _NAME.match(host):
        raise UrlRefused(f"not a valid host name: {raw!r}")
    return host


def _entry(raw: str) -> str:
    parts = urlsplit(f"//{raw.strip()}")
    if parts.path or parts.query or parts.fragment or parts.username or not parts.hostname:
        raise UrlRefused(f"a report host is 'host' or 'host:port', got {raw!r}")
    try:
        port = parts.port
    except ValueError:
        raise UrlRefused(f"bad port in report host {raw!r}") from None
    host = _host(parts.hostname)
    return host if port is None else f"{host}:{port}"


def parse_target(url: str, policy: UrlPolicy) -> CheckedUrl:
    """Check a URL's form, scheme, host and port against the policy (no DNS); the normalised URL."""
    if len(url) > MAX_URL_LENGTH or not url.isascii() or any(c.isspace() or c in "\\\x7f" for c in url):
        raise UrlRefused("the URL is too long or has characters a URL must not have")
    if any(ord(c) < 32 for c in url):
        raise UrlRefused("the URL has control characters")
    parts = urlsplit(url)
    schemes = ("https", "http") if policy.allow_http else ("https",)
    if parts.scheme.lower() not in schemes:
        raise UrlRefused(f"only {' or '.join(schemes)} URLs are allowed")
    if "@" in parts.netloc:
        raise UrlRefused("URLs with user information (user@host) are refused")
    if not parts.hostname:
        raise UrlRefused("the URL names no host")
    scheme = parts.scheme.lower()
    host = _host(parts.hostname)
    try:
        explicit_port = parts.port
    except ValueError:
        raise UrlRefused("the URL has an invalid port") from None
    port = explicit_port or DEFAULT_PORTS[scheme]
    if f"{host}:{port}" not in policy.hosts and not (host in policy.hosts and port == DEFAULT_PORTS[scheme]):
        raise UrlRefused(f"host {host!r} (port {port}) is not an allowed report host")
    netloc = f"[{host}]" if ":" in host else host
    if explicit_port is not None:
        netloc += f":{explicit_port}"
    query = f"?{parts.query}" if parts.query else ""
    return CheckedUrl(url=f"{scheme}://{netloc}{parts.path or '/'}{query}", host=host, port=port)


def _embedded_ipv4(ip: IpAddress) -> list[IpAddress]:
    if not isinstance(ip, ipaddress.IPv6Address):
        return []
    found: list[IpAddress] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    if ip in _NAT64:
        found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (also checking IPv4 embedded in IPv6)."""
    ip = ipaddress.ip_address(address)
    return all(
        a.is_global and not (a.is_multicast or a.is_reserved or a.is_link_local or a.is_unspecified)
        for a in [ip, *_embedded_ipv4(ip)]
    )


def check_addresses(target: CheckedUrl, addresses: Iterable[str], policy: UrlPolicy) -> CheckedUrl:
    """Refuse a host that resolves to no address, or to a non-public one unless it may be private."""
    found = tuple(dict.fromkeys(addresses))
    if not found:
        raise UrlRefused(f"host {target.host!r} did not resolve")
    if target.host not in policy.private_ok:
        for address in found:
            try:
                public = is_public(address)
            except ValueError:
                public = False
            if not public:
                raise UrlRefused(f"host {target.host!r} resolves to a non-public address ({address})")
    return CheckedUrl(url=target.url, host=target.host, port=target.port, addresses=found)


async def resolve_host(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host (UrlRefused when it gives none)."""
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UrlRefused(f"host {host!r} did not resolve") from exc
    return [str(info[4][0]).split("%", 1)[0] for info in infos]


async def check_url(url: str, policy: UrlPolicy, resolve: Resolver = resolve_host) -> CheckedUrl:
    """The full check before a fetch: form, scheme, allowlisted host and port, public addresses."""
    target = parse_target(url, policy)
    return check_addresses(target, await resolve(target.host, target.port), policy)


async def check_redirect(
    current_url: str, location: str, policy: UrlPolicy, *, hop: int, resolve: Resolver = resolve_host
) -> CheckedUrl:
    """Check a redirect's target (relative to current_url) exactly like a first URL; limit the hops."""
    if hop > policy.max_redirects:
        raise UrlRefused(f"more than {policy.max_redirects} redirects")
    return await check_url(urljoin(current_url, location.strip()), policy, resolve)
