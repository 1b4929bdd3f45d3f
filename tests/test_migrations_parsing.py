"""Turning migration text into statements and positions: blanking, spans, byte vs character offsets."""

from __future__ import annotations

from connect_gate.migrations.parse import Statement, Unparsable, parse
from connect_gate.migrations.split import statement_spans
from connect_gate.migrations.text import LineIndex, Position, prepare


def spans(text: str) -> list[tuple[str, Position, Position]]:
    index = LineIndex(prepare(text).text)
    return [
        (
            item.kind if isinstance(item, Statement) else "UNPARSABLE",
            index.at_byte(item.start),
            index.last_char_before(item.end),
        )
        for item in parse(index)
    ]


def test_psql_meta_commands_are_blanked_and_columns_stay_put() -> None:
    text = "\\set x 1\n  \\echo hi\nSELECT 1;"
    assert prepare(text).text == " " * 8 + "\n" + " " * 10 + "\nSELECT 1;"


def test_goose_and_dbmate_down_sections_are_blanked_up_to_the_next_up_marker() -> None:
    goose = "-- +goose Up\nSELECT 1;\n-- +goose Down\nDROP TABLE x;\n-- +goose Up\nSELECT 2;"
    assert prepare(goose).text.splitlines() == [
        "-- +goose Up",
        "SELECT 1;",
        " " * 14,
        " " * 13,
        "-- +goose Up",
        "SELECT 2;",
    ]
    dbmate = "-- migrate:up\nSELECT 1;\n-- migrate:down\nDROP TABLE x;"
    assert prepare(dbmate).text.splitlines() == ["-- migrate:up", "SELECT 1;", " " * 15, " " * 13]


def test_columns_count_characters_not_utf8_bytes() -> None:
    index = LineIndex("-- é\nSELECT 'ñandú'; TRUNCATE t;")
    offset = index.data.index(b"TRUNCATE")
    assert offset == 24  # bytes: ñ and ú take two each
    assert index.at_byte(offset) == Position(2, 17)


def test_statement_spans_skip_leading_comments_and_trailing_semicolons() -> None:
    text = "/* a\n b */ -- c\n  SELECT 1 ;  SELECT 'é' ;\n\nUPDATE t\n SET a = 1"
    assert spans(text) == [
        ("SelectStmt", Position(3, 3), Position(3, 10)),
        ("SelectStmt", Position(3, 15), Position(3, 24)),
        ("UpdateStmt", Position(5, 1), Position(6, 10)),
    ]


def test_a_bad_statement_is_one_unparsable_item_and_the_rest_still_parses() -> None:
    text = "SELECT 1;\nSELEC 2;\nSELECT 3;"
    assert spans(text) == [
        ("SelectStmt", Position(1, 1), Position(1, 8)),
        ("UNPARSABLE", Position(2, 1), Position(2, 7)),
        ("SelectStmt", Position(3, 1), Position(3, 8)),
    ]


def test_the_error_points_at_the_token_postgresql_stopped_at_after_non_ascii_text() -> None:
    index = LineIndex("SELECT 'é'; SELECT 1 FROM FROM;")
    bad = [item for item in parse(index) if isinstance(item, Unparsable)]
    assert [(index.at_byte(b.error_at), b.message) for b in bad] == [
        (Position(1, 27), 'syntax error at or near "FROM"')
    ]


def test_an_unterminated_string_swallows_the_rest_of_the_file_as_postgresql_would() -> None:
    assert spans("SELECT 1; SELECT 'abc;\nDROP TABLE t;") == [
        ("SelectStmt", Position(1, 1), Position(1, 8)),
        ("UNPARSABLE", Position(1, 11), Position(2, 12)),
    ]


def test_semicolons_inside_dollar_quotes_and_parentheses_do_not_split_statements() -> None:
    text = "CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2); DO $x$ BEGIN; END $x$; SELEC"
    assert [kind for kind, _, _ in spans(text)] == ["RuleStmt", "DoStmt", "UNPARSABLE"]


def test_the_splitter_ignores_semicolons_that_postgresql_would_ignore() -> None:
    text = (
        "SELECT ';' AS a, E'\\';' AS b, \"x;y\" FROM t; -- c;\n"
        "/* a /* nested; */ still; */ SELECT $$;$$, $q$ $$; $q$, a$b$c FROM u;\n"
        "CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);\n"
        "SELECT 'unterminated; ..."
    )
    pieces = [text[start:stop].strip() for start, stop in statement_spans(text)]
    assert pieces == [
        "SELECT ';' AS a, E'\\';' AS b, \"x;y\" FROM t",
        "-- c;\n/* a /* nested; */ still; */ SELECT $$;$$, $q$ $$; $q$, a$b$c FROM u",
        "CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2)",
        "SELECT 'unterminated; ...",
    ]


def test_many_bad_statements_each_become_one_unparsable_and_the_rest_still_parses() -> None:
    text = "".join(f"SELEC {n};\nSELECT {n};\n" for n in range(50))
    kinds = [kind for kind, _, _ in spans(text)]
    assert kinds == ["UNPARSABLE", "SelectStmt"] * 50
    assert [start.line for kind, start, _ in spans(text) if kind == "UNPARSABLE"] == list(range(1, 100, 2))


def test_an_unterminated_block_comment_is_one_unparsable_statement() -> None:
    assert spans("SELECT 1;\n/* never closed\nDROP TABLE t;") == [
        ("SelectStmt", Position(1, 1), Position(1, 8)),
        ("UNPARSABLE", Position(2, 1), Position(3, 12)),
    ]
