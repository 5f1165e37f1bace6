"""Property tests of the PHP side of the wire: ``parse_query`` never raises and always gives nested
string data; ``encode_query`` → ``parse_query`` is the identity on nested string data; PHP's quirks
hold for any name and value; ``dumps`` writes what ``json_encode`` would."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from hypothesis import given, settings
from hypothesis import strategies as st

from dpo_desktop.sandbox import wire

FUZZ = settings(max_examples=300, deadline=None, database=None, derandomize=True)

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
# Names PHP keeps as they are: no NUL anywhere; a base name with no ".", " " or "[" and no leading
# space; inner names non-empty and without "]".
BASE_NAME = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00 .["), min_size=1, max_size=8)
INNER_NAME = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00]"), min_size=1, max_size=8)
NESTED = st.recursive(TEXT, lambda inner: st.dictionaries(INNER_NAME, inner, min_size=1, max_size=4), max_leaves=12)
PARAMS = st.dictionaries(BASE_NAME, NESTED, max_size=5)
QUERY_PIECES = st.sampled_from(["[", "]", "[]", "=", "&", "%", "%5B", "%5D", "%00", "+", ".", " ", "%3D", "%26",
                                "a", "0", "-1", "05"])
QUERYISH = st.lists(st.one_of(QUERY_PIECES, TEXT), max_size=30).map("".join)


def _well_formed(value: Any) -> bool:
    if isinstance(value, str):
        return True
    return isinstance(value, dict) and all(isinstance(key, str) and _well_formed(item) for key, item in value.items())


@FUZZ
@given(st.one_of(QUERYISH, TEXT, st.binary(max_size=64)))
def test_parse_query_never_raises_and_gives_nested_strings(query):
    parsed = wire.parse_query(query)
    assert _well_formed(parsed)
    assert all(key and not key.startswith(" ") and "." not in key for key in parsed)


@FUZZ
@given(PARAMS)
def test_encode_then_parse_is_the_identity(params):
    assert wire.parse_query(wire.encode_query(params)) == params


@FUZZ
@given(st.lists(TEXT, min_size=1, max_size=8))
def test_lists_come_back_in_order_with_index_keys(values):
    parsed = wire.parse_query(wire.encode_query({"select": values}))["select"]
    assert list(parsed) == [str(index) for index in range(len(values))]
    assert wire.as_list(parsed) == values
    appended = wire.parse_query("&".join(f"select[]={quote(value, safe='')}" for value in values))["select"]
    assert appended == parsed


@FUZZ
@given(BASE_NAME, st.lists(INNER_NAME, max_size=3), TEXT, TEXT)
def test_the_last_assignment_wins(base, path, first, second):
    key = quote(base, safe="") + "".join(f"[{quote(part, safe='')}]" for part in path)
    assert wire.parse_query(f"{key}={quote(first, safe='')}&{key}={quote(second, safe='')}") == \
        wire.parse_query(f"{key}={quote(second, safe='')}")


@FUZZ
@given(st.text(st.sampled_from("ab. "), min_size=1, max_size=8), TEXT)
def test_dots_and_spaces_in_a_base_name_become_underscores(name, value):
    parsed = wire.parse_query(f"{quote(name, safe='')}={quote(value, safe='')}")
    stripped = name.lstrip(" ")
    if not stripped:
        assert parsed == {}
    else:
        assert parsed == {stripped.replace(".", "_").replace(" ", "_"): value}


@FUZZ
@given(st.integers(min_value=1, max_value=80))
def test_nesting_beyond_sixty_four_groups_drops_the_variable(depth):
    parsed = wire.parse_query("a" + "[k]" * depth + "=1")
    assert (parsed != {}) == (depth <= wire.MAX_NESTING)


@FUZZ
@given(st.lists(st.sampled_from(["0", "1", "2", "05", "-1", "7", "x", "²", "99"]), max_size=5))
def test_the_next_index_follows_the_largest_integer_key(keys):
    query = "&".join(f"a[{key}]=v" for key in keys) + "&a[]=new"
    parsed = wire.parse_query(query)["a"]
    integers = [int(key) for key in keys if wire.php_int_key(key) is not None]
    expected = max([-1, *integers]) + 1
    assert parsed[str(expected)] == "new"


JSONISH = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=16,
)


def _no_empty_or_index_maps(value: Any) -> bool:
    if isinstance(value, dict):
        listlike = list(value) == [str(index) for index in range(len(value))]
        return bool(value) and not listlike and all(_no_empty_or_index_maps(item) for item in value.values())
    if isinstance(value, list):
        return all(_no_empty_or_index_maps(item) for item in value)
    return True


@FUZZ
@given(JSONISH)
def test_dumps_writes_json_encode_shapes(value):
    text = wire.dumps(value)
    assert text.isascii() and b"/" not in text.replace(b"\\/", b"")
    decoded = json.loads(text)
    assert decoded == json.loads(json.dumps(wire.php_array(value)))
    assert _no_empty_or_index_maps(decoded)


@FUZZ
@given(st.one_of(TEXT, QUERYISH, st.floats(), st.integers(), st.none(), st.booleans(), JSONISH))
def test_php_intval_never_raises_and_stays_in_64_bits(value):
    number = wire.php_intval(value)
    assert isinstance(number, int) and -(2**63) <= number < 2**63
