"""One plain-text table of a bench result (the JSON keeps every detail, plans included)."""

from __future__ import annotations

from typing import Any


def _f(value: Any, digits: int = 1) -> str:
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _serving(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["1. Feed serving /feeds/events.ics (gzip) vs the same bytes from memory, same server"]
    lines.append(
        f"   {'events':>6} {'mode':<34} {'c':>3} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9}  n"
    )
    index = {(r["events"], r["mode"], r.get("concurrency")): r for r in rows}
    for row in rows:
        if row["mode"] == "size":
            lines.append(
                f"   {row['events']:>6} body {row['body_bytes']:,} B, gzip {row['gzip_bytes']:,} B"
            )
            continue
        if "skipped" in row:
            lines.append(
                f"   {row['events']:>6} {row['mode']:<34} {row['concurrency']:>3} skipped: {row['skipped']}"
            )
            continue
        ratio = ""
        twin = {"warm": "memory (same bytes)", "304 (If-None-Match)": "memory 304"}.get(row["mode"])
        if twin and (row["events"], twin, row["concurrency"]) in index:
            other = index[(row["events"], twin, row["concurrency"])]
            if "p50_ms" in other:
                ratio = f"  p50 ×{row['p50_ms'] / other['p50_ms']:.2f} of memory"
        lines.append(
            f"   {row['events']:>6} {row['mode']:<34} {row['concurrency']:>3} {_f(row['rps']):>9}"
            f" {_f(row['p50_ms'], 2):>9} {_f(row['p99_ms'], 2):>9}  {row['requests']}{ratio}"
        )
    return lines


def _generation(rows: list[dict[str, Any]]) -> list[str]:
    lines = [
        "2. Feed generation from the database (in process): plain icalendar vs cached fragments"
    ]
    lines.append(
        f"   {'backend':<10} {'events':>7} {'mode':<18} {'query s':>8} {'build s':>8}"
        f" {'total s':>8} {'peak MB':>8} {'cache MB':>8} {'bytes':>12} same  runs"
    )
    for row in rows:
        cache = _f(row["cache_mb"]) if "cache_mb" in row else ""
        lines.append(
            f"   {row['backend']:<10} {row['events']:>7,} {row['mode']:<18}"
            f" {_f(row['query_s'], 3):>8} {_f(row['build_s'], 3):>8} {_f(row['total_s'], 3):>8}"
            f" {_f(row['peak_mb']):>8} {cache:>8} {row['bytes']:>12,}"
            f" {'yes' if row['identical'] else 'NO':<5} {row['runs']}"
        )
    lines.append("   (fragments: query and build interleave, all in 'query s'; warm = the cache")
    lines.append("    of a previous build, as after an edit; 'same' = all three byte-identical)")
    return lines


def _rsvp(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["3. RSVP burst to one tier (time to the answer; correctness line)"]
    for method in dict.fromkeys(row["method"] for row in rows):
        lines.append(f"   {method}")
        lines.append(
            f"   {'backend':<10} {'N':>4} {'cap':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
            "  correctness"
        )
        for row in (r for r in rows if r["method"] == method):
            lines.append(
                f"   {row['backend']:<10} {row['n']:>4} {row['capacity']:>4} {_f(row['p50_ms']):>8}"
                f" {_f(row['p95_ms']):>8} {_f(row['p99_ms']):>8}  {row['correct']}: going"
                f" {row['going']} = capacity {row['capacity']}, waitlist {row['waitlisted']} in"
                f" arrival order {row['waitlist_in_arrival_order']}, errors"
                f" {row['errors'] or 'none'} (waiting though earlier than a going member:"
                f" {row['arrived_before_a_going_member_but_waiting']})"
            )
            if "send_to_handler_p50_ms" in row:
                lines.append(
                    f"   {'':<20} where the time goes: send -> handler p50"
                    f" {_f(row['send_to_handler_p50_ms'])} / p95"
                    f" {_f(row['send_to_handler_p95_ms'])} ms; handler -> answer p50"
                    f" {_f(row['handler_to_answer_p50_ms'])} / p95"
                    f" {_f(row['handler_to_answer_p95_ms'])} ms; told = stored"
                    f" {row['told_as_stored']}; waitlist positions told 1..n once"
                    f" {row['positions_told_unique']}; waitlist in client send order"
                    f" {row['waitlist_in_client_send_order']}"
                )
    return lines


def _baseline(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["3b. Websocket baseline: the same tabs, one handler without the database"]
    for row in rows:
        lines.append(
            f"   {row['backend']:<10} {row['n']:>4} p50 {_f(row['p50_ms'])} p95 {_f(row['p95_ms'])}"
            f" p99 {_f(row['p99_ms'])} ms  ({row['method']})"
        )
    return lines


# Targets of issue 9: a page against a blank Reflex app with the same config.
BYTES_TARGET, INTERACTIVE_TARGET = 1.15, 1.3


def _pages(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["4. Pages in headless Chromium (fresh cache each run)"]
    for row in rows:
        lines.append(
            f"   {row['page']:<6} {row['path']:<22} {row['bytes_gzip']:>10,} B over {row['requests']} requests,"
            f" DOMContentLoaded {row['dom_content_loaded_s']:.2f} s, interactive (data shown)"
            f" {row['interactive_s']:.2f} s, {row['events_stored']:,} events stored, runs {row['runs']}"
        )
        for path, size in row.get("heaviest", [])[:5]:
            lines.append(f"          {size:>9,} B  {path[:90]}")
    blank = next((row for row in rows if row["page"] == "blank"), None)
    if blank is None:
        return lines
    for row in rows:
        if row is blank:
            continue
        size = row["bytes_gzip"] / blank["bytes_gzip"]
        speed = row["interactive_s"] / blank["interactive_s"]
        lines.append(
            f"   {row['page']:<6} vs blank Reflex app: bytes x{size:.2f}"
            f" ({'within' if size <= BYTES_TARGET else 'MISSES'} {BYTES_TARGET}x),"
            f" interactive x{speed:.2f}"
            f" ({'within' if speed <= INTERACTIVE_TARGET else 'MISSES'} {INTERACTIVE_TARGET}x)"
        )
    return lines


def _queries(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["4b. List queries (median ms; full plans in the JSON)"]
    for row in rows:
        scan = "FULL SCAN of a large table" if row["full_scan"] else "indexed"
        if row.get("sorts_events"):
            scan += ", SORTS every matching event"
        lines.append(
            f"   {row['backend']:<10} {row['query']:<44} {_f(row['ms'], 2):>9} ms"
            f"  {row['statements']} statements, {scan}"
        )
        for plan in row["plans"][:3]:
            lines.append(f"      plan: {plan[:300]}")
    return lines


def _mail(rows: list[dict[str, Any]]) -> list[str]:
    lines = ["5. Mail enqueue: an RSVP's transaction without and with its mail (rendered, queued)"]
    for row in rows:
        verdict = "under" if row["within_target"] else "NOT under"
        lines.append(
            f"   {row['backend']:<10} RSVP p50 {_f(row['rsvp_p50_ms'], 2)} ms (p90 {_f(row['rsvp_p90_ms'], 2)}),"
            f" RSVP + {row['variant']:<8} p50 {_f(row['rsvp_mail_p50_ms'], 2)} ms (p90 {_f(row['rsvp_mail_p90_ms'], 2)}):"
            f" the mail adds {_f(row['added_ms'], 2)} ms, {verdict} 5 ms; {row['pairs']} pairs, {row['mails_queued']} mails queued"
        )
    return lines


def render(result: dict[str, Any]) -> str:
    rows = result["rows"]
    out = [f"Tsudoi bench, {result['when']}, {result['machine']}, quick={result['quick']}"]
    for part, draw in (
        ("feed serving", _serving),
        ("feed generation", _generation),
        ("rsvp burst", _rsvp),
        ("websocket baseline", _baseline),
        ("pages", _pages),
        ("list queries", _queries),
        ("mail enqueue", _mail),
    ):
        selected = [row for row in rows if row["part"] == part]
        if selected:
            out += ["", *draw(selected)]
    out += ["", *(f"note: {note}" for note in result["notes"])]
    out.append(f"total {result['seconds']} s")
    return "\n".join(out)
