"""``next`` parameters: Django's unsafe-URL vectors are refused, site paths kept."""

from __future__ import annotations

import pytest

from community_app.domain.urls import safe_next_path

pytestmark = pytest.mark.unit

# From Django's tests of url_has_allowed_host_and_scheme (bad URLs), for a site whose
# own host is "testserver"; every one of them must fall back to "/".
UNSAFE = [
    "http://example.com",
    "http:///example.com",
    "https://example.com",
    "ftp://example.com",
    r"\\example.com",
    r"\\\example.com",
    r"/\\/example.com",
    r"\\\example.com",
    r"\\example.com",
    r"\\//example.com",
    r"/\/example.com",
    r"\/example.com",
    r"/\example.com",
    "http:///example.com",
    r"http:/\//example.com",
    r"http:\/example.com",
    r"http:/\example.com",
    'javascript:alert("XSS")',
    "\njavascript:alert(x)",
    "\x08//example.com",
    r"http://otherserver\@example.com",
    r"http:\\testserver\@example.com",
    r"http://testserver\me:pass@example.com",
    r"http://testserver\@example.com",
    r"http:\\testserver\confirm\me@example.com",
    "http:999999999",
    "ftp:9999999999",
    "\n",
    "http://[2001:cdba:0000:0000:0000:0000:3257:9652/",
    "http://2001:cdba:0000:0000:0000:0000:3257:9652]/",
    "//example.com",
    "///example.com",
    "/%2F/example.com",
    "/%5Cexample.com",
    " /events",
    "/events\t",
    "",
]
SAFE = [
    "/",
    "/events/土曜21時の夜カフェ-2026-11-28",
    "/groups/wlb-night-cafe?tab=members#top",
    "/account",
]


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_next_urls_fall_back_to_the_home_page(url: str) -> None:
    assert safe_next_path(url) == "/"


@pytest.mark.parametrize("url", SAFE)
def test_paths_on_this_site_are_kept(url: str) -> None:
    assert safe_next_path(url) == url


@pytest.mark.parametrize("value", [None, 42, ["/"], {"next": "/"}, "/" + "a" * 5000])
def test_values_that_are_not_short_strings_fall_back(value: object) -> None:
    assert safe_next_path(value) == "/"
