"""Opaque cursors round-trip their values; anything else is a 422."""

from __future__ import annotations

import base64

import pytest

from rectify_kit.errors import Unprocessable
from rectify_kit.pagination import Page, decode_cursor, encode_cursor


class TestCursor:
    @pytest.mark.parametrize("values", [[1], ["2026-11-25T08:00:00+00:00", "a3f0"], ["整改", None, 3.5], []], ids=repr)
    def test_round_trip(self, values: list[object]) -> None:
        assert decode_cursor(encode_cursor(values)) == values

    def test_cursor_is_url_safe_without_padding(self) -> None:
        cursor = encode_cursor(["??>>", "整改台账"])
        assert set(cursor) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    @pytest.mark.parametrize(
        "garbage",
        ["not base64!", "%%%", base64.urlsafe_b64encode(b'{"a": 1}').decode(), base64.b64encode(b"\xff\xfe").decode()],
    )
    def test_garbage_is_422(self, garbage: str) -> None:
        with pytest.raises(Unprocessable) as caught:
            decode_cursor(garbage)
        assert caught.value.status == 422
        assert caught.value.extra["errors"][0]["field"] == "cursor"

    def test_wrong_number_of_values_is_422(self) -> None:
        with pytest.raises(Unprocessable):
            decode_cursor(encode_cursor([1, 2]), length=3)


class TestPage:
    def test_serialises_items_next_cursor_and_total(self) -> None:
        page = Page[int](items=[1, 2], next_cursor="abc", total=10)
        assert page.model_dump() == {"items": [1, 2], "next_cursor": "abc", "total": 10}
