"""HTTP side of the list benchmark: a gunicorn server on loopback and a bounded load generator.

The load generator is Debian's ``wrk`` (C, light on the two cores it shares with the server)
when it is installed — the harness installs it with apt-get when it can — and otherwise a
bounded aiohttp client. Both keep 16 connections busy for a fixed time and never leave
127.0.0.1.
"""

import asyncio
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    """``gunicorn`` with ``workers`` sync workers serving bench.settings (Peyvand + anchor)."""

    def __init__(self, env: dict, workers: int = 2, log_path: Path | None = None):
        self.port = free_port()
        self.env = {**env, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        self.workers = workers
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        log = open(self.log_path or os.devnull, "ab")
        self._log = log
        self.process = subprocess.Popen(  # noqa: S603 - fixed argv
            [sys.executable, "-m", "gunicorn", "peyvand.config.wsgi:application",
             "--workers", str(self.workers), "--bind", f"{HOST}:{self.port}",
             "--chdir", str(ROOT), "--pythonpath", str(ROOT), "--log-level", "warning",
             "--timeout", "120", "--backlog", "256"],
            env=self.env, stdout=log, stderr=log, cwd=ROOT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see log")
            try:
                status, _body, _ms = get(self.port, "/bench/anchor/contacts")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, bytes, float]:
    """One GET on a fresh connection; returns status, body and milliseconds."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, body, (time.perf_counter() - started) * 1000


def walk_pages(port: int, pages: int, *, api: bool, headers: dict) -> dict:
    """Follow the next-page links ``pages`` deep, one request at a time.

    Returns the paths of every page (for the load to cycle through) and each page's latency.
    """
    paths, latencies = [], []
    path = "/api/v1/contacts?limit=50" if api else "/bench/anchor/contacts"
    for _ in range(6):  # let both workers load their code and open their connections first
        get(port, path, headers)
    for _ in range(pages):
        status, body, ms = get(port, path, headers)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}: {body[:300]!r}")
        data = json.loads(body)
        if len(data["items"]) != 50:
            raise RuntimeError(f"GET {path} gave {len(data['items'])} items, not 50")
        paths.append(path)
        latencies.append(ms)
        if api:
            if not data["next_cursor"]:
                break
            path = f"/api/v1/contacts?limit=50&cursor={data['next_cursor']}"
        else:
            if not data["next"]:
                break
            path = f"/bench/anchor/contacts?before={data['next']}"
    return {"paths": paths, "latencies_ms": latencies}


_WRK_SCRIPT = """
local paths = %(paths)s
local counter = 0
%(headers)s
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format(
    "BENCH_JSON {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"p50_us\\": %%d, "
    .. "\\"p95_us\\": %%d, \\"p99_us\\": %%d, \\"max_us\\": %%d, \\"mean_us\\": %%f, "
    .. "\\"status_errors\\": %%d, \\"connect_errors\\": %%d, \\"read_errors\\": %%d, "
    .. "\\"write_errors\\": %%d, \\"timeouts\\": %%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, summary.errors.status,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"""


def ensure_wrk() -> str | None:
    """Path of ``wrk``; installs Debian's package when missing and we may (root + apt-get)."""
    found = shutil.which("wrk")
    if found or os.environ.get("PEYVAND_BENCH_NO_APT"):
        return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        print("bench: installing Debian's wrk (apt-get install wrk)", file=sys.stderr)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"],  # noqa: S607
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )  # fmt: skip
    return shutil.which("wrk")


def run_load(port: int, paths: list[str], headers: dict, *, connections: int, seconds: float,
             wrk: str | None) -> dict:  # fmt: skip
    """Keep ``connections`` requests in flight for ``seconds``, cycling through ``paths``."""
    if wrk:
        return _run_wrk(wrk, port, paths, headers, connections, seconds)
    return asyncio.run(_run_aiohttp(port, paths, headers, connections, seconds))


def _run_wrk(wrk, port, paths, headers, connections, seconds) -> dict:
    lua_paths = "{" + ", ".join(json.dumps(p) for p in paths) + "}"
    lua_headers = "\n".join(f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}"
                            for k, v in headers.items())  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % {"paths": lua_paths, "headers": lua_headers})
    try:
        threads = min(2, connections)
        completed = subprocess.run(  # noqa: S603
            [wrk, "-t", str(threads), "-c", str(connections), "-d", f"{seconds:.0f}s",
             "--timeout", "10s", "-s", script.name, f"http://{HOST}:{port}/"],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        )  # fmt: skip
    finally:
        os.unlink(script.name)
    line = next(x for x in completed.stdout.splitlines() if x.startswith("BENCH_JSON "))
    raw = json.loads(line[len("BENCH_JSON ") :])
    duration = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("status_errors", "connect_errors", "read_errors",
                                  "write_errors", "timeouts"))  # fmt: skip
    return {
        "tool": "wrk",
        "requests": raw["requests"],
        "seconds": duration,
        "rps": raw["requests"] / duration,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "errors": errors,
        "raw": raw,
    }


async def _run_aiohttp(port, paths, headers, connections, seconds) -> dict:
    import aiohttp

    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    max_requests = int(seconds * 5000)  # bounded in count as well as in time
    counter = 0

    async def worker(session):
        nonlocal errors, counter
        while time.perf_counter() < deadline and counter < max_requests:
            path = paths[counter % len(paths)]
            counter += 1
            started = time.perf_counter()
            try:
                async with session.get(f"http://{HOST}:{port}{path}", headers=headers) as resp:
                    await resp.read()
                    if resp.status != 200:
                        errors += 1
            except aiohttp.ClientError:
                errors += 1
            latencies.append((time.perf_counter() - started) * 1000)

    connector = aiohttp.TCPConnector(limit=connections)
    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(connections)))
    duration = time.perf_counter() - started
    from bench.stats import percentile

    return {
        "tool": "aiohttp",
        "requests": len(latencies),
        "seconds": duration,
        "rps": len(latencies) / duration,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "max_ms": max(latencies, default=0.0),
        "errors": errors,
    }
