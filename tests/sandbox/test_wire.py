"""The PHP wire format: parse_str rules and json_encode shapes."""

from __future__ import annotations

import json

import pytest

from dpo_desktop.sandbox import wire


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("a=1&b=2", {"a": "1", "b": "2"}),
        ("select[]=ID&select[]=TITLE", {"select": {"0": "ID", "1": "TITLE"}}),
        ("filter[%3EID]=5&filter[CATEGORY_ID]=3", {"filter": {">ID": "5", "CATEGORY_ID": "3"}}),
        ("fields[PHONE][0][VALUE]=112233&fields[PHONE][0][VALUE_TYPE]=WORK",
         {"fields": {"PHONE": {"0": {"VALUE": "112233", "VALUE_TYPE": "WORK"}}}}),
        ("a+b=c+d", {"a_b": "c d"}),  # "+" is a space, and a space in a name becomes "_"
        ("a.b=1", {"a_b": "1"}),
        ("a[b.c]=1", {"a": {"b.c": "1"}}),
        ("a[b]c=1", {"a": {"b": "1"}}),
        ("a[b=1", {"a_b": "1"}),
        ("=x&&b", {"b": ""}),
        ("a=1&a=2", {"a": "2"}),
        ("a[5]=x&a[]=y", {"a": {"5": "x", "6": "y"}}),
        ("date=2024-01-31T12%3A00%3A00%2B03%3A00", {"date": "2024-01-31T12:00:00+03:00"}),
        ("date=12:00:00+03:00", {"date": "12:00:00 03:00"}),  # an unencoded "+" is lost, as on the portal
        ("  a=1", {"a": "1"}),  # leading spaces of a name are dropped
        ("a b[c d]=1", {"a_b": {"c d": "1"}}),  # only the base name is rewritten
        ("a[x][b=1", {"a": {"x": "1"}}),  # an unclosed group after a closed one is ignored
        ("a[b[c]=1", {"a": {"b[c": "1"}}),
        ("a[b]=1&a=2", {"a": "2"}),  # a scalar replaces an array...
        ("a=1&a[b]=2", {"a": {"b": "2"}}),  # ...and an array a scalar
        ("a[05]=x&a[]=y", {"a": {"05": "x", "0": "y"}}),  # "05" is a string key in PHP, not 5
        ("a[-3]=x&a[]=y", {"a": {"-3": "x", "0": "y"}}),
        ("a[²]=x&a[]=y", {"a": {"²": "x", "0": "y"}}),  # not a digit for PHP
        ("a%00b=1&c[x%00y]=2", {"a": "1", "c_x": "2"}),  # a name ends at NUL (leaving "c[x" unclosed)
        ("v=a%00b", {"v": "a\x00b"}),  # a value does not
        ("a=%zz%4", {"a": "%zz%4"}),  # a broken escape stays as it is
        ("[a]=1&%5Bb%5D=2", {}),  # no base name: dropped
        ("filter%5B%3E%3DDATE_MODIFY%5D=x", {"filter": {">=DATE_MODIFY": "x"}}),  # brackets may be encoded
    ],
)
def test_parse_query_follows_php(query, expected):
    assert wire.parse_query(query) == expected


def test_php_array_shapes():
    assert wire.php_array({}) == []
    assert wire.php_array({"0": "a", "1": "b"}) == ["a", "b"]
    assert wire.php_array({"1": "a", "2": "b"}) == {"1": "a", "2": "b"}
    assert wire.php_array({"1": "a", "0": "b"}) == {"1": "a", "0": "b"}
    assert wire.php_array({"x": {}}) == {"x": []}


def test_dumps_escapes_like_php():
    text = wire.dumps({"name": "Анна", "url": "https://a/b"}).decode()
    assert "\\u0410" in text and "https:\\/\\/a\\/b" in text
    assert json.loads(text) == {"name": "Анна", "url": "https://a/b"}


def test_nesting_deeper_than_php_allows_drops_the_whole_variable():
    deep_ok = "a" + "[x]" * 64
    assert wire.parse_query(f"{deep_ok}=1")["a"]
    too_deep = "a" + "[x]" * 65
    # PHP's max_input_nesting_level: the variable is dropped, and what its base name held goes too.
    assert wire.parse_query(f"a[keep]=1&{too_deep}=2&b=3") == {"b": "3"}
    assert wire.parse_query(f"{too_deep}=2&a[again]=1") == {"a": {"again": "1"}}


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12abc", 12), ("1e2", 100), (" -5", -5), ("abc", 0), ("", 0), ("-1", -1), (1.9, 1), (float("inf"), 0),
     ("9" * 30, 2**63 - 1), ("1e400", 0), (True, 1), (None, 0), ({}, 0), ({"a": 1}, 1), ("0x1A", 0), ("+3", 3)],
)
def test_php_intval(value, expected):
    assert wire.php_intval(value) == expected


@pytest.mark.parametrize(
    ("key", "expected"),
    [("0", 0), ("12", 12), ("-3", -3), ("05", None), ("-0", None), (" 1", None), ("1.0", None), ("²", None),
     (str(2**63), None), (str(2**63 - 1), 2**63 - 1), (7, 7)],
)
def test_php_int_key(key, expected):
    assert wire.php_int_key(key) == expected


def test_php_array_keys_and_nesting():
    assert wire.php_array({0: "a", 1: "b"}) == ["a", "b"]
    assert wire.php_array({"a": [{}, {"0": 1}], "b": ({"x": {}},)}) == {"a": [[], [1]], "b": [{"x": []}]}
    assert wire.php_array({"0": "a", "2": "b"}) == {"0": "a", "2": "b"}
    assert wire.php_array({3: "x"}) == {"3": "x"}


def test_shaped_rows_pass_through_unchanged():
    row = wire.Shaped({"ID": "1", "LIST": []})
    assert wire.php_array([row])[0] is row
    assert json.loads(wire.dumps({"rows": [row]})) == {"rows": [{"ID": "1", "LIST": []}]}


def test_encode_query_writes_what_parse_query_reads():
    params = {"filter": {">=DATE_MODIFY": "2024-01-31T12:00:00+03:00", "@ID": [1, 2]},
              "select": ["ID", "UF_*"], "flag": True, "none": None}
    text = wire.encode_query(params)
    assert "%2B03%3A00" in text and "%3E%3D" in text
    assert wire.parse_query(text) == {
        "filter": {">=DATE_MODIFY": "2024-01-31T12:00:00+03:00", "@ID": {"0": "1", "1": "2"}},
        "select": {"0": "ID", "1": "UF_*"}, "flag": "1", "none": "",
    }
