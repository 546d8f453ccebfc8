"""Read iCalendar text with readers that share no code with the `icalendar` package we write it with.

Each reader returns the event instances whose start falls in a UTC window [start, end), after expanding
RRULE/RDATE, removing EXDATEs and replacing overridden occurrences by their RECURRENCE-ID component, as
a list of dicts sorted by (uid, start):

    {"uid": str, "recurrence_id": "YYYY-MM-DDTHH:MM:SSZ" or None, "start": "...Z", "end": "...Z",
     "summary": str, "status": str or None}

recurrence_id is None for a non-recurring event; for an instance of a series it is the original
(unmoved) occurrence start.

- `icaljs_instances`: Mozilla's ical.js (Thunderbird's parser), `parsers/icaljs_instances.mjs` under node.
- `libical_instances`: libical (Evolution, KDE via libical), `parsers/libical_instances.c`, compiled on
  first use into `parsers/build/` (git-ignored).
- `python_instances`: `icalendar` + `recurring-ical-events`. Not independent of `icalendar`, and it
  resolves a known TZID such as America/Toronto from the system tz database, not from the calendar's
  VTIMEZONE: it is the reference for what the instants should be.

ical.js and libical convert local times with the calendar's own VTIMEZONE definitions only, so they
check the VTIMEZONE we write. A parse error, a TZID that no VTIMEZONE defines, a floating or all-day
start raise `ParserError`. A missing node, npm package, C compiler or libical calls
`tests.support.unavailable` (skip outside CI, failure under CI).
"""

from __future__ import annotations

import difflib
import fcntl
import functools
import json
import os
import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path

from tests.support import unavailable

PARSERS_DIR = Path(__file__).resolve().parent / "parsers"
ICALJS_SCRIPT = PARSERS_DIR / "icaljs_instances.mjs"
LIBICAL_SOURCE = PARSERS_DIR / "libical_instances.c"
LIBICAL_BINARY = PARSERS_DIR / "build" / "libical_instances"
TIMEOUT = 60

Instance = dict


class ParserError(Exception):
    """A reader refused the calendar; the message is the reader's own (its stderr)."""

    def __init__(self, reader: str, message: str):
        # The node script and the C program already prefix their messages with the reader's name.
        super().__init__(message if message.startswith(f"{reader}: ") else f"{reader}: {message}")
        self.reader = reader
        self.message = message


