"""Fuzz the studio's HTTP API from its own OpenAPI schema, against a real running server.

Hypothesis draws requests for every documented operation (plus the file routes the
schema leaves out): path and query values of every type and size, JSON bodies shaped
like the schema with wrong types and lone surrogates, arbitrary JSON, raw bytes under
any content type, and ``/api/say`` forms with real, truncated and lying WAV files.

Every answer must be a 2xx, or a 4xx whose JSON body has an ``error`` naming what was
wrong: never a 5xx, never a dropped connection. Meanwhile the stream must go on:
``/healthz`` stays 200 and frames keep going out at 30 per second.

    .venv/bin/python benchmarks/fuzz_api.py --requests 2000        # starts its own studio
    .venv/bin/python benchmarks/fuzz_api.py --url http://127.0.0.1:8080 --requests 500
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
import tempfile
import time
import wave
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from talkshow.bench.serving import Served

ROOT = Path(__file__).resolve().parent.parent
# Lone surrogates and control characters included: JSON can carry them, the API must refuse them by name.
TEXT = st.text(st.characters(codec=None), max_size=40) | st.sampled_from(
    ["", " ", "\x00", "\x1b[31m", "🎉", "a" * 5000]
)
NUMBERS = st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.sampled_from([0, 1, -1, 2**63, 2**63 - 1])
JSON = st.recursive(
    st.none() | st.booleans() | NUMBERS | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
MIN_WINDOW_S = 2.0  # the shortest window the stream's frame rate is measured over
PATH_VALUES = NUMBERS.map(str) | TEXT | st.sampled_from(["1", "0", "%00", "..", "live.m3u8", "a" * 400 + ".ts"])


DrawnRequest = tuple[str, str, dict[str, str], bytes | None]  # method, url, headers, body


@dataclass(frozen=True)
class Operation:
    """One documented route: its method, path template, parameters and body schemas."""

    method: str
    path: str
    params: tuple[tuple[str, str, dict[str, Any]], ...] = ()  # (name, where, schema)
    bodies: tuple[tuple[str, dict[str, Any]], ...] = ()  # (content type, schema)


@dataclass
class FuzzReport:
    """What the fuzz sent and what came back."""

    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def operations(openapi: dict[str, Any]) -> list[Operation]:
    """Every operation in the schema, plus the file routes it does not list."""
    found = []
    for path, methods in openapi["paths"].items():
        for method, spec in methods.items():
            params = tuple((p["name"], p["in"], p.get("schema", {})) for p in spec.get("parameters", []))
            content = spec.get("requestBody", {}).get("content", {})
            bodies = tuple((kind, _resolve(openapi, body.get("schema", {}))) for kind, body in content.items())
            found.append(Operation(method.upper(), path, params, bodies))
    for path in ("/hls/{name}", "/static/{name}", "/vendor/swagger-ui/{name}"):
        found.append(Operation("GET", path, (("name", "path", {"type": "string"}),)))
    return found


def _resolve(openapi: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _resolve(openapi, openapi["components"]["schemas"][name])
    resolved = dict(schema)
    if "properties" in schema:
        resolved["properties"] = {k: _resolve(openapi, v) for k, v in schema["properties"].items()}
    if "items" in schema:
        resolved["items"] = _resolve(openapi, schema["items"])
    if "anyOf" in schema:
        resolved["anyOf"] = [_resolve(openapi, option) for option in schema["anyOf"]]
    return resolved


def _like(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values shaped like ``schema`` most of the time, anything JSON the rest."""
    if "anyOf" in schema:
        return st.one_of([_like(option) for option in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "null":
        return st.none()
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        fields = st.fixed_dictionaries({}, optional={k: _like(v) for k, v in props.items()})
        return st.one_of(fields, fields, fields, JSON)
    typed: st.SearchStrategy[Any]
    if kind == "array":
        typed = st.lists(_like(schema.get("items", {})), max_size=5)
    else:
        typed = {"string": TEXT, "integer": NUMBERS, "number": NUMBERS, "boolean": st.booleans()}.get(str(kind), JSON)
    return st.one_of(typed, typed, typed, JSON)


def _wav(rate: int, frames: int, truncate: int = 0, lie_rate: int | None = None) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames * 2))
    data = bytearray(buffer.getvalue())
    if lie_rate is not None:
        data[24:28] = lie_rate.to_bytes(4, "little")
    return bytes(data[: len(data) - truncate] if truncate else data)


