"""Credential work (Argon2) runs in its own small pool: a flood of it cannot take the
threads that serve every other handler, and its waiting line is bounded."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher

from community_app.domain import passwords
from community_app.domain.errors import DomainError
from community_app.domain.passwords import MAX_CONCURRENT_HASHES, hash_password, verify_password
from community_app.ui.credential_pool import MAX_WAITING, THREAD_PREFIX, run_credential_work

pytestmark = pytest.mark.unit

Runner = Callable[[Callable[[], str]], Awaitable[str]]


async def _flood_then_probe(run: Runner, jobs: int) -> tuple[bool, list[str]]:
    """Start ``jobs`` blocking credential jobs through ``run``, then ask the default pool
    (where every other handler's blocking work goes) for one small job; report whether
    it ran while the flood still held its threads, and where the flood ran."""
    release = threading.Event()
    threads: list[str] = []

    def credential_job() -> str:
        threads.append(threading.current_thread().name)
        release.wait(timeout=30)  # a bound, in case the test itself is broken
        return "done"

    flood = [asyncio.ensure_future(run(credential_job)) for _ in range(jobs)]
    await asyncio.sleep(0)
    try:
        await asyncio.wait_for(asyncio.to_thread(lambda: None), timeout=5)
        probe_ran = True
    except TimeoutError:
        probe_ran = False
    release.set()
    await asyncio.gather(*flood, return_exceptions=True)
    return probe_ran, threads


def test_a_flood_of_credential_work_leaves_the_default_pool_free() -> None:
    async def pooled(job: Callable[[], str]) -> str:
        return await run_credential_work(job)

    probe_ran, threads = asyncio.run(_flood_then_probe(pooled, MAX_WAITING))

    assert probe_ran
    assert threads and all(name.startswith(THREAD_PREFIX) for name in threads)


def test_control_the_same_flood_through_to_thread_takes_every_default_thread() -> None:
    # What login and password change did before issue 21: the probe cannot run.
    async def unpooled(job: Callable[[], str]) -> str:
        return await asyncio.to_thread(job)

    async def scenario() -> tuple[bool, list[str]]:
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=4))
        return await _flood_then_probe(unpooled, 16)

    probe_ran, _threads = asyncio.run(scenario())

    assert not probe_ran


def test_past_the_waiting_line_callers_are_told_the_server_is_busy() -> None:
    async def scenario() -> list[object]:
        release = threading.Event()

        def job() -> str:
            release.wait(timeout=30)
            return "done"

        waiting = [asyncio.ensure_future(run_credential_work(job)) for _ in range(MAX_WAITING)]
        await asyncio.sleep(0)
        with pytest.raises(DomainError) as busy:
            await run_credential_work(job)
        release.set()
        results: list[object] = list(await asyncio.gather(*waiting))
        return [busy.value.code, *results]

    code, *results = asyncio.run(scenario())

    assert code == "server_busy"
    assert results == ["done"] * MAX_WAITING


class _CountingHasher:
    """The real hasher, counting how many verifications run at the same moment."""

    def __init__(self, real: PasswordHasher) -> None:
        self.real, self.running, self.peak = real, 0, 0
        self.lock = threading.Lock()

    def verify(self, stored_hash: str, password: str) -> bool:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            return self.real.verify(stored_hash, password)
        finally:
            with self.lock:
                self.running -= 1


def test_no_more_than_the_bound_of_argon2_calls_run_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stored = hash_password("tsukiyo-no-kai-77")
    counting = _CountingHasher(passwords._hasher)
    monkeypatch.setattr(passwords, "_hasher", counting)
    threads = [threading.Thread(target=verify_password, args=(stored, "guess")) for _ in range(6)]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert 1 <= counting.peak <= MAX_CONCURRENT_HASHES
