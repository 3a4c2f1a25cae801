"""Fetch an article URL within limits: a size cap, a total deadline, no redirect inward.

- Size: the body is streamed and the fetch abandoned once it passes `max_bytes` (a declared
  Content-Length over it is refused before any byte is read); decoded bytes are counted, so a
  small compressed body that inflates past the cap is refused too.
- Time: the whole fetch, every redirect and the body included, must finish by `deadline_s`; a
  server that drips bytes is cut off at the first byte received past it, one that goes silent
  after at most `read_timeout_s` (or the time left when its request started, if less).
- Redirects: a redirect to a loopback, link-local, private or otherwise non-public address is
  refused, unless the URL given was itself on such an address (an intranet page may redirect
  within the intranet). Host names are resolved to decide; every address they resolve to must
  be public. The refusing rule is the error's message.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

USER_AGENT = "tradebot-ingest/0.1"
Resolver = Callable[[str], list[str]]


class FetchError(Exception):
    """A URL that was not fetched; the message says which limit or rule refused it."""


@dataclass(frozen=True)
class FetchLimits:
    """How much one URL fetch may read and how long it may take."""

    max_bytes: int = 20_000_000
    deadline_s: float = 60.0
    read_timeout_s: float = 20.0
    max_redirects: int = 10


@dataclass(frozen=True)
class Fetched:
    """A response read within the limits (any status; the caller decides what 4xx means)."""

    url: str  # after redirects
    status: int
    reason: str
    content_type: str
    content: bytes


def resolve_addresses(host: str) -> list[str]:
    """Return every address `host` resolves to (itself when it is an IP literal), [] if none."""
    try:
        return [str(ipaddress.ip_address(host.strip("[]")))]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []  # not resolvable here: the connection fails by itself (or a proxy decides)
    return [str(info[4][0]) for info in infos]


def internal_kind(host: str, resolve: Resolver = resolve_addresses) -> str | None:
    """Name the non-public range `host` reaches ("loopback", "private"...), None if public."""
    for text in resolve(host):
        ip = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if ip.is_loopback:
            return "loopback"
        if ip.is_link_local:
            return "link-local"
        if ip.is_private:
            return "private"
        if not ip.is_global:
            return "non-public"
    return None


class UrlFetcher:
    """An httpx client opened on the first URL only, closed at the end of the run."""

    def __init__(self, limits: FetchLimits | None = None, resolve: Resolver = resolve_addresses):
        self.limits = limits or FetchLimits()
        self._resolve = resolve
        self._client: httpx.Client | None = None

    def __enter__(self) -> UrlFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._client is not None:
            self._client.close()

    def fetch(self, url: str) -> Fetched:
        """Fetch `url`, following redirects the rules allow, within the limits.

        Raises:
            FetchError: a limit or the redirect rule refused it.
            httpx.HTTPError: the server could not be reached or broke the connection.
        """
        deadline = time.monotonic() + self.limits.deadline_s
        request = self._http().build_request("GET", url)
        inward_allowed = internal_kind(request.url.host, self._resolve) is not None
        for _ in range(self.limits.max_redirects + 1):
            response = self._send(request, deadline)
            try:
                if response.next_request is None:
                    return self._read(response, deadline)
                request = response.next_request
            finally:
                response.close()
            self._check_redirect(request.url, inward_allowed)
        raise FetchError(f"more than {self.limits.max_redirects} redirects")

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                follow_redirects=False,  # each hop is checked in `fetch`
                headers={"User-Agent": USER_AGENT},
            )
        return self._client

    def _send(self, request: httpx.Request, deadline: float) -> httpx.Response:
        left = self._time_left(deadline)
        timeout = httpx.Timeout(min(self.limits.read_timeout_s, left))
        request.extensions["timeout"] = timeout.as_dict()
        try:
            return self._http().send(request, stream=True)
        except httpx.TimeoutException as exc:
            if time.monotonic() >= deadline - 0.01:
                raise self._too_slow() from exc
            raise

    def _check_redirect(self, url: httpx.URL, inward_allowed: bool) -> None:
        if url.scheme not in ("http", "https"):
            raise FetchError(f"redirect to {url} refused: only http(s) URLs are followed")
        if inward_allowed:
            return
        kind = internal_kind(url.host, self._resolve)
        if kind is not None:
            raise FetchError(
                f"redirect to {url} refused: {url.host} is a {kind} address, and only a URL "
                "that is itself on such an address may lead to one"
            )

    def _read(self, response: httpx.Response, deadline: float) -> Fetched:
        cap = self.limits.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise self._too_large()
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > cap:
                    raise self._too_large()
                if time.monotonic() > deadline:
                    raise self._too_slow()
                chunks.append(chunk)
        except httpx.TimeoutException as exc:
            if time.monotonic() >= deadline - 0.01:
                raise self._too_slow() from exc
            raise
        return Fetched(
            url=str(response.url),
            status=response.status_code,
            reason=response.reason_phrase,
            content_type=response.headers.get("content-type", ""),
            content=b"".join(chunks),
        )

    def _time_left(self, deadline: float) -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise self._too_slow()
        return left

    def _too_large(self) -> FetchError:
        return FetchError(f"response larger than the {self.limits.max_bytes:,}-byte limit")

    def _too_slow(self) -> FetchError:
        return FetchError(f"not fetched within the {self.limits.deadline_s:g} s deadline")