CLIPS = st.one_of(
    st.binary(max_size=2048),
    st.builds(_wav, st.sampled_from([8000, 16000, 48000]), st.integers(0, 8000)),
    st.builds(_wav, st.just(16000), st.integers(1, 4000), st.integers(1, 100)),
    st.builds(_wav, st.just(16000), st.integers(1, 400), st.just(0), st.sampled_from([0, 1, 2**31 - 1, 2**32 - 1])),
)


@st.composite
def requests_for(draw: st.DrawFn, op: Operation) -> DrawnRequest:
    """(method, url, headers, body) for one call of ``op``."""
    path, query = op.path, []
    headers: dict[str, str] = {}
    for name, where, schema in op.params:
        if where == "path":
            path = path.replace("{" + name + "}", quote(draw(PATH_VALUES), safe=""))
        elif where == "query" and draw(st.booleans()):
            query.append(f"{quote(name)}={quote(str(draw(_like(schema) | PATH_VALUES)), safe='')}")
        elif where == "header" and draw(st.booleans()):
            value = draw(st.text(st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=80))
            headers[name] = draw(st.sampled_from(["", "Bearer "])) + value
    url = path + ("?" + "&".join(query) if query else "")
    body: bytes | None = None
    shape = draw(st.sampled_from(["schema", "json", "raw", "none"])) if op.method != "GET" else "none"
    declared = [kind for kind, _ in op.bodies]
    if shape == "schema" and "multipart/form-data" in declared:
        cast = st.sampled_from(["duke", "wendell"]) | TEXT  # a real character sometimes, so lines reach the air
        words = st.sampled_from(["Hello there.", "Fuzz is on air!"]) | TEXT
        fields = draw(st.fixed_dictionaries({"character": cast}, optional={"text": words, "emotion": TEXT}))
        clip = draw(st.none() | CLIPS)
        files = {"audio": ("clip.wav", clip, "audio/wav")} if clip is not None else None
        request = httpx.Request("POST", "http://x/", data=_form_safe(fields), files=files)
        headers["Content-Type"] = request.headers.get("Content-Type", "multipart/form-data; boundary=x")
        body = request.read()
    elif shape == "schema" and op.bodies:
        headers["Content-Type"] = "application/json"
        body = json.dumps(draw(_like(op.bodies[0][1]))).encode()
    elif shape == "json":
        headers["Content-Type"] = "application/json"
        body = json.dumps(draw(JSON)).encode()
    elif shape == "raw":
        headers["Content-Type"] = draw(
            st.sampled_from(["text/plain", "application/json", "multipart/form-data; boundary=x", "x/y", ""])
        )
        body = draw(st.binary(max_size=4096))
    return op.method, url, headers, body


def _form_safe(fields: dict[str, str]) -> dict[str, str]:
    # A form field must be encodable as UTF-8 to be sent at all; the lone surrogates go in by JSON.
    return {k: v.encode("utf-8", "replace").decode() for k, v in fields.items()}


def draw_requests(base_url: str, count: int, seed: int = 0) -> list[DrawnRequest]:
    """``count`` requests drawn from the studio's schema at ``base_url``, before any is sent.

    Drawing is the fuzzer's own CPU work; done first, the window that measures the stream holds
    only the requests and their answers, not Hypothesis thinking on the same core.
    """
    drawn: list[DrawnRequest] = []
    with httpx.Client(base_url=base_url, timeout=30) as client:
        # One strategy per operation, built once: building them per draw recurses without end.
        calls = st.one_of([requests_for(op) for op in operations(client.get("/openapi.json").json())])

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],  # every case is kept; no shrinking
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def one(data: st.DataObject) -> None:
        drawn.append(data.draw(calls))

    with _seeded(seed):
        one()
    return drawn


