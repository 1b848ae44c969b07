"""The store reliability eval kills a real `selfreview ingest` at a point of its progress read from the ledger,
and the next ingest completes the work: nothing lost, nothing duplicated, nothing stale."""

from __future__ import annotations

import json
from pathlib import Path

from evals import reliability_store_watch as watch
from evals.reliability_store_kills import ingest_kill_points, start
from evals.reliability_store_kit import cli, records, verify, write

ITEMS = 300  # five batches


def test_a_kill_lands_with_a_batch_staged_and_the_rerun_recovers_it(tmp_path: Path) -> None:
    home, source = tmp_path / "home", tmp_path / "items.jsonl"
    write(source, records(ITEMS, 0))
    assert cli(home, "ingest", "jsonl", str(source), "--json").returncode == 0
    write(source, records(ITEMS, 1))

    process = start(home, "ingest", "jsonl", str(source), "--json")
    kill = watch.kill_when(process, home, lambda p: p.new_staged >= 128 and p.pending > 0, ITEMS, revision=1)

    assert kill.mid_run
    assert kill.phase.startswith("marked, ")
    assert "staged" in kill.phase
    left = watch.read(home, revision=1)
    assert left is not None
    assert left.half_done
    assert left.new_stored < ITEMS
    rerun = cli(home, "ingest", "jsonl", str(source), "--json")
    assert rerun.returncode == 0
    assert "written to Chroma" in json.loads(rerun.stdout)["recovered"]
    check = verify(home, ITEMS, 1)
    assert (check["lost"], check["duplicated"], check["stale"]) == (0, 0, 0)


def test_a_process_that_ends_first_is_not_counted_as_killed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    process = start(home, "--version")

    kill = watch.kill_when(process, home, lambda p: False, ITEMS)

    assert not kill.mid_run
    assert kill.phase == "the run had ended"


def test_twenty_ingest_kill_points_run_from_start_up_to_after_the_write() -> None:
    plan = ingest_kill_points(20, ITEMS, to_mark=1.0)
    marked = watch.Progress(dirty=True)
    half = watch.Progress(dirty=True, pending=64, new_staged=192, new_stored=128)
    written = watch.Progress(dirty=False, new_staged=ITEMS, new_stored=ITEMS)

    assert len(plan) == 20
    assert [how for how, _ in plan[:2]] == ["after", "after"]
    assert plan[0][1] < plan[1][1] < 1.0
    middle = [when for _, when in plan[2:18]]
    assert middle[0](marked)
    assert not middle[-1](half)
    # every 20 items: at the mark, staged >= 20, 60, 100, 140, 180 and confirmed >= 40, 80, 120
    assert sum(when(half) for when in middle) == 9
    assert [when(written) for _, when in plan[18:]] == [True, True]
    assert not any(when(half) for _, when in plan[18:])
