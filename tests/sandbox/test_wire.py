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
