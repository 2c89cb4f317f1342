"""``make bench``: Peyvand's figures beside their anchors, measured in one run on the same data.

    .venv/bin/python -m bench.run --size 100000 [--db sqlite|postgres|both]
                                  [--only import,list,search,typo]

1. Generates ``--size`` realistic contacts as a CSV file (``bench.generate``, seeded).
2. For each database, in a child process (``bench.suite``) on a fresh database — SQLite: a file
   in a temporary directory; PostgreSQL: ``peyvand_bench`` on 127.0.0.1:5432, created and dropped
   here — measures the import, search-as-you-type, typo search and the list API, each beside
   its anchor.
3. Prints a markdown table and writes it to ``bench/results/<timestamp>-<size>.md`` with the raw
   numbers and machine info in a ``.json`` beside it.
"""

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.generate import write_csv

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
PG_ADMIN_DSN = os.environ.get("PEYVAND_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
# Another name keeps two runs on one server apart (each drops and creates its database).
PG_DATABASE = os.environ.get("PEYVAND_BENCH_PG_DB", "peyvand_bench")
ALL = ("import", "list", "search", "typo")
# Design targets (docs: DESIGN.md §4), per million rows where they scale.
IMPORT_SECONDS_PER_MILLION = {"sqlite": 40.0, "postgresql": 50.0}
IMPORT_RSS_MB = 1024
COMMIT_ALLOWANCE = 10  # job bookkeeping + duplicate decision + apply: fixed per import
LIST_RATIO = 0.8
LIST_P99_MS = 100.0
SEARCH_P95_MS = 20.0
TYPO_P95_MS = 30.0


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {message}", file=sys.stderr, flush=True)


# --- machine ---------------------------------------------------------------------------------
def machine_info() -> dict:
    info = {
        "cpu_count": os.cpu_count(),
        "cpu_model": "",
        "ram_gb": None,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": None,
        "git_commit": None,
        "git_dirty": None,
        "load_average_at_start": os.getloadavg(),
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu_model"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["ram_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        info["git_commit"] = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607 - git from PATH, like make does
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,  # noqa: S607
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        info["git_dirty"] = bool(status.strip())
    except (OSError, subprocess.CalledProcessError):
        pass
    try:
        import django

        info["django"] = django.get_version()
    except ImportError:
        pass
    return info


# --- PostgreSQL --------------------------------------------------------------------------------
def pg_prepare() -> tuple[str, str]:
    """Create a fresh ``peyvand_bench``; return (DATABASE_URL, server version). Starts nothing."""
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        raise SystemExit(
            f"bench: PostgreSQL is not reachable at {PG_ADMIN_DSN} ({exc}).\n"
            "Start it (e.g. pg_ctlcluster 15 main start) or run with --db sqlite."
        ) from exc
    with admin:
        version = admin.execute("show server_version").fetchone()[0]
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {PG_DATABASE}")
    base = PG_ADMIN_DSN.rsplit("/", 1)[0]
    return f"{base}/{PG_DATABASE}".replace("postgresql://", "postgres://", 1), version


def pg_drop() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


# --- one database ------------------------------------------------------------------------------
def run_suite(db: str, csv_path: Path, workdir: Path, args) -> dict:
    data_dir = workdir / db
    data_dir.mkdir()
    env = {
        **os.environ,
        "PEYVAND_DATA_DIR": str(data_dir),
        "PEYVAND_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "PEYVAND_DEBUG": "0",
        "PEYVAND_LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    env.pop("PEYVAND_DB_POOL", None)
    if db == "postgres":
        env["DATABASE_URL"], _version = pg_prepare()
    else:
        env.pop("DATABASE_URL", None)
    out = data_dir / "suite.json"
    argv = [
        sys.executable, "-m", "bench.suite", "--csv", str(csv_path), "--workdir", str(data_dir),
        "--out", str(out), "--only", ",".join(args.only), "--seed", str(args.seed),
        "--list-seconds", str(args.list_seconds), "--rounds", str(args.rounds),
        "--search-budget", str(args.search_budget),
    ]  # fmt: skip
    if args.profile_import:
        argv.append("--profile-import")
    try:
        subprocess.run(argv, cwd=ROOT, env=env, check=True)  # noqa: S603
        return json.loads(out.read_text())
    finally:
        if db == "postgres" and not args.keep:
            pg_drop()


# --- the table ---------------------------------------------------------------------------------
def _ms(value: float) -> str:
    return f"{value:.1f}" if value >= 1 else f"{value:.2f}"


def _ok(passed: bool | None) -> str:
    return "—" if passed is None else ("pass" if passed else "**fail**")


def table_rows(db: str, size: int, suite: dict) -> list[dict]:
    vendor = suite["database"]["vendor"]
    label = f"{'SQLite' if vendor == 'sqlite' else 'PostgreSQL'} {suite['database']['version']}"
    rows: list[dict] = []
    imp = suite.get("import", {})
    if "anchor" in imp:
        ours, anchor = imp["peyvand"], imp["anchor"]
        job = ours["job"]
        rate = job["rows_checked"] / ours["seconds"]
        anchor_rate = anchor["rows"] / anchor["seconds"]
        limit_s = IMPORT_SECONDS_PER_MILLION[vendor] * size / 1e6
        rows.append({
            "db": label, "work": f"Import {size:,} contacts (CSV → records)",
            "peyvand": f"{ours['seconds']:.1f} s ({rate:,.0f} rows/s); "
                       f"{job['rows_created']:,} created, {job['rows_skipped']:,} duplicates "
                       f"skipped, {job['rows_error']:,} rows with errors",
            "anchor": f"{anchor['seconds']:.1f} s ({anchor_rate:,.0f} rows/s): {anchor['what']}",
            "ratio": f"{ours['seconds'] / anchor['seconds']:.1f}× the time",
            "target": f"≤ {IMPORT_SECONDS_PER_MILLION[vendor]:.0f} s per 1M (≤ {limit_s:.1f} s)",
            "pass": ours["seconds"] <= limit_s,
        })  # fmt: skip
        tree = ours.get("tree_peak_pss_mb")
        memory = tree if tree else ours["peak_rss_mb"]
        rows.append({
            "db": label, "work": "Import: peak memory of the importing processes",
            "peyvand": (f"{tree:.0f} MB PSS over {ours['tree_peak_processes']} processes "
                        f"(sampled); largest one {ours['peak_rss_mb']:.0f} MB RSS") if tree
                       else f"{ours['peak_rss_mb']:.0f} MB RSS (largest process)",
            "anchor": "—",
            "ratio": "—",
            "target": f"≤ {IMPORT_RSS_MB} MB",
            "pass": memory <= IMPORT_RSS_MB,
        })  # fmt: skip
        counts = ours["counts"]
        total = ours["write_transactions"]
        allowed = math.ceil(size / 10_000) + COMMIT_ALLOWANCE
        rows.append({
            "db": label, "work": "Import: write transactions",
            "peyvand": f"{total} ({total / (size / 10_000):.2f} per 10k rows): "
                       f"{counts['data_commits']} row-writing commits + "
                       f"{counts['bookkeeping_commits'] + counts['autocommit_bookkeeping_writes']}"
                       f" job-status writes + {counts['autocommit_data_writes']} other",
            "anchor": "1",
            "ratio": "—",
            "target": f"≤ 1 per 10k rows + {COMMIT_ALLOWANCE} per job (≤ {allowed})",
            "pass": total <= allowed,
        })  # fmt: skip
    if "list" in suite:
        lst = suite["list"]
        ours, anchor = lst["peyvand"], lst["anchor"]
        deepest = lst["walk"]["peyvand"]["pages"]
        ratio = lst["ratio"]
        rows.append({
            "db": label,
            "work": f"List API, 50/page, pages 1–{deepest} by cursor, 16 connections "
                    f"({lst['tool']}, gunicorn 2 workers)",
            "peyvand": f"{ours['rps']:,.0f} req/s; p50/p95/p99 {_ms(ours['p50_ms'])}/"
                       f"{_ms(ours['p95_ms'])}/{_ms(ours['p99_ms'])} ms; errors {ours['errors']}",
            "anchor": f"{anchor['rps']:,.0f} req/s; p50/p95/p99 {_ms(anchor['p50_ms'])}/"
                      f"{_ms(anchor['p95_ms'])}/{_ms(anchor['p99_ms'])} ms (plain values() view)",
            "ratio": f"{ratio:.2f}× the throughput (median of {len(lst['round_ratios'])} "
                     f"rounds)",
            "target": f"≥ {LIST_RATIO}× anchor, p99 ≤ {LIST_P99_MS:.0f} ms",
            "pass": ratio >= LIST_RATIO and ours["p99_ms"] <= LIST_P99_MS and not ours["errors"],
        })  # fmt: skip
    for key, work, limit in (
        ("search", "Search-as-you-type (contact_search, dropdown limit 8)", SEARCH_P95_MS),
        ("typo", "Typo-tolerant name search (one edit, top 10)", TYPO_P95_MS),
    ):
        if key not in suite:
            continue
        s = suite[key]
        ours, anchor = s["peyvand"], s["anchor"]
        extra = extra_anchor = ""
        if key == "typo":
            extra = f"; hit rate {s['hit_rate']['peyvand']:.0%}"
            extra_anchor = f"; hit rate {s['hit_rate']['anchor']:.0%}"
        raw_name = (
            ("raw FTS5 MATCH" if vendor == "sqlite" else "raw pg_trgm LIKE")
            if key == "search"
            else ("raw FTS5 trigram OR, bm25" if vendor == "sqlite" else "raw pg_trgm %")
        )
        truncated = " (time budget hit)" if s["truncated"] else ""
        rows.append({
            "db": label, "work": f"{work}, {s['queries']} queries{truncated}",
            "peyvand": f"p50 {_ms(ours['p50_ms'])} ms, p95 {_ms(ours['p95_ms'])} ms{extra}",
            "anchor": f"p50 {_ms(anchor['p50_ms'])} ms, p95 {_ms(anchor['p95_ms'])} ms "
                      f"({raw_name}){extra_anchor}",
            "ratio": f"{ours['p95_ms'] / anchor['p95_ms']:.1f}× the p95",
            "target": f"p95 ≤ {limit:.0f} ms",
            "pass": ours["p95_ms"] <= limit,
        })  # fmt: skip
    return rows


def render_markdown(size: int, machine: dict, generated: dict, suites: dict, rows: list[dict],
                    started: str) -> str:  # fmt: skip
    lines = [
        f"# Peyvand bench — {size:,} contacts — {started}",
        "",
        f"Machine: {machine['cpu_count']} × {machine['cpu_model'] or 'CPU'}, "
        f"{machine['ram_gb']} GB RAM; Python {machine['python']}, Django "
        f"{machine.get('django')}, SQLite {machine['sqlite']}, PostgreSQL "
        f"{machine['postgresql'] or '—'}; commit {(machine['git_commit'] or '?')[:10]}"
        f"{' (+ uncommitted changes)' if machine['git_dirty'] else ''}.",
        f"Data: {generated['rows']:,} generated rows (seed {generated['seed']}, "
        f"{generated['near_duplicates']:,} near-duplicates, {generated['bytes'] / 1e6:.1f} MB) "
        f"in {generated['seconds']:.1f} s.",
        "",
        "| Database | Work | Peyvand | Anchor (same run, same data) | Ratio | Target | |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [row["db"], row["work"], row["peyvand"], row["anchor"], row["ratio"],
                 row["target"], _ok(row["pass"])]  # fmt: skip
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    lines.append("")
    for db, suite in suites.items():
        details = []
        imp = suite.get("import", {}).get("peyvand")
        if imp:
            phases = ", ".join(f"{k} {v:.1f} s" for k, v in imp["phases"].items())
            details.append(
                f"import: {imp['process_wall_seconds']:.1f} s wall for the whole "
                f"`peyvand import` process ({imp['setup_seconds']:.1f} s start-up"
                + (f", {imp['cpu_seconds']:.1f} s CPU with its workers" if "cpu_seconds" in imp
                   else "")
                + f"); {phases}"
            )  # fmt: skip
        for key in ("search", "typo"):
            if key in suite:
                parts = [
                    f"{kind}: p50 {_ms(v['peyvand']['p50_ms'])} / p95 {_ms(v['peyvand']['p95_ms'])}"
                    f" ms (anchor {_ms(v['anchor']['p50_ms'])} / {_ms(v['anchor']['p95_ms'])})"
                    for kind, v in suite[key]["by_kind"].items()
                ]
                details.append(f"{key} by kind — " + "; ".join(parts))
        if "list" in suite:
            walk = suite["list"]["walk"]["peyvand"]["latencies_ms"]
            anchor_walk = suite["list"]["walk"]["anchor"]["latencies_ms"]
            details.append(
                f"list: one-at-a-time walk of {len(walk)} pages: page 1 {_ms(walk[0])} ms, "
                f"page {len(walk)} {_ms(walk[-1])} ms (anchor {_ms(anchor_walk[0])} / "
                f"{_ms(anchor_walk[-1])} ms); PostgreSQL connection pool: "
                f"{'on' if suite['list']['db_pool'] else 'n/a'}"
            )
        details.append(f"ANALYZE after the import: {suite.get('analyze_seconds', 0):.1f} s")
        lines.append(f"**{db}** — " + " · ".join(details))
        lines.append("")
    lines += [
        "Ratios: times are Peyvand ÷ anchor (lower is better), throughput Peyvand ÷ anchor "
        "(higher is better). Search anchors run the same normalised strings against the same "
        "index without permission filter, ranking or loading the records.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description="Peyvand's benchmarks beside their anchors."
    )
    parser.add_argument("--size", type=int, required=True, help="number of contacts")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--only", default=",".join(ALL),
                        help="comma-separated subset of import,list,search,typo")  # fmt: skip
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--list-seconds", type=float, default=10, help="load time per round")
    parser.add_argument("--rounds", type=int, default=3,
                        help="list load rounds (ratio: median of the rounds)")  # fmt: skip
    parser.add_argument("--search-budget", type=float, default=120,
                        help="seconds per search section before it stops (reported)")  # fmt: skip
    parser.add_argument(
        "--profile-import",
        action="store_true",
        help="run the import under cProfile (slower; prints the top functions)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary files/database")
    args = parser.parse_args(argv)
    args.only = [x.strip() for x in args.only.split(",") if x.strip()]
    unknown = set(args.only) - set(ALL)
    if unknown:
        parser.error(f"--only: unknown {', '.join(sorted(unknown))} (choose from {', '.join(ALL)})")
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]

    started = dt.datetime.now().astimezone()
    machine = machine_info()
    if "postgres" in databases:
        import psycopg

        try:
            with psycopg.connect(PG_ADMIN_DSN, connect_timeout=5) as conn:
                machine["postgresql"] = conn.execute("show server_version").fetchone()[0]
        except psycopg.OperationalError as exc:
            raise SystemExit(
                f"bench: PostgreSQL is not reachable at {PG_ADMIN_DSN} ({exc}).\n"
                "Start it (e.g. pg_ctlcluster 15 main start) or run with --db sqlite."
            ) from exc
    workdir = Path(tempfile.mkdtemp(prefix="peyvand-bench-"))
    try:
        csv_path = workdir / f"contacts-{args.size}.csv"
        log(f"generating {args.size:,} contacts (seed {args.seed}) → {csv_path}")
        generated = write_csv(csv_path, args.size, args.seed)
        log(f"  {generated['bytes'] / 1e6:.1f} MB in {generated['seconds']:.1f}s")
        suites = {}
        for db in databases:
            log(f"=== {db} ===")
            suites[db] = run_suite(db, csv_path, workdir, args)
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    rows = [row for db, suite in suites.items() for row in table_rows(db, args.size, suite)]
    stamp = started.strftime("%Y%m%d-%H%M%S")
    markdown = render_markdown(args.size, machine, generated, suites, rows,
                               started.strftime("%Y-%m-%d %H:%M %Z"))  # fmt: skip
    RESULTS.mkdir(exist_ok=True)
    base = RESULTS / f"{stamp}-{args.size}"
    base.with_suffix(".md").write_text(markdown, encoding="utf-8")
    raw = {"size": args.size, "seed": args.seed, "started": started.isoformat(),
           "argv": sys.argv, "machine": machine, "generated": generated, "suites": suites,
           "rows": rows}  # fmt: skip
    base.with_suffix(".json").write_text(
        json.dumps(raw, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    print(markdown)
    for suite in suites.values():
        top = suite.get("import", {}).get("peyvand", {}).get("profile_top")
        if top:
            print("```\n" + top + "\n```")
    log(f"written {base}.md and .json")


if __name__ == "__main__":
    main()
