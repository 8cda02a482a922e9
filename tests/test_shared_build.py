"""The browser-test workers share one build: each swaps the backend address in the
build's env chunk for its own (tests/e2e/shared_build.py)."""

from __future__ import annotations

import pytest

from tests.e2e.shared_build import ENV_CHUNK, swap_backend

pytestmark = pytest.mark.unit

# As Reflex 0.10.1 writes .web/env.json into assets/reflex-env-<hash>.js.
CHUNK = (
    "var e={PING:`http://127.0.0.1:34865/ping`,EVENT:`ws://127.0.0.1:34865/_event`,"
    "UPLOAD:`http://127.0.0.1:34865/_upload`,HEALTH:`http://127.0.0.1:34865/_health`,"
    "DOCS:`https://tsudoi.example:34865/x`,TRANSPORT:`websocket`,TEST_MODE:!0};export{e as t};"
)


def test_every_backend_url_moves_to_the_workers_own_backend() -> None:
    swapped = swap_backend(CHUNK, "http://127.0.0.1:34865", "http://127.0.0.1:41000")

    assert "127.0.0.1:34865" not in swapped
    assert "PING:`http://127.0.0.1:41000/ping`" in swapped
    assert "EVENT:`ws://127.0.0.1:41000/_event`" in swapped
    assert "HEALTH:`http://127.0.0.1:41000/_health`" in swapped
    # Another host on the same port is not the backend: left alone.
    assert "DOCS:`https://tsudoi.example:34865/x`" in swapped


def test_the_builders_own_backend_reads_the_chunk_unchanged() -> None:
    assert swap_backend(CHUNK, "http://127.0.0.1:34865", "http://127.0.0.1:34865") == CHUNK


def test_only_the_env_chunk_is_rewritten() -> None:
    assert ENV_CHUNK.search("/assets/reflex-env-WyTOyBRr.js")
    assert not ENV_CHUNK.search("/assets/reflex-env-WyTOyBRr.js.gz")
    assert not ENV_CHUNK.search("/assets/state-Bx1.js")
    assert not ENV_CHUNK.search("/assets/x/../reflex-env-a.js/other")
