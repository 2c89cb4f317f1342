"""Every measurement on ONE database, in one process that owns that database for the run.

Started by ``bench.run`` with ``DATABASE_URL`` / ``PEYVAND_DATA_DIR`` pointing at a fresh
database; writes its numbers as JSON. Order: migrate → import anchor → Peyvand import (a child
process) → ANALYZE → search-as-you-type → typo search → list API (gunicorn + load).

    python -m bench.suite --csv FILE --workdir DIR --out OUT.json [--only import,list,...]
"""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from bench.memory import TreeMemorySampler

ROOT = Path(__file__).resolve().parent.parent
BENCH_USER = "bench"
TYPEAHEAD_LIMIT = 8  # the top bar's dropdown (web.views.search.DROPDOWN_LIMITS)
TYPO_LIMIT = 10
_FA_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_EN_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True)


# --- setup -------------------------------------------------------------------------------------
def setup_database() -> dict:
    from django.core.management import call_command
    from django.db import connection

    from peyvand.accounts.services import user_create

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    user_create(
        actor=None,
        username=BENCH_USER,
        password="bench-not-a-secret-0",  # noqa: S106 - a throwaway database
        role="admin",
        language="en",
        validate_password_strength=False,
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            version = cursor.execute("select sqlite_version()").fetchone()[0]
        else:
            cursor.execute("show server_version")
            version = cursor.fetchone()[0]
    return {"vendor": connection.vendor, "version": version,
            "migrate_seconds": time.perf_counter() - started}  # fmt: skip


# --- import ------------------------------------------------------------------------------------
def bench_import(csv_path: Path, workdir: Path, *, anchor: bool, profile: bool) -> dict:
    from django.db import connection

    from bench import anchors

    result: dict = {}
    if anchor:
        log("import anchor: raw load of the same CSV")
        if connection.vendor == "sqlite":
            result["anchor"] = anchors.load_sqlite(csv_path, workdir / "anchor.sqlite3")
            (workdir / "anchor.sqlite3").unlink()
            for suffix in ("-wal", "-shm"):
                (workdir / f"anchor.sqlite3{suffix}").unlink(missing_ok=True)
        else:
            result["anchor"] = anchors.load_postgres(csv_path, _libpq_dsn())
        log(f"  anchor: {result['anchor']['seconds']:.1f}s")
    log("import: peyvand import contacts FILE --user bench (child process)")
    out = workdir / "import-result.json"
    argv = [sys.executable, "-m", "bench.import_child", str(csv_path), BENCH_USER, str(out)]
    if profile:
        argv += ["--profile", str(workdir / "import.prof")]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "peyvand.config.settings"}
    started = time.perf_counter()
    with open(workdir / "import.log", "ab") as log_file:
        child = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log_file, stderr=log_file)  # noqa: S603
        with TreeMemorySampler(child.pid) as memory:
            _pid, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if child.returncode != 0:
        tail = (workdir / "import.log").read_text(errors="replace")[-3000:]
        raise RuntimeError(f"the import exited with {child.returncode}:\n{tail}")
    peyvand = json.loads(out.read_text())
    peyvand["process_wall_seconds"] = wall
    # CPU of the import process and of its normalising workers (reaped by it), not the database
    # server's: on a 2-core machine, CPU / 2 is the shortest the import could take in Python
    peyvand["cpu_seconds"] = usage.ru_utime + usage.ru_stime
    peyvand["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes; largest one process
    peyvand["tree_peak_pss_mb"] = memory.peak_pss_kb / 1024 if memory.available else None
    peyvand["tree_peak_rss_mb"] = memory.peak_rss_kb / 1024 if memory.available else None
    peyvand["tree_peak_processes"] = memory.peak_processes
    peyvand["profiled"] = profile
    if profile:
        peyvand["profile_top"] = _profile_top(workdir / "import.prof")
    result["peyvand"] = peyvand
    log(f"  peyvand: {peyvand['seconds']:.1f}s in-process, {wall:.1f}s wall, "
        f"{peyvand['peak_rss_mb']:.0f} MB peak RSS (one process), "
        f"{peyvand['tree_peak_pss_mb'] or 0:.0f} MB peak PSS of "
        f"{peyvand['tree_peak_processes']} processes, job {peyvand['job']}")  # fmt: skip
    return result


def _profile_top(path: Path, count: int = 35) -> str:
    import io
    import pstats

    buffer = io.StringIO()
    pstats.Stats(str(path), stream=buffer).sort_stats("cumulative").print_stats(count)
    buffer.write("\n")
    pstats.Stats(str(path), stream=buffer).sort_stats("tottime").print_stats(count)
    return buffer.getvalue()


def _libpq_dsn() -> str:
    url = os.environ["DATABASE_URL"]
    return url.replace("postgresql://", "postgres://", 1).replace("postgres://", "postgresql://")


def analyze() -> float:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


# --- queries ---------------------------------------------------------------------------------
def sample_contacts(count: int, rng: random.Random, exclude: set[int]) -> list:
    from django.db.models import Max, Min

    from peyvand.customers.models import Contact

    bounds = Contact.objects.aggregate(lo=Min("id"), hi=Max("id"))
    found: dict[int, object] = {}
    for _ in range(20):
        wanted = count - len(found)
        if wanted <= 0:
            break
        ids = {rng.randint(bounds["lo"], bounds["hi"]) for _ in range(wanted * 2)} - exclude
        ids -= set(found)
        qs = Contact.objects.filter(id__in=ids).prefetch_related("emails", "phones")
        for contact in qs:
            if len(found) < count:
                found[contact.pk] = contact
    return sorted(found.values(), key=lambda c: c.pk)


def typeahead_queries(rng: random.Random, exclude: set[int]) -> list[tuple[str, str, object]]:
    """Names typed one character at a time (from two), phone and email fragments."""
    from peyvand.common.persian import to_persian_digits

    queries: list[tuple[str, str, object]] = []
    for contact in sample_contacts(30, rng, exclude):
        exclude.add(contact.pk)
        name = contact.display_name
        for end in range(2, len(name) + 1):
            typed = name[:end]
            if typed[-1] in " \u200c":
                continue
            queries.append(("name prefix", typed, contact))
    people = sample_contacts(200, rng, exclude)
    with_phone = [c for c in people if c.primary_phone.startswith("+98")][:60]
    for contact in with_phone:
        national = "0" + contact.primary_phone[3:]
        shape = rng.random()
        if shape < 0.5:
            fragment = national[: rng.randint(4, len(national))]
        else:
            start = rng.randint(1, len(national) - 5)
            fragment = national[start : start + rng.randint(4, 7)]
        if rng.random() < 0.6:
            fragment = to_persian_digits(fragment)
        queries.append(("phone fragment", fragment, contact))
    with_email = [c for c in people if c.primary_email][:60]
    for contact in with_email:
        local = contact.primary_email.partition("@")[0]
        shape = rng.random()
        if shape < 0.6:
            fragment = local[: rng.randint(3, len(local))]
        elif shape < 0.85:
            fragment = local[rng.randint(1, max(1, len(local) - 4)) :]
        else:
            fragment = contact.primary_email
        queries.append(("email fragment", fragment, contact))
    return queries


def _with_one_typo(rng: random.Random, name: str) -> str | None:
    words = name.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w.replace("\u200c", "")) >= 4]
    if not candidates:
        return None
    index = rng.choice(candidates)
    word = words[index]
    letters = _EN_LETTERS if word[0].lower() in _EN_LETTERS else _FA_LETTERS
    for _ in range(10):
        kind = rng.choice(["swap", "drop", "substitute"])
        at = rng.randrange(1, len(word) - 1)  # people rarely get the first letter wrong
        if kind == "swap" and word[at] != word[at + 1] and "\u200c" not in word[at : at + 2]:
            typo = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        elif kind == "drop" and word[at] != "\u200c":
            typo = word[:at] + word[at + 1 :]
        elif kind == "substitute" and word[at] != "\u200c":
            replacement = rng.choice([c for c in letters if c != word[at].lower()])
            typo = word[:at] + replacement + word[at + 1 :]
        else:
            continue
        words[index] = typo
        return " ".join(words)
    return None