def send_requests(base_url: str, requests: list[DrawnRequest]) -> FuzzReport:
    """Send each request to the studio at ``base_url``; report every bad answer."""
    report = FuzzReport()
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for method, url, headers, body in requests:
            report.requests += 1
            status, problem = _check(client, method, url, headers, body)
            report.statuses[status] += 1
            if problem:
                report.problems.append(problem)
    return report


@contextlib.contextmanager
def _seeded(seed: int) -> Iterator[None]:
    import random

    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


def _check(client: httpx.Client, method: str, url: str, headers: dict[str, str], body: bytes | None) -> tuple[int, str]:
    """(status, problem): the problem is empty for a 2xx or a JSON 4xx with an ``error``."""
    where = f"{method} {url[:120]!r}"
    try:
        response = client.request(method, url, headers=headers, content=body)
    except httpx.HTTPError as exc:
        return 0, f"{where}: connection failed: {type(exc).__name__}: {exc}"
    status = response.status_code
    if status >= 500:
        return status, f"{where}: HTTP {status}: {response.text[:200]}"
    if status >= 400:
        try:
            error = response.json().get("error")
        except (json.JSONDecodeError, AttributeError):
            return status, f"{where}: HTTP {status} without a JSON body: {response.text[:120]!r}"
        if not isinstance(error, str) or not error:
            return status, f"{where}: HTTP {status} without an 'error': {response.text[:120]!r}"
    return status, ""


def stream_frames(client: httpx.Client) -> tuple[int, int, bool]:
    """(frames sent, late frames, healthy) from the studio."""
    status = client.get("/api/status").json()
    return int(status["frames"]), int(status["late_frames"]), client.get("/healthz").status_code == 200


@contextlib.contextmanager
def studio(workdir: Path, width: int = 640, height: int = 360) -> Iterator[str]:
    """`talkshow serve` on a free port (a small frame so the fuzz's own CPU use is what is tested)."""
    show = workdir / "fuzz.toml"
    lambo = (ROOT / "shows" / "lambo.toml").read_text()
    show.write_text(lambo + f"\n[video]\nwidth = {width}\nheight = {height}\n")
    args = [str(show), "--db", str(workdir / "fuzz.sqlite3"), "--hls-dir", str(workdir / "hls")]
    with Served(args, workdir / "studio.log", start_s=60) as served:
        yield served.base


def run(base: str, count: int, seed: int) -> tuple[FuzzReport, dict[str, float]]:
    """Fuzz ``base`` and measure the stream beside it: frames per second, late frames, health."""
    with httpx.Client(base_url=base, timeout=10) as client:
        requests = draw_requests(base, count, seed)
        frames0, late0, _ = stream_frames(client)
        started = time.monotonic()
        report = send_requests(base, requests)
        # 400 requests can take 0.6 s, where one frame is 5% of the rate: the window is held open to at least
        # MIN_WINDOW_S so the rate is not that coarse (late frames, the sharp check, count the storm either way).
        time.sleep(max(0.0, started + MIN_WINDOW_S - time.monotonic()))
        elapsed = time.monotonic() - started
        frames1, late1, healthy = stream_frames(client)
    stream = {
        "seconds": round(elapsed, 1),
        "frames_per_s": round((frames1 - frames0) / elapsed, 2),
        "late_frames": late1 - late0,
        "healthy": float(healthy),
    }
    return report, stream


def main(argv: list[str] | None = None) -> int:
    """Run the fuzz; exit 1 on any bad answer or a disturbed stream."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--url", help="fuzz this running studio instead of starting one")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        base = args.url or stack.enter_context(studio(Path(stack.enter_context(tempfile.TemporaryDirectory()))))
        report, stream = run(base, args.requests, args.seed)
    print(f"requests: {report.requests}")
    print("statuses: " + ", ".join(f"{code}: {n}" for code, n in sorted(report.statuses.items())))
    print(f"bad answers: {len(report.problems)}")
    for problem in report.problems[:20]:
        print("  " + problem)
    print("stream: " + ", ".join(f"{k} {v}" for k, v in stream.items()))
    disturbed = not stream["healthy"] or stream["frames_per_s"] < 29.0
    return 1 if report.problems or disturbed else 0


if __name__ == "__main__":
    sys.exit(main())
