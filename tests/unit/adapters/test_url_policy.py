"""The report URL checker refuses SSRF attempts: other hosts, private addresses, tricks, redirects."""

from __future__ import annotations

import pytest

from adapters.csv_http.url_policy import (
    Resolver,
    UrlPolicy,
    UrlRefused,
    check_redirect,
    check_url,
    is_public,
    parse_target,
)

POLICY = UrlPolicy.from_entries(["reports.example.com", "files.example.com:8443"])
PUBLIC_IP = "93.184.216.34"


def resolver(table: dict[str, list[str]]) -> Resolver:
    async def resolve(host: str, port: int) -> list[str]:
        if host not in table:
            raise UrlRefused(f"host {host!r} did not resolve")
        return table[host]

    return resolve


PUBLIC_DNS = resolver({"reports.example.com": [PUBLIC_IP], "files.example.com": [PUBLIC_IP]})


async def test_an_allowed_https_url_passes_normalised() -> None:
    checked = await check_url("HTTPS://Reports.Example.com./vehicles.csv?x=1#frag", POLICY, PUBLIC_DNS)
    assert checked.url == "https://reports.example.com/vehicles.csv?x=1"
    assert checked.addresses == (PUBLIC_IP,)
    checked = await check_url("https://files.example.com:8443/a", POLICY, PUBLIC_DNS)
    assert (checked.host, checked.port) == ("files.example.com", 8443)


@pytest.mark.parametrize(
    "url",
    [
        "http://reports.example.com/a.csv",  # https only
        "ftp://reports.example.com/a.csv",
        "file:///etc/passwd",
        "gopher://reports.example.com/",
        "https://evil.example.com/a.csv",
        "https://reports.example.com.evil.com/a.csv",
        "https://evilreports.example.com/",
        "https://reports.example.com:444/a.csv",  # another port
        "https://files.example.com/a",  # its allowed port only
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.1/",
        "https://127.0.0.1/",
        "http://[::1]/",
        "https://[::ffff:127.0.0.1]/",
        "https://2130706433/",  # 127.0.0.1 in decimal
        "https://0177.0.0.1/",  # octal
        "https://0x7f.0.0.1/",  # hex
        "https://0x7f000001/",
        "https://127.1/",
        "https://reports.example.com@evil.com/",  # userinfo trick
        "https://reports.example.com:443@evil.com/",
        "https://user:pass@reports.example.com/",
        "https://evil.com#@reports.example.com/",
        "https://evil.com\\@reports.example.com/",
        "https://reports.example.com%2F@evil.com/",
        "https://reports.example.com%00.evil.com/",
        "https://reports.exam\u0440le.com/",  # a Cyrillic letter
        "https:// reports.example.com/",
        "https://reports.example.com/a\r\nHost: evil",
        "https:///a.csv",
        "https://reports.example.com:99999/",
        "//reports.example.com/a.csv",
        "reports.example.com/a.csv",
        "https://" + "a" * 3000,
    ],
)
async def test_ssrf_attempts_are_refused(url: str) -> None:
    with pytest.raises(UrlRefused):
        await check_url(url, POLICY, PUBLIC_DNS)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:10.0.0.1",
        "64:ff9b::7f00:1",
        "2002:7f00:1::",
    ],
)
async def test_an_allowed_host_resolving_to_a_private_address_is_refused(address: str) -> None:
    assert not is_public(address)
    with pytest.raises(UrlRefused, match="non-public"):
        await check_url("https://reports.example.com/a", POLICY, resolver({"reports.example.com": [address]}))


async def test_one_private_address_among_public_ones_is_enough_to_refuse() -> None:
    dns = resolver({"reports.example.com": [PUBLIC_IP, "10.0.0.5"]})
    with pytest.raises(UrlRefused):
        await check_url("https://reports.example.com/a", POLICY, dns)


async def test_unresolvable_hosts_are_refused() -> None:
    with pytest.raises(UrlRefused, match="did not resolve"):
        await check_url("https://reports.example.com/a", POLICY, resolver({"reports.example.com": []}))


async def test_hosts_explicitly_allowed_to_be_private_and_http_for_tests() -> None:
    policy = UrlPolicy.from_entries(
        ["127.0.0.1:9000", "sim.local"], allow_http=True, private_ok=["127.0.0.1"]
    )
    dns = resolver({"127.0.0.1": ["127.0.0.1"], "sim.local": ["127.0.0.1"]})
    assert (await check_url("http://127.0.0.1:9000/r.csv", policy, dns)).url == "http://127.0.0.1:9000/r.csv"
    with pytest.raises(UrlRefused):
        await check_url("http://sim.local/r.csv", policy, dns)  # allowed host, but not allowed to be private


async def test_every_redirect_target_is_checked_again() -> None:
    start = "https://reports.example.com/a.csv"
    ok = await check_redirect(start, "/b.csv", POLICY, hop=1, resolve=PUBLIC_DNS)
    assert ok.url == "https://reports.example.com/b.csv"
    for location in (
        "https://evil.example.com/",
        "http://reports.example.com/b.csv",
        "http://169.254.169.254/latest/meta-data/",
        "//127.0.0.1/",
        "https://reports.example.com@127.0.0.1/",
    ):
        with pytest.raises(UrlRefused):
            await check_redirect(start, location, POLICY, hop=1, resolve=PUBLIC_DNS)
    with pytest.raises(UrlRefused, match="redirects"):
        await check_redirect(start, "/b.csv", POLICY, hop=POLICY.max_redirects + 1, resolve=PUBLIC_DNS)


async def test_a_redirect_to_an_allowed_name_that_resolves_privately_is_refused() -> None:
    dns = resolver({"reports.example.com": [PUBLIC_IP], "files.example.com": ["10.0.0.1"]})
    with pytest.raises(UrlRefused, match="non-public"):
        await check_redirect(
            "https://reports.example.com/", "https://files.example.com:8443/", POLICY, hop=1, resolve=dns
        )


@pytest.mark.parametrize(
    "entry", ["https://reports.example.com", "reports.example.com/path", "a b", "0177.0.0.1", ""]
)
def test_malformed_policy_entries_are_refused(entry: str) -> None:
    with pytest.raises(UrlRefused):
        UrlPolicy.from_entries([entry])


def test_parse_needs_no_dns() -> None:
    assert parse_target("https://reports.example.com", POLICY).url == "https://reports.example.com/"


async def test_the_system_resolver_is_used_by_default() -> None:
    policy = UrlPolicy.from_entries(["localhost"])
    with pytest.raises(UrlRefused, match="non-public"):
        await check_url("https://localhost/", policy)