def typo_queries(rng: random.Random, exclude: set[int], count: int = 150) -> list:
    from peyvand.common.persian import search_key

    queries = []
    for contact in sample_contacts(count * 2, rng, exclude):
        typo = _with_one_typo(rng, contact.display_name)
        if typo and search_key(typo) != search_key(contact.display_name):
            queries.append(("typo", typo, contact))
        if len(queries) >= count:
            break
    return queries


# --- search measurements ---------------------------------------------------------------------
def _raw_runner():
    from django.db import connection

    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "sqlite":
        return lambda sql, params: [r[0] for r in raw.execute(sql, params).fetchall()]

    def run(sql, params):
        with raw.cursor() as cursor:
            cursor.execute(sql, params)
            return [r[0] for r in cursor.fetchall()]

    return run


def _names_of(ids: list[int]) -> dict[int, str]:
    from peyvand.customers.models import Contact

    return dict(Contact.objects.filter(pk__in=ids).values_list("pk", "display_name"))


def measure_search(queries: list, *, limit: int, typo: bool, budget_seconds: float) -> dict:
    """Time contact_search and the raw anchor on every query, alternating which goes first."""
    from django.db import connection

    from bench import anchors
    from bench.stats import summary
    from peyvand.accounts.models import User
    from peyvand.common.persian import search_key
    from peyvand.customers.selectors import contact_search
    from peyvand.customers.selectors.search import _plan

    actor = User.objects.get(username=BENCH_USER)
    raw = _raw_runner()
    vendor = connection.vendor

    def anchor_sql(query: str):
        tokens, phone_variants = _plan(query)
        tokens = tokens or phone_variants[:1]
        if typo:
            return anchors.typo_sql(vendor, tokens, limit)
        return anchors.prefix_sql(vendor, tokens, limit)

    deadline = time.monotonic() + budget_seconds  # the warm-up counts against the budget
    for _kind, query, _contact in queries[:5]:  # warm caches and lazy imports; not counted
        contact_search(actor=actor, query=query, limit=limit)
        raw(*anchor_sql(query))
    ours: dict[str, list[float]] = {}
    theirs: dict[str, list[float]] = {}
    hits = {"peyvand": 0, "anchor": 0, "peyvand_exact_record": 0, "anchor_exact_record": 0}
    empty = {"peyvand": 0, "anchor": 0}
    done = 0
    slowest: list[tuple[float, str, str]] = []
    for position, (kind, query, contact) in enumerate(queries):
        if time.monotonic() > deadline:
            break
        sql, params = anchor_sql(query)

        def run_ours(query=query):
            started = time.perf_counter()
            found = contact_search(actor=actor, query=query, limit=limit)
            return (time.perf_counter() - started) * 1000, [c.pk for c in found]

        def run_anchor(sql=sql, params=params):
            started = time.perf_counter()
            found = raw(sql, params)
            return (time.perf_counter() - started) * 1000, found

        if position % 2:
            their_ms, their_ids = run_anchor()
            our_ms, our_ids = run_ours()
        else:
            our_ms, our_ids = run_ours()
            their_ms, their_ids = run_anchor()
        slowest.append((our_ms, kind, query))
        ours.setdefault(kind, []).append(our_ms)
        theirs.setdefault(kind, []).append(their_ms)
        empty["peyvand"] += not our_ids
        empty["anchor"] += not their_ids
        if typo:
            wanted = search_key(contact.display_name)
            names = _names_of(our_ids + their_ids)
            hits["peyvand"] += any(search_key(names.get(i, "")) == wanted for i in our_ids)
            hits["anchor"] += any(search_key(names.get(i, "")) == wanted for i in their_ids)
            hits["peyvand_exact_record"] += contact.pk in our_ids
            hits["anchor_exact_record"] += contact.pk in their_ids
        done += 1
    all_ours = [v for values in ours.values() for v in values]
    all_theirs = [v for values in theirs.values() for v in values]
    result = {
        "queries": done,
        "planned": len(queries),
        "truncated": done < len(queries),
        "limit": limit,
        "peyvand": summary(all_ours),
        "anchor": summary(all_theirs),
        "by_kind": {
            kind: {"peyvand": summary(ours[kind]), "anchor": summary(theirs[kind])} for kind in ours
        },
        "empty_results": empty,
        "examples": [q for _k, q, _c in queries[:: max(1, len(queries) // 12)]][:12],
        "slowest": [{"ms": ms, "kind": k, "query": q} for ms, k, q in sorted(slowest)[-8:][::-1]],
    }
    if typo:
        result["hit_rate"] = {k: v / max(done, 1) for k, v in hits.items()}
    return result


# --- list API --------------------------------------------------------------------------------
def bench_list(workdir: Path, *, seconds: float, pages: int, rounds: int) -> dict:
    from django.db import connection

    from bench import load
    from peyvand.accounts.models import User
    from peyvand.accounts.services import token_create

    actor = User.objects.get(username=BENCH_USER)
    token = token_create(user=actor, name="bench", scope="read").plaintext
    headers = {"Authorization": f"Bearer {token}"}
    env = dict(os.environ)
    if connection.vendor == "postgresql":
        env["PEYVAND_DB_POOL"] = "1"
    connection.close()
    wrk = load.ensure_wrk()
    result: dict = {"tool": "wrk" if wrk else "aiohttp", "connections": 16, "workers": 2,
                    "seconds": seconds, "pages": pages, "rounds": rounds,
                    "db_pool": env.get("PEYVAND_DB_POOL") == "1"}  # fmt: skip
    log(f"list: gunicorn (2 sync workers) + {result['tool']}, 16 connections")
    with load.Server(env, workers=2, log_path=workdir / "gunicorn.log") as server:
        walks = {
            "peyvand": load.walk_pages(server.port, pages, api=True, headers=headers),
            "anchor": load.walk_pages(server.port, pages, api=False, headers={}),
        }
        result["walk"] = {k: {"pages": len(v["paths"]), "latencies_ms": v["latencies_ms"]}
                          for k, v in walks.items()}  # fmt: skip
        runs: dict[str, list[dict]] = {"peyvand": [], "anchor": []}
        for round_number in range(rounds):
            for name in ("peyvand", "anchor") if round_number % 2 == 0 else ("anchor", "peyvand"):
                target_headers = headers if name == "peyvand" else {}
                paths = walks[name]["paths"]
                load.run_load(server.port, paths, target_headers, connections=16, seconds=2,
                              wrk=wrk)  # warm-up, discarded  # fmt: skip
                run = load.run_load(server.port, paths, target_headers, connections=16,
                                    seconds=seconds, wrk=wrk)  # fmt: skip
                runs[name].append(run)
                log(f"  {name}: {run['rps']:.0f} req/s, p50 {run['p50_ms']:.1f} ms, "
                    f"p99 {run['p99_ms']:.1f} ms, errors {run['errors']}")  # fmt: skip
    result["runs"] = runs
    for name, items in runs.items():
        result[name] = max(items, key=lambda r: r["rps"])  # best of the rounds
    # The two targets of one round run back to back and share whatever else loads the machine,
    # so the ratio is taken per round and the median reported.
    ratios = sorted(p["rps"] / a["rps"] for p, a in zip(runs["peyvand"], runs["anchor"],
                                                        strict=True))  # fmt: skip
    result["round_ratios"] = ratios
    result["ratio"] = ratios[len(ratios) // 2] if len(ratios) % 2 else (
        (ratios[len(ratios) // 2 - 1] + ratios[len(ratios) // 2]) / 2
    )  # fmt: skip
    return result


# --- main --------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", type=Path, required=True)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--only", default="import,list,search,typo")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--list-seconds", type=float, default=10)
    parser.add_argument("--list-pages", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--search-budget", type=float, default=120)
    parser.add_argument("--profile-import", action="store_true")
    args = parser.parse_args()
    only = set(args.only.split(","))

    import django

    django.setup()
    result: dict = {"database": setup_database()}
    log(f"{result['database']['vendor']} {result['database']['version']}: migrated")
    result["import"] = bench_import(
        args.csv, args.workdir, anchor="import" in only, profile=args.profile_import
    )
    result["analyze_seconds"] = analyze()
    rng = random.Random(args.seed)  # noqa: S311 - reproducible query sample
    used: set[int] = set()
    if "search" in only:
        queries = typeahead_queries(rng, used)
        log(f"search-as-you-type: {len(queries)} queries")
        result["search"] = measure_search(queries, limit=TYPEAHEAD_LIMIT, typo=False,
                                          budget_seconds=args.search_budget)  # fmt: skip
        log(f"  p95 {result['search']['peyvand']['p95_ms']:.1f} ms vs anchor "
            f"{result['search']['anchor']['p95_ms']:.2f} ms")  # fmt: skip
    if "typo" in only:
        queries = typo_queries(rng, used)
        log(f"typo search: {len(queries)} queries")
        result["typo"] = measure_search(queries, limit=TYPO_LIMIT, typo=True,
                                        budget_seconds=args.search_budget)  # fmt: skip
        log(f"  p95 {result['typo']['peyvand']['p95_ms']:.1f} ms vs anchor "
            f"{result['typo']['anchor']['p95_ms']:.1f} ms, hit rate "
            f"{result['typo']['hit_rate']['peyvand']:.0%}")  # fmt: skip
    if "list" in only:
        result["list"] = bench_list(args.workdir, seconds=args.list_seconds,
                                    pages=args.list_pages, rounds=args.rounds)  # fmt: skip
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1, default=str))


if __name__ == "__main__":
    main()
