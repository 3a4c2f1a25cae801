"""The address rule of URL ingest: which hosts count as inside (loopback, private...)."""

from __future__ import annotations

import pytest

from ingest.fetch import internal_kind


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("[::1]", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6 is checked as the IPv4 address
        ("localhost", "loopback"),  # host names are resolved
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd12:3456::1", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("0.0.0.0", "private"),
        ("100.64.0.1", "non-public"),  # carrier-grade NAT
        ("93.184.215.14", None),
        ("2606:4700::1111", None),
    ],
)
def test_internal_kind_names_the_range(host: str, kind: str | None) -> None:
    assert internal_kind(host) == kind


def test_a_name_is_inside_when_any_address_it_resolves_to_is() -> None:
    def resolve(host: str) -> list[str]:
        return {"mixed.example": ["93.184.215.14", "10.0.0.7"]}.get(host, [])

    assert internal_kind("mixed.example", resolve) == "private"
    assert internal_kind("unknown.example", resolve) is None  # unresolvable: nothing to refuse
