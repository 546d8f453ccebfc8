"""Fixtures for the outbox: a controllable SMTP server, a redis-server the test starts and stops, and
`flask --app coord worker` run as a real process on the test's database."""

from __future__ import annotations

import email
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from email import policy
from pathlib import Path

import pytest
import redis

from tests.support import unavailable

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).parent / "flask"
DEADLINE = 60  # seconds: generous, polls end as soon as the condition holds


def wait_for(condition, message: str, timeout: float = DEADLINE):
    """Poll until `condition()` is truthy (and return it); fail with `message` after `timeout` seconds."""
    end = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > end:
            pytest.fail(f"timed out after {timeout} s: {message}")
        time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# SMTP ------------------------------------------------------------------------------------------------


class Mailbox:
    """aiosmtpd handler: accepts, or refuses DATA with `reply`; `on_data` runs before accepting."""

    def __init__(self) -> None:
        self.messages: list = []
        self.attempts: list[float] = []  # monotonic time of each DATA received
        self.reply: str | None = None
        self.on_data = None

    async def handle_DATA(self, server, session, envelope) -> str:
        self.attempts.append(time.monotonic())
        if self.reply:
            return self.reply
        if self.on_data is not None:
            callback, self.on_data = self.on_data, None
            callback()
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def mailbox():
    from aiosmtpd.controller import Controller

    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    handler.port = controller.port
    yield handler
    controller.stop()


# Redis -----------------------------------------------------------------------------------------------


class RedisServer:
    """A throw-away redis-server on a free port, without persistence: stopping it loses everything."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, f"redis-server on port {self.port} did not start")

    def answers(self) -> bool:
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5)
        try:
            return bool(client.ping())
        except (redis.RedisError, OSError):
            return False
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
            self.process = None


@pytest.fixture
def redis_server(tmp_path):
    if not shutil.which("redis-server"):
        unavailable("redis-server is not installed (apt-get install redis-server)")
    directory = tmp_path / "redis"
    directory.mkdir()
    server = RedisServer(directory)
    server.start()
    yield server
    server.stop()


# The worker as a real process -------------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


class WorkerProcess:
    """`flask --app coord worker` with the test app's configuration passed as COORD_* variables."""

    def __init__(self, app, log: Path, **overrides) -> None:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("COORD_") and key not in ("DATABASE_URL", "REDIS_URL")
        }
        keys = ("SQLALCHEMY_DATABASE_URI", "SQLALCHEMY_ENGINE_OPTIONS", "SECRET_KEY", "MAIL_OUTBOX_DIR")
        keys += ("MAIL_SERVER", "MAIL_PORT", "RATELIMIT_STORAGE_URI")
        keys += tuple(key for key in app.config if key.startswith("NOTIFY_"))
        settings = {key: app.config[key] for key in keys if app.config.get(key) is not None}
        settings.update(overrides)
        for key, value in settings.items():
            env[f"COORD_{key}"] = value if isinstance(value, str) else json.dumps(value)
        env["REDIS_URL"] = app.config["REDIS_URL"]
        env["PYTHONPATH"] = str(ROOT)
        self.log = log
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [str(FLASK), "--app", "coord", "worker"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL the worker, its scheduler and its work horse (which runs in its own process group)."""
        family = [self.process.pid, *descendants(self.process.pid)]
        for pid in family:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        if self.alive:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process.wait(timeout=30)

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_worker(tmp_path):
    started: list[WorkerProcess] = []

    def start(app, **overrides) -> WorkerProcess:
        worker = WorkerProcess(app, tmp_path / f"worker-{len(started)}.log", **overrides)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        if worker.alive:
            worker.kill()
        worker.process.wait(timeout=30)
