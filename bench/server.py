"""The app gunicorn serves in `make bench`: `bench.server:app()`, configured by the JSON in
BENCH_SERVER_CONFIG (the scratch database, the bench's secret key, a Redis for the feeds)."""

from __future__ import annotations

import json
import os

from flask import Flask

from coord import create_app


def app() -> Flask:
    return create_app(json.loads(os.environ["BENCH_SERVER_CONFIG"]))
