"""The compact JSON of big reports (orjson) is, to the byte, what the standard library writes."""

from __future__ import annotations

import json

from connect_gate.serialize import compact_json

# Every ASCII character (controls, quotes, backslash, DEL), the Latin-1 controls, the line and
# paragraph separators, a byte-order mark, an emoji outside the BMP, a `</script>` and a `##[`.
NASTY = "".join(map(chr, range(0x80))) + "\x85\x9f é ñ \u2028\u2029\ufeff 😀 </script> ##[error] ::x::"


def standard(document: object) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def test_text_of_every_kind_is_escaped_as_json_escapes_it() -> None:
    document = {
        NASTY: [NASTY, {"": ""}, [], {}],
        "numbers": [0, -1, 2**63 - 1, -(2**63)],
        "constants": [None, True, False],
        "nested": {"a": {"b": {"c": [NASTY[i : i + 3] for i in range(0, len(NASTY), 3)]}}},
    }
    assert compact_json(document) == standard(document)


def test_each_character_alone_is_written_as_json_writes_it() -> None:
    for char in NASTY:
        assert compact_json([char]) == standard([char]), repr(char)
