"""Ids in URLs and query strings: never larger than a database integer column holds."""

from __future__ import annotations

from flask import abort, request
from werkzeug.routing import BaseConverter, IntegerConverter

MAX_ID = 2**31 - 1


class BoundedIntConverter(IntegerConverter):
    """<int:...> that never matches a number no database column could hold (404 instead of a 500)."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class RefConverter(BaseConverter):
    """<ref:...>: a row's random reference (16 URL-safe characters); anything else is a 404."""

    regex = r"[A-Za-z0-9_-]{16}"


def int_arg(name: str, default: int | None = None) -> int | None:
    """An integer query parameter; absent gives the default, anything malformed or out of range gives 400."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ID:
        abort(400)
    return int(raw)