def _utc_text(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError(f"window bounds must be timezone-aware, got {moment!r}")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sorted(instances: list[Instance]) -> list[Instance]:
    return sorted(instances, key=lambda instance: (instance["uid"], instance["start"]))


def _run_reader(reader: str, command: list[str], ics_text: str, start: datetime, end: datetime):
    result = subprocess.run(
        [*command, _utc_text(start), _utc_text(end)],
        input=ics_text,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        raise ParserError(reader, result.stderr.strip() or f"exit status {result.returncode}, no message")
    return _sorted(json.loads(result.stdout))


# ---- ical.js -------------------------------------------------------------------------------------


@functools.cache
def _node_ready() -> str | None:
    """None when node and ical.js can run, else why not (installs the npm package when it is missing)."""
    node = shutil.which("node")
    if node is None:
        return "node is not installed (Debian package nodejs)"
    installed = PARSERS_DIR / "node_modules" / "ical.js" / "package.json"
    if installed.is_file():
        return None
    npm = shutil.which("npm")
    if npm is None:
        return "tests/calendar/parsers/node_modules is missing and npm is not installed"
    # pytest-xdist workers may all get here at once: one runs `npm ci`, the others wait for it.
    with (PARSERS_DIR / ".npm-ci.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if installed.is_file():
            return None
        result = subprocess.run(
            [npm, "ci", "--prefix", str(PARSERS_DIR), "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    if result.returncode != 0:
        return f"npm ci in tests/calendar/parsers failed: {result.stderr.strip()[-2000:]}"
    return None


def icaljs_instances(ics_text: str, start: datetime, end: datetime) -> list[Instance]:
    """The instances ical.js reads in [start, end)."""
    reason = _node_ready()
    if reason:
        unavailable(reason)
    return _run_reader("ical.js", ["node", str(ICALJS_SCRIPT)], ics_text, start, end)


# ---- libical -------------------------------------------------------------------------------------


@functools.cache
def _libical_ready() -> str | None:
    """None when the libical reader is built and current, else why it cannot be."""
    compiler = shutil.which("cc")
    pkg_config = shutil.which("pkg-config")
    if compiler is None:
        return "no C compiler (Debian package gcc)"
    if pkg_config is None:
        return "pkg-config is not installed"
    flags = subprocess.run(
        [pkg_config, "--cflags", "--libs", "libical"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if flags.returncode != 0:
        return f"libical is not installed (Debian package libical-dev): {flags.stderr.strip()}"
    if LIBICAL_BINARY.exists() and LIBICAL_BINARY.stat().st_mtime >= LIBICAL_SOURCE.stat().st_mtime:
        return None
    LIBICAL_BINARY.parent.mkdir(exist_ok=True)
    partial = LIBICAL_BINARY.with_name(f"{LIBICAL_BINARY.name}.{os.getpid()}")
    build = subprocess.run(
        [compiler, "-O2", "-Wall", "-o", str(partial), str(LIBICAL_SOURCE), *flags.stdout.split()],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    if build.returncode != 0:
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"building {LIBICAL_SOURCE.name} failed:\n{build.stderr}")
    partial.replace(LIBICAL_BINARY)
    return None


def libical_instances(ics_text: str, start: datetime, end: datetime) -> list[Instance]:
    """The instances libical reads in [start, end)."""
    reason = _libical_ready()
    if reason:
        unavailable(reason)
    return _run_reader("libical", [str(LIBICAL_BINARY)], ics_text, start, end)


# ---- icalendar + recurring-ical-events -----------------------------------------------------------


def _python_utc(component, name: str, value) -> str:
    if not isinstance(value, datetime):
        kind = "an all-day date" if isinstance(value, date) else repr(value)
        raise ParserError("python", f"event {component.get('UID')}: {name} is {kind}, not supported")
    if value.tzinfo is None:
        raise ParserError(
            "python", f"event {component.get('UID')}: {name} is a floating time (no TZID, no Z)"
        )
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def python_instances(ics_text: str, start: datetime, end: datetime) -> list[Instance]:
    """The instances `icalendar` + `recurring-ical-events` read in [start, end)."""
    import icalendar
    import recurring_ical_events

    window = (_utc_text(start), _utc_text(end))
    try:
        calendar = icalendar.Calendar.from_ical(ics_text)
    except ValueError as error:
        raise ParserError("python", f"parse error: {error}") from error
    if calendar.name != "VCALENDAR":
        raise ParserError("python", f"top-level component is {calendar.name}, not VCALENDAR")
    problems = [
        f"{component.name}: {message}" for component in calendar.walk() for _, message in component.errors
    ]
    if problems:
        raise ParserError("python", "; ".join(problems))
    defined = {str(timezone["TZID"]) for timezone in calendar.walk("VTIMEZONE")}
    recurring_uids = set()
    for event in calendar.walk("VEVENT"):
        for name, value in event.property_items(recursive=False):
            tzid = getattr(value, "params", {}).get("TZID")
            if tzid is not None and tzid not in defined:
                raise ParserError(
                    "python", f"event {event.get('UID')}: {name} uses TZID={tzid}, which no VTIMEZONE defines"
                )
        if any(name in event for name in ("RRULE", "RDATE", "RECURRENCE-ID")):
            recurring_uids.add(str(event.get("UID")))

    try:
        occurrences = recurring_ical_events.of(calendar).between(start, end)
    except (ValueError, recurring_ical_events.InvalidCalendar) as error:
        raise ParserError("python", str(error)) from error
    instances = []
    for occurrence in occurrences:
        instance_start = _python_utc(occurrence, "DTSTART", occurrence.start)
        if not window[0] <= instance_start < window[1]:
            continue
        uid = str(occurrence.get("UID"))
        recurrence_id = occurrence.get("RECURRENCE-ID")
        status = occurrence.get("STATUS")
        instances.append(
            {
                "uid": uid,
                "recurrence_id": (
                    _python_utc(occurrence, "RECURRENCE-ID", recurrence_id.dt)
                    if uid in recurring_uids and recurrence_id is not None
                    else None
                ),
                "start": instance_start,
                "end": _python_utc(occurrence, "DTEND", occurrence.end),
                "summary": str(occurrence.get("SUMMARY", "")),
                "status": None if status is None else str(status),
            }
        )
    return _sorted(instances)


# ---- all together --------------------------------------------------------------------------------

READERS = {"libical": libical_instances, "ical.js": icaljs_instances, "python": python_instances}


def _lines(instances: list[Instance]) -> list[str]:
    return [json.dumps(instance, ensure_ascii=False) for instance in instances]


def all_readers_agree(ics_text: str, start: datetime, end: datetime) -> list[Instance]:
    """Read with all three readers, fail with a diff unless they return the same list; return it."""
    results = {name: reader(ics_text, start, end) for name, reader in READERS.items()}
    reference_name, reference = next(iter(results.items()))
    diffs = [
        "\n".join(
            difflib.unified_diff(_lines(reference), _lines(result), reference_name, name, n=1, lineterm="")
        )
        for name, result in results.items()
        if result != reference
    ]
    if diffs:
        raise AssertionError("the iCalendar readers disagree:\n" + "\n".join(diffs))
    return reference
