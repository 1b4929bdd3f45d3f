"""connect_gate.forked: work done by a second process is only an optimisation, never a difference.

Whatever happens to the child (an exception, a signal, a result that cannot be pickled), the
caller gets what running the work in its own process gives; the child prints nothing and does
not outlive an interrupted run. And the migration engine, sharing its files with a second
process, finds exactly what it finds alone, including what one file tells a later one.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from connect_gate import forked
from connect_gate.findings import Status
from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations import analyse

PARENT = os.getpid()


@pytest.fixture(autouse=True)
def _two_cpus() -> None:
    # Every test here is about the second process: a machine with one CPU would not start it.
    assert forked.available(), "these tests need fork, 2 CPUs and no other thread"


def in_child() -> bool:
    return os.getpid() != PARENT


def test_the_work_runs_in_another_process_and_its_result_comes_back() -> None:
    assert forked.start(lambda: (os.getpid(), ["a", 1, {"b": None}])).result()[1] == ["a", 1, {"b": None}]
    assert forked.start(os.getpid).result() != PARENT


def test_a_child_that_raises_leaves_the_work_to_this_process() -> None:
    def work() -> str:
        if in_child():
            raise RuntimeError("only in the child")
        return "done here"

    assert forked.start(work).result() == "done here"


def test_a_child_killed_by_a_signal_leaves_the_work_to_this_process() -> None:
    def work() -> int:
        if in_child():
            os.kill(os.getpid(), signal.SIGKILL)
        return os.getpid()

    assert forked.start(work).result() == PARENT


def test_a_result_that_cannot_be_pickled_is_computed_here() -> None:
    lock = threading.Lock()  # locks do not pickle

    def work() -> tuple[int, threading.Lock]:
        return os.getpid(), lock

    pid, got = forked.start(work).result()
    assert (pid, got) == (PARENT, lock)


def test_an_error_of_the_work_itself_is_raised_here_as_it_would_be_without_a_child() -> None:
    def work() -> None:
        raise ValueError("a user's mistake")

    pending = forked.start(work)
    with pytest.raises(ValueError, match="a user's mistake"):
        pending.result()


def test_the_child_writes_nothing_to_stdout_or_stderr(capfd: pytest.CaptureFixture[str]) -> None:
    def work() -> int:
        print("from the child")
        os.write(2, b"from the child, raw\n")
        return os.getpid()

    assert forked.start(work).result() != PARENT
    assert capfd.readouterr() == ("", "")


def test_with_another_thread_running_nothing_is_forked() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.available()
        assert forked.start(os.getpid).result() == PARENT
    finally:
        stop.set()
        thread.join()


class AlarmError(Exception):
    pass


def test_an_interrupted_wait_kills_the_child() -> None:
    def work() -> int:
        if in_child():
            signal.pause()  # until killed
        return 0

    def interrupt(signum: int, frame: object) -> None:
        raise AlarmError

    pending = forked.start(work)
    child = pending._pid
    assert child is not None
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        with pytest.raises(AlarmError):
            pending.result()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    with pytest.raises(ChildProcessError):  # already reaped: it is gone
        os.waitpid(child, os.WNOHANG)


# --- the migration engine with a second process ---------------------------------------------

REFERENCE = """
CREATE TABLE public.region (id integer PRIMARY KEY);
ALTER TABLE salesforce.account ADD COLUMN region_id integer REFERENCES public.region (id);
"""
CASCADE = "TRUNCATE public.region CASCADE;\n"


@pytest.fixture()
def shared(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[int, int]]]:
    """Share every run of 2+ files, however small; yields the (here, there) file counts of each."""
    monkeypatch.setattr(analyse, "_SHARED_ABOVE", 0)
    splits: list[tuple[int, int]] = []
    halves = analyse._halves

    def recorded(paths: list[Path]) -> tuple[list[Path], list[Path]]:
        here, there = halves(paths)
        splits.append((len(here), len(there)))
        return list(here), list(there)

    monkeypatch.setattr(analyse, "_halves", recorded)
    yield splits


def write(folder: Path, files: dict[str, str]) -> list[Path]:
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return [folder / name for name in files]


def test_a_foreign_key_from_the_first_half_reaches_a_truncate_in_the_second(
    tmp_path: Path, example_config: MappingConfig, shared: list[tuple[int, int]]
) -> None:
    paths = write(tmp_path, {"V1__region.sql": REFERENCE, "V2__reset.sql": CASCADE})
    analysis = analyse.analyse_files(paths, example_config, tmp_path)
    assert (shared, analysis.processes) == ([(1, 1)], 1)  # the later file was analysed again, here
    [finding] = [f for f in analysis.findings if f.check_id == "truncate-cascade-to-mapped-table"]
    assert (finding.location and finding.location.file, finding.status) == ("V2__reset.sql", Status.RED)
    assert "also empties salesforce.account" in finding.message


def test_shared_or_not_the_findings_are_the_same(
    tmp_path: Path, example_config: MappingConfig, shared: list[tuple[int, int]]
) -> None:
    corpus = Path(__file__).parent / "migrations_corpus"
    files = sorted(path for path in corpus.rglob("*.sql") if path.is_file() and not path.is_symlink())
    assert len(files) >= 4
    together = analyse.analyse_files(files, example_config, corpus)
    assert shared and shared[0][1] > 0
    assert together.processes == 2
    apart = [analyse.analyse_files([path], example_config, corpus) for path in files]
    assert together.findings == tuple(f for part in apart for f in part.findings)
    assert together.waived == tuple(w for part in apart for w in part.waived)
    assert together.statements == sum(part.statements for part in apart) > 0


def test_a_child_whose_result_is_not_asked_for_ends_with_the_block() -> None:
    # The work here failed (or was interrupted) before it asked for the child's result.
    def work() -> int:
        if in_child():
            signal.pause()  # until killed
        return 0

    pending = forked.start(work)
    child = pending._pid
    assert child is not None
    with pytest.raises(RuntimeError, match="failed here"), pending:
        raise RuntimeError("failed here")
    with pytest.raises(ChildProcessError):  # already reaped: it is gone
        os.waitpid(child, os.WNOHANG)
