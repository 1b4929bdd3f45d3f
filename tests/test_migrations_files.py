"""Reading migration files as psql reads them: refused files, encodings, NUL bytes, includes."""

from __future__ import annotations

import os
from pathlib import Path

from connect_gate.findings import Location
from connect_gate.mapping_config import MappingConfig, load_export
from connect_gate.migrations.analyse import Analysis, analyse_files

CORPUS = Path(__file__).resolve().parent / "migrations_corpus"


def config() -> MappingConfig:
    return load_export(CORPUS / "connect-export.json")


def findings(analysis: Analysis) -> list[tuple[str, int, str]]:
    return [(f.location.file, f.location.line, f.check_id) for f in analysis.findings if f.location]


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_a_file_that_is_not_utf8_is_a_finding_at_its_line_and_the_rest_is_still_analysed(
    tmp_path: Path,
) -> None:
    bad = write(
        tmp_path / "V1__latin1.sql",
        "SELECT 1;\nSELECT 'café';\nTRUNCATE salesforce.contact;".encode("latin-1"),
    )
    good = write(tmp_path / "V2__ok.sql", b"TRUNCATE salesforce.account;")
    analysis = analyse_files([bad, good], config(), tmp_path)
    assert findings(analysis) == [
        ("V1__latin1.sql", 2, "unreadable-migration"),
        ("V1__latin1.sql", 3, "truncate-mapped-table"),
        ("V2__ok.sql", 1, "truncate-mapped-table"),
    ]
    assert analysis.findings[0].message.startswith("Line 2 is not UTF-8 (invalid continuation byte)")


def test_a_byte_order_mark_is_ignored_as_psql_ignores_it(tmp_path: Path) -> None:
    path = write(tmp_path / "V1__bom.sql", b"\xef\xbb\xbfTRUNCATE salesforce.contact;")
    assert [(f.check_id, f.location) for f in analyse_files([path], config(), tmp_path).findings] == [
        ("truncate-mapped-table", Location("V1__bom.sql", 1, 10, 1, 27))
    ]


def test_a_nul_byte_is_reported_and_what_follows_it_is_still_analysed(tmp_path: Path) -> None:
    path = write(
        tmp_path / "V1__nul.sql", b"SELECT 1;\nSELECT 2\x00junk;\n, 3;\nTRUNCATE salesforce.contact;\n"
    )
    analysis = analyse_files([path], config(), tmp_path)
    assert findings(analysis) == [
        ("V1__nul.sql", 2, "unreadable-migration"),
        ("V1__nul.sql", 4, "truncate-mapped-table"),
    ]
    assert analysis.statements == 3  # SELECT 1; SELECT 2, 3 (as psql joins the lines); TRUNCATE


def test_a_symbolic_link_out_of_the_workspace_is_refused_and_never_read(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    (root / "migrations").mkdir(parents=True)
    secret = write(tmp_path / "secret.sql", b"TRUNCATE salesforce.contact; -- s3cret")
    link = root / "migrations" / "V1__link.sql"
    link.symlink_to(secret)
    analysis = analyse_files([link], config(), root)
    assert findings(analysis) == [("migrations/V1__link.sql", 1, "unreadable-migration")]
    assert "outside the workspace" in analysis.findings[0].message
    assert "s3cret" not in repr(analysis)


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "V1__fifo.sql"
    os.mkfifo(fifo)
    analysis = analyse_files([fifo], config(), tmp_path)  # opening it would block forever
    assert findings(analysis) == [("V1__fifo.sql", 1, "unreadable-migration")]
    assert "FIFO" in analysis.findings[0].message


def test_a_file_name_that_is_not_utf8_is_reported_and_its_content_analysed(tmp_path: Path) -> None:
    path = Path(os.fsdecode(bytes(tmp_path) + b"/V1__caf\xe9.sql"))
    path.write_bytes(b"TRUNCATE salesforce.contact;")
    analysis = analyse_files([path], config(), tmp_path)
    assert findings(analysis) == [
        ("V1__caf\ufffd.sql", 1, "unreadable-migration"),
        ("V1__caf\ufffd.sql", 1, "truncate-mapped-table"),
    ]


def test_includes_are_followed_inside_the_workspace_with_the_search_path_of_that_point(
    tmp_path: Path,
) -> None:
    main = write(
        tmp_path / "db" / "V1__main.sql",
        b"SET search_path TO salesforce;\n\\ir parts/truncate.sql\n\\i db/parts/back.sql\nTRUNCATE account;\n",
    )
    write(tmp_path / "db" / "parts" / "truncate.sql", b"TRUNCATE contact;\n")
    write(tmp_path / "db" / "parts" / "back.sql", b"SET search_path TO public;\n")
    assert findings(analyse_files([main], config(), tmp_path)) == [
        ("db/parts/truncate.sql", 1, "truncate-mapped-table"),
    ]


def test_includes_outside_the_workspace_missing_or_in_a_loop_are_findings_and_not_read(
    tmp_path: Path,
) -> None:
    root = tmp_path / "repo"
    write(tmp_path / "outside.sql", b"TRUNCATE salesforce.contact;")
    main = write(
        root / "V1__main.sql",
        b"\\i ../outside.sql\n\\i /etc/passwd\n\\ir missing.sql\n\\ir V1__main.sql\nSELECT 1;\n",
    )
    analysis = analyse_files([main], config(), root)
    assert [(line, rule) for _, line, rule in findings(analysis)] == [
        (1, "unreadable-migration"),
        (2, "unreadable-migration"),
        (3, "unreadable-migration"),
        (4, "unreadable-migration"),
    ]
    assert "root:" not in repr(analysis)


def test_copy_data_is_skipped_and_backslash_copy_is_analysed_as_the_copy_it_runs(tmp_path: Path) -> None:
    path = write(
        tmp_path / "V1__dump.sql",
        b"COPY public.notes (a, b) FROM stdin;\nDROP TABLE\tsalesforce.account\n\\.\n"
        b"\\copy salesforce.contact (email) from 'contacts.csv' with csv\nSELECT 1;\n",
    )
    analysis = analyse_files([path], config(), tmp_path)
    assert [(f.location.line if f.location else 0, f.check_id) for f in analysis.findings] == [
        (4, "write-to-read-only-mapping"),
    ]
    assert analysis.statements == 3


def test_meta_commands_that_run_generated_sql_or_shell_commands_are_findings(tmp_path: Path) -> None:
    path = write(
        tmp_path / "V1__meta.sql",
        b"SELECT 'DROP TABLE salesforce.account' \\gexec\nSELECT 1 AS n \\gset\n\\! psql -c 'x'\n"
        b"\\o | sh\n\\set ON_ERROR_STOP on\n\\echo done\n",
    )
    analysis = analyse_files([path], config(), tmp_path)
    assert [(line, rule) for _, line, rule in findings(analysis)] == [
        (1, "unanalysable-psql-command"),
        (2, "unanalysable-psql-command"),
        (3, "unanalysable-psql-command"),
        (4, "unanalysable-psql-command"),
    ]
