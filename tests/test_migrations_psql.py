"""The proof that the gate reads a migration as psql runs it: run psql, and compare.

A workspace of migration files mixing everything psql treats specially (meta-commands, `\\copy`,
includes inside and outside the workspace, COPY data, `\\gexec`, a byte-order mark, a NUL byte,
bytes that are not UTF-8, statements PostgreSQL rejects, `BEGIN ATOMIC` bodies, dollar quotes) is
run with `psql -v ON_ERROR_STOP=0 -f` against a Connect-shaped database on the real PostgreSQL.
psql's own log (`-L`) records every query it sends. Each statement in the files carries a marker
(`zz01`, ... in a comment, a literal or a name); every query psql sent must sit on lines the gate
analysed as a statement, or on the line of a finding of its own.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from conftest_pg import Database

from connect_gate.mapping_config import MappingConfig
from connect_gate.migrations.analyse import Analysis, analyse_files

MAIN = (
    b"\xef\xbb\xbfSELECT 1 /*zz01*/;\n"  # 1: a byte-order mark, ignored by psql
    b"\\set ON_ERROR_STOP off\n"
    b"SELECT 2 /*zz02*/ \\g\n"
    b"SELECT 3 /*zz03*/ \\echo x \\\\ SELECT 4 /*zz04*/;\n"
    b"COPY public.notes (zz05) FROM stdin; SELECT 5 /*zz05*/;\n"  # 5
    b"DROP TABLE salesforce.account;\n"  # COPY data, not SQL
    b"\\.\n"
    b"\\copy public.notes (zz08) from stdin\n"
    b"TRUNCATE salesforce.contact;\n"
    b"\\.\n"  # 10
    b"\\copy salesforce.contact (zz11) from 'contacts.csv' with csv\n"
    b"\\ir parts/included.sql\n"
    b"SELECT 'SELECT 13 /*zz13*/' \\gexec\n"
    b"SELECT 'x' AS zz14 \\gset\n"
    b"SELEC 15 /*zz15*/; SELECT 16 /*zz16*/;\n"  # 15
    b"CREATE FUNCTION zz17() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;\n"
    b"SELECT $$;$$ /*zz18*/; SELECT 19 /*zz19*/;\n"
    b"SELECT 20 /*zz20*/\x00 junk;\n"  # psql drops ` junk;` and the line break
    b", 21 /*zz21*/;\n"
    b"-- a comment\x00\n"  # 20: psql joins the next line to the comment
    b"SELECT 22 /*zz22*/;\n"
    b"SELECT '\xe9' /*zz23*/;\n"  # Latin-1: PostgreSQL rejects it
    b"SELECT 24 /*zz24*/\n"
    b"\\r\n"
    b"SELECT 25 /*zz25*/;\n"  # 25
    b"SELECT 26 /*zz26*/ \\\\ SELECT 27 /*zz27*/;\n"  # `\\` is an unknown command: the line is dropped
    b"SELECT 28 /*zz28*/;\n"
    b"\\i parts/outside_link.sql\n"
    b"\\i parts/nested.sql\n"
    b"CREATE PROCEDURE zz30() LANGUAGE sql BEGIN ATOMIC INSERT INTO public.notes VALUES ('a;b'); END;\n"  # 30
    b"DO $body$ BEGIN PERFORM 1; END $body$ /*zz31*/;\n"
    b"SELECT 32 /*zz32*/ \\; SELECT 33 /*zz33*/;\n"
    b"SELECT 34 /*zz34*/"  # no `;` at the end of the file: psql still sends it
)
FILES = {
    "contacts.csv": b"someone@example.com\n",
    "parts/included.sql": b"SELECT 41 /*zz41*/;\nSET search_path TO salesforce, public /*zz42*/;\n"
    b"TRUNCATE contact /*zz43*/;\nRESET search_path /*zz44*/;\n",
    "parts/nested.sql": b"SELECT 51 /*zz51*/;\n\\ir ../../missing.sql\n\\ir included.sql\n",
}
OUTSIDE = b"SELECT 61 /*zz61*/;\n"
SETUP = (
    "CREATE TABLE public.notes (zz05 text, zz08 text); ALTER TABLE public.notes OWNER TO {role};"
    "ALTER TABLE salesforce.contact ADD COLUMN zz11 text;"
)
_QUERY = re.compile(rb"\*{9} QUERY \*{10}\n(.*?)\n\*{26}\n", re.DOTALL)
_MARKER = re.compile(rb"zz\d\d")


def workspace(root: Path) -> Path:
    main = root / "repo" / "migrations" / "V1__main.sql"
    for name, data in {
        "migrations/V1__main.sql": MAIN,
        **{f"migrations/{k}": v for k, v in FILES.items()},
    }.items():
        path = root / "repo" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "outside.sql").write_bytes(OUTSIDE)
    (root / "repo" / "migrations" / "parts" / "outside_link.sql").symlink_to(root / "outside.sql")
    return main


def psql_queries(db: Database, main: Path, log: Path) -> list[bytes]:
    """The queries psql sends when it runs `main` from its folder (its `\\i` paths are relative to it)."""
    psql = shutil.which("psql")
    assert psql is not None, "psql is needed for this test (apt-get install postgresql-client-15)"
    result = subprocess.run(
        [
            psql,
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=0",
            "-L",
            str(log),
            "-o",
            "/dev/null",
            "-d",
            db.url,
            "-f",
            main.name,
        ],
        cwd=main.parent,
        capture_output=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    return _QUERY.findall(log.read_bytes())


def marker_lines(root: Path) -> dict[bytes, tuple[str, int]]:
    """Where each marker is written: (file relative to the folder of the migrations, line)."""
    where: dict[bytes, tuple[str, int]] = {}
    for path in sorted(root.rglob("*.sql")):
        if path.is_symlink():
            continue
        for number, line in enumerate(path.read_bytes().split(b"\n"), start=1):
            for marker in _MARKER.findall(line):
                where[marker] = (path.relative_to(root).as_posix(), number)
    return where


def analysed(analysis: Analysis, file: str, line: int) -> bool:
    return any(name == file and first <= line <= last for name, first, last in analysis.analysed)


def flagged(analysis: Analysis, file: str, line: int) -> bool:
    return any(
        f.location is not None
        and f.location.file == file
        and f.location.line <= line <= (f.location.end_line or f.location.line)
        for f in analysis.findings
    )


def covered(analysis: Analysis, lines: list[tuple[str, int]]) -> bool:
    """A query psql sent (from these lines) was analysed as statements, or a finding is on its lines."""
    return all(analysed(analysis, *at) for at in lines) or any(flagged(analysis, *at) for at in lines)


def test_every_statement_psql_runs_is_analysed_or_covered_by_a_finding_on_its_line(
    seeded_db: Database, example_config: MappingConfig, tmp_path: Path
) -> None:
    seeded_db.execute(SETUP.format(role=seeded_db.server.user))
    main = workspace(tmp_path)
    root = main.parent
    queries = psql_queries(seeded_db, main, tmp_path / "psql.log")
    analysis = analyse_files([main], example_config, root, lines=True)

    where = marker_lines(root)
    where[b"zz61"] = ("V1__main.sql", 28)  # outside the workspace: covered by the finding on the `\i`
    unmarked = [query for query in queries if not _MARKER.search(query)]
    assert unmarked == [], f"every statement of the corpus needs a marker: {unmarked}"
    sent = {marker for query in queries for marker in _MARKER.findall(query)}
    missed = [query for query in queries if not covered(analysis, [where[m] for m in _MARKER.findall(query)])]
    assert missed == []
    # The corpus exercises what it means to: psql ran these, the gate saw them.
    assert {b"zz05", b"zz08", b"zz11", b"zz13", b"zz21", b"zz34", b"zz41", b"zz43", b"zz51", b"zz61"} <= sent
    assert not {b"zz22", b"zz27"} & sent  # psql joined zz22 into a comment and dropped zz27's line

    found = sorted((f.location.file, f.location.line, f.check_id) for f in analysis.findings if f.location)
    assert found == [
        (
            "V1__main.sql",
            4,
            "unparsable-statement",
        ),  # `\\echo x \\\\` leaves SELECT 3 SELECT 4 as one statement
        ("V1__main.sql", 11, "write-to-read-only-mapping"),
        ("V1__main.sql", 13, "unanalysable-psql-command"),
        ("V1__main.sql", 14, "unanalysable-psql-command"),
        ("V1__main.sql", 15, "unparsable-statement"),
        ("V1__main.sql", 18, "unreadable-migration"),
        ("V1__main.sql", 20, "unreadable-migration"),
        ("V1__main.sql", 22, "unreadable-migration"),
        ("V1__main.sql", 27, "unparsable-statement"),
        ("V1__main.sql", 28, "unreadable-migration"),
        ("parts/included.sql", 3, "truncate-mapped-table"),
        ("parts/included.sql", 3, "truncate-mapped-table"),
        ("parts/nested.sql", 2, "unreadable-migration"),
    ]
