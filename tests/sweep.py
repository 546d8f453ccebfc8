"""The garbage sweep's machinery (tests/test_bad_input.py uses it; so can any test of a module).

Bad input anywhere in the current pages never gives a 500 and never leaves a half-done write.

Every URL rule of the app (except static files) is requested with garbage in its path variables and
query string, and every rule that accepts POST is sent forms without a CSRF token and, with a valid
token, forms of garbage values (alone, or in one field of otherwise valid data), anonymously and as a
coordinator; a 500, a status outside ALLOWED or "Traceback" in a body fails. Every statement that
writes to the database is recorded from the engine's events (ORM flushes and Core statements alike), and
kept when its transaction commits: a refused request (4xx/5xx) and any GET may commit refusal or failure
audit entries, nothing else (a successful GET of confidential data also audits the read). At the end, no
row may refer to a missing one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, urlsplit

import sqlalchemy as sa
from flask_wtf import FlaskForm
from sqlalchemy import event
from wtforms.fields.core import UnboundField

from coord.demo import seed_demo
from coord.extensions import db, limiter
from tests.directory.factories import email_of, make_committee, make_organization, make_person
from tests.support import PASSWORD, csrf_token, logged_in

ALLOWED = {200, 302, 303, 400, 403, 404, 405, 409, 413, 429}
ACTORS = ("anonymous", "coordinator")
NEW_PASSWORD = "Un mot de passe tout neuf 42"

# Path garbage, already in the form it takes in a URL.
INT_GARBAGE = ("0", "-1", str(2**31 - 1), "99999999999999999999")  # 2**31 - 1: largest INTEGER
STRING_GARBAGE = (
    "x" * 5_000,
    "é𝄞\u202e",
    quote("é𝄞\u202e", safe=""),
    "%ff%fe%zz%25%C0%AF",
    "%00",
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
)
QUERY_GARBAGE = (
    "page=-1",
    "page=abc",
    f"page={10**30}",
    "q=" + "q" * 10_000,
    "q=" + quote("é𝄞\u202e%_\\") + "&q=%ff%fe",
    "page=1&page=x&unknown=1&zzz%5B%5D=2&=&&&" + "k" * 300 + "=v",
    f"organization={10**20}",
    f"organization={2**31 - 1}&page=100000",
    "organization=-1&role=king&inactive=%ff",
    "next=//evil.example/%0d%0aSet-Cookie:x=1",
    "since=0001-01-01&until=9999-12-31&actor=" + quote("é𝄞") + "&object_id=" + "9" * 64,
    "since=2024-02-30&until=abc&outcome=bogus&action=" + "a" * 300,
)


class Raw(str):
    """A form value sent as is (already percent-encoded), e.g. bytes that are not UTF-8."""


# Form garbage, by kind; each kind is one parametrized test per actor.
FORM_GARBAGE = {
    "empty": ("",),
    "overlong": ("x" * 10_000,),
    "wrong_types": ("abc", "-1", "99999999999999999999"),
    "unicode": (
        "é𝄞\u202e\u200d\ufeff👩‍👩‍👧\u0301",
        "<script>alert(1)</script>' OR '1'='1 --",
        Raw("%ff%fe%c0%af"),
    ),
    "lists": (),
    "extra_fields": (),
}
EXTRA_FIELDS = [
    ("unknown", "1"),
    ("is_admin", "1"),
    ("id", "1"),
    ("a[b][c]", "x"),
    ("", "empty name"),
    ("é𝄞", "unicode name"),
    ("k" * 300, "long name"),
]
PLACEHOLDER = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
RAW_FIELDS = ("lang", "next", "active")  # read from request.form without a form class
SESSION_ENDING = {"directory_auth.logout"}


# The app under test, with a few real objects so that garbage also reaches the forms behind real ids ----


@dataclass
class World:
    coordinator_id: int
    target_id: int
    target_email: str
    organization_id: int
    committee_id: int
    samples: dict  # values for URL variables: "<endpoint>:<name>" or "<name>", from the modules' manifests
    field_names: list[str]

    def real_value(self, endpoint: str, name: str) -> str:
        for key in (f"{endpoint}:{name}", name):
            if self.samples.get(key) is not None:
                return str(self.samples[key])
        return "1"

    def baseline(self, endpoint: str) -> dict:
        """Valid-looking data for the forms we know, so that one garbage field reaches the service."""
        person = {
            "email": "nouvelle@example.org",
            "display_name": "Nouvelle Personne",
            "organization_id": str(self.organization_id),
            "preferred_language": "fr",
            "roles": ["intervenant"],
            "send_invitation": "y",
        }
        new_password = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        return {
            "directory.person_new": person,
            "directory.person_edit": {**person, "email": self.target_email},
            "directory.organization_form": {
                "name": "Organisme X",
                "short_name": "OX",
                "sector": "community",
                "region": "Laval",
                "is_partner": "y",
            },
            "directory.committee": {"person_id": str(self.target_id), "role": "chair"},
            "directory_account.language": {"preferred_language": "en"},
            "directory_account.password": {"current_password": "not the current password", **new_password},
            "directory_account.totp_setup": {"code": "123456"},
            "directory_auth.login": {
                "email": self.target_email,
                "password": "wrong password",
                "next": "/people",
            },
            "directory_auth.totp": {"code": "123456"},
            "directory_auth.forgot_password": {"email": self.target_email},
            "directory_auth.reset_password": new_password,
            "directory_auth.accept_invitation": new_password,
            "home.switch_language": {"lang": "en", "next": "/people"},
        }.get(endpoint, {})


def rules(app):
    return sorted(
        (rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"),
        key=lambda rule: (rule.endpoint in SESSION_ENDING, rule.rule),
    )


def post_rules(app):
    return [rule for rule in rules(app) if "POST" in rule.methods]


def build(rule, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values[match["name"]], rule.rule)


def real_url(rule, world: World) -> str:
    return build(
        rule, {m["name"]: world.real_value(rule.endpoint, m["name"]) for m in PLACEHOLDER.finditer(rule.rule)}
    )


def garbage_urls(rule, world: World) -> list[str]:
    """The rule's URL with each garbage value in each variable in turn (the others real)."""
    variables = list(PLACEHOLDER.finditer(rule.rule))
    real = {m["name"]: world.real_value(rule.endpoint, m["name"]) for m in variables}
    urls = []
    for match in variables:
        converter = match["converter"] or "default"
        if converter == "int":
            junk = INT_GARBAGE
        elif converter in ("default", "string", "path", "any"):
            junk = STRING_GARBAGE
        else:
            junk = INT_GARBAGE + STRING_GARBAGE
        urls.extend(build(rule, {**real, match["name"]: value}) for value in junk)
    return urls


def field_names() -> list[str]:
    """Every field of every form class of the app, and the fields views read from request.form directly."""
    names = set(RAW_FIELDS)
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        names.update(name for name in dir(form_class) if isinstance(getattr(form_class, name), UnboundField))
    return sorted(names)


# Requests, with the checks made after each one ------------------------------------------------------


def shorten(value: str, limit: int = 100) -> str:
    value = str(value)
    return value if len(value) <= limit else f"{value[:limit]}…(+{len(value) - limit} chars)"


def encode(pairs: list[tuple[str, str]]) -> str:
    return "&".join(
        f"{quote_plus(name)}={value if isinstance(value, Raw) else quote_plus(value)}"
        for name, value in pairs
    )


def as_pairs(data: dict) -> list[tuple[str, str]]:
    pairs = []
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        pairs.extend((name, item) for item in values)
    return pairs


@dataclass(frozen=True)
class Write:
    """One statement that changed rows: its table, its verb, and for audit entries (action, outcome)s."""

    table: str
    verb: str
    statement: str
    audit: tuple[tuple[str, str], ...] = ()

    @property
    def touch(self) -> bool:
        """Any request of a signed-in person moves its login session's last_seen_at: not a write here."""
        return bool(SESSION_TOUCH.fullmatch(self.statement.strip()))

    def allowed_after(self, method: str, status: int) -> bool:
        """May a refused request (4xx/5xx) or a GET commit this? Refusal or failure audit entries, the
        audit of a successful read of confidential data, and the session touch; nothing else."""
        if self.touch:
            return True
        if self.table != "audit_entry" or self.verb != "INSERT" or not self.audit:
            return False
        return all(
            outcome in ("denied", "failure")
            or (outcome == "success" and method == "GET" and status < 400 and action.endswith(".read"))
            for action, outcome in self.audit
        )

    def __str__(self) -> str:
        if self.audit:
            return f"{self.verb} {self.table} {list(self.audit)}"
        return f"{self.verb} {self.table}: {shorten(' '.join(self.statement.split()), 160)}"


READ_ONLY = re.compile(
    r"\s*(?:SELECT|PRAGMA|SHOW|SET|BEGIN|SAVEPOINT|RELEASE|ROLLBACK|COMMIT)\b"
    r"|\s*WITH\b(?!.*\b(?:INSERT|UPDATE|DELETE|MERGE)\b)",  # a CTE that only reads
    re.IGNORECASE | re.DOTALL,
)
WRITTEN_TABLE = re.compile(
    r"\s*(?P<verb>INSERT|UPDATE|DELETE|REPLACE|UPSERT|MERGE|TRUNCATE|CREATE|DROP|ALTER|\w+)"
    r"(?:\s+OR\s+\w+)?(?:\s+(?:INTO|FROM|TABLE|ONLY))?\s+\"?(?P<table>\w+)\"?",
    re.IGNORECASE,
)
# The whole of the session touch (coord/directory/auth.py), in the SQL of SQLite and of PostgreSQL.
SESSION_TOUCH = re.compile(
    r"UPDATE login_session SET last_seen_at=(?:\?|%\(last_seen_at\)s(?:::[A-Z ]+)?) "
    r"WHERE login_session\.id = (?:\?|%\(login_session_id\)s(?:::INTEGER)?)"
)


class WriteLog:
    """The writes the app commits, from the engine's events. Each statement that changed rows (or that
    is not known to be read-only) is kept with its transaction, or savepoint, and moved to `committed`
    when that commits; a rollback forgets it, as the database does. Cheap: no table is read."""

    EVENTS = ("after_cursor_execute", "commit", "rollback", "savepoint", "rollback_savepoint")
    EVENTS += ("release_savepoint",)

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.open: dict[sa.Connection, list[list[Write]]] = {}  # per connection: transaction, savepoints
        self.committed: list[Write] = []
        for name in self.EVENTS:
            event.listen(engine, name, getattr(self, name))

    def remove(self) -> None:
        for name in self.EVENTS:
            event.remove(self.engine, name, getattr(self, name))

    def take(self) -> list[Write]:
        """The writes committed since the last call."""
        taken, self.committed = self.committed, []
        return taken

    def after_cursor_execute(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if READ_ONLY.match(statement) or cursor.rowcount == 0:  # (-1: unknown, counted as a write)
            return
        match = WRITTEN_TABLE.match(statement)
        table, verb = (match["table"].lower(), match["verb"].upper()) if match else ("?", "?")
        audit = ()
        if table == "audit_entry" and verb == "INSERT":
            rows = getattr(context, "compiled_parameters", None) or [{}]
            audit = tuple((row.get("action", "?"), row.get("outcome", "?")) for row in rows)
        write = Write(table, verb, statement, audit)
        if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            self.committed.append(write)
        else:
            self.open.setdefault(conn, [[]])[-1].append(write)

    def commit(self, conn) -> None:
        for frame in self.open.pop(conn, []):
            self.committed.extend(frame)

    def rollback(self, conn) -> None:
        self.open.pop(conn, None)

    def savepoint(self, conn, name) -> None:
        self.open.setdefault(conn, [[]]).append([])

    def rollback_savepoint(self, conn, name, context) -> None:
        frames = self.open.get(conn)
        if frames and len(frames) > 1:
            frames.pop()

    def release_savepoint(self, conn, name, context) -> None:
        frames = self.open.get(conn)
        if frames and len(frames) > 1:
            released = frames.pop()
            frames[-1].extend(released)


def dangling_references(app) -> list[str]:
    """Rows whose foreign key names a row that does not exist (one anti-join per foreign key)."""
    problems = []
    with app.app_context(), db.engine.connect() as connection:
        for table in db.metadata.sorted_tables:
            for constraint in table.foreign_key_constraints:
                target = constraint.referred_table.alias("target")
                pairs = [
                    (column, target.c[element.column.name])
                    for column, element in zip(constraint.columns, constraint.elements, strict=True)
                ]
                query = (
                    sa.select(table)
                    .select_from(table.outerjoin(target, sa.and_(*(a == b for a, b in pairs))))
                    .where(*(column.is_not(None) for column, _ in pairs), pairs[0][1].is_(None))
                    .limit(5)
                )
                for row in connection.execute(query):
                    value = tuple(getattr(row, column.name) for column, _ in pairs)
                    problems.append(
                        f"{table.name} row {shorten(repr(tuple(row)), 160)} refers to missing "
                        f"{constraint.referred_table.name} {value}"
                    )
    return problems


class Prober:
    """Sends the requests and remembers every 500, unexpected status, trace or unexpected write."""

    def __init__(self, app, caplog, actor: str, world: World) -> None:
        self.app, self.caplog, self.actor, self.world = app, caplog, actor, world
        self.requests: list[tuple[str, str, int]] = []
        self.endpoints: set[str] = set()
        self.errors: list[str] = []
        self.unexpected: list[str] = []
        self.traces: list[str] = []
        self.bad_writes: list[str] = []
        with app.app_context():
            self.writes = WriteLog(db.engine)
        self.refresh()

    def refresh(self) -> None:
        """(Re)start the actor's session and take a CSRF token for it."""
        self.client = self.app.test_client()
        with self.app.app_context():
            limiter.reset()
        if self.actor == "coordinator":
            logged_in(self.client, email_of(self.app, self.world.coordinator_id), PASSWORD)
            self.token = csrf_token(self.client, "/")
        else:
            self.token = csrf_token(self.client, "/login")

    def send(self, method: str, url: str, endpoint: str, pairs=None, token: bool = True, expect=ALLOWED):
        body = None
        if method == "POST":
            pairs = list(pairs or [])
            if token:
                pairs.append(("csrf_token", self.token))
            body = encode(pairs)
        logged = len(self.caplog.records)
        self.writes.take()  # what happened before this request (logging in, say) is not its doing
        response = self.client.open(
            url, method=method, data=body, content_type="application/x-www-form-urlencoded"
        )
        status = response.status_code
        self.requests.append((method, url, status))
        self.endpoints.add(endpoint)
        described = f"{self.actor} {method} {shorten(url)}"
        if pairs:
            described += " form=" + shorten(repr([(shorten(k, 20), shorten(v, 30)) for k, v in pairs]), 400)
        if status == 500:
            causes = [
                f"{type(r.exc_info[1]).__name__}: {shorten(str(r.exc_info[1]).splitlines()[0], 160)}"
                for r in self.caplog.records[logged:]
                if r.exc_info
            ]
            self.errors.append(f"{described}\n      -> {'; '.join(causes) or 'no logged exception'}")
        elif status not in expect:
            self.unexpected.append(f"{described} -> {status} (expected {sorted(expect)})")
        if b"Traceback" in response.data:
            self.traces.append(described)
        self.check_writes(method, status, described)
        if method == "POST" and endpoint in SESSION_ENDING and status < 400:
            self.refresh()
        return response

    def check_writes(self, method: str, status: int, described: str) -> None:
        writes = self.writes.take()
        if status >= 400 or method == "GET":
            bad = [write for write in writes if not write.allowed_after(method, status)]
            if bad:
                self.bad_writes.append(f"{described} -> {status} wrote {[str(write) for write in bad[:4]]}")

    def assert_clean(self, floor: int, endpoints: set[str]) -> None:
        problems = []
        for title, items in (
            ("500 responses", self.errors),
            ("statuses outside the allowed set", self.unexpected),
            ("'Traceback' in the body", self.traces),
            ("writes by a refused request or a GET", self.bad_writes),
            ("dangling references", dangling_references(self.app)),
        ):
            if items:
                shown = "\n".join(f"  - {item}" for item in items[:40])
                more = f"\n  ... and {len(items) - 40} more" if len(items) > 40 else ""
                problems.append(f"{len(items)} {title}:\n{shown}{more}")
        assert not problems, (
            f"{len(self.requests)} requests as {self.actor}; bad input must give a 4xx, never a 500 "
            "or a half-done write:\n" + "\n".join(problems)
        )
        assert len(self.requests) >= floor, f"only {len(self.requests)} requests (floor {floor})"
        assert endpoints <= self.endpoints, f"never requested: {sorted(endpoints - self.endpoints)}"


def sent_to_login(response) -> bool:
    return response.status_code == 302 and urlsplit(response.location).path == "/login"


def make_world(app) -> World:
    """People of our own (a coordinator who probes, a target person in an organization and a committee),
    then every module's demo data (its manifest's seed) and the values its manifest gives for its URL
    variables: a module is swept by adding it to the module list, without a line here."""
    coordinator_id = make_person(app, roles=("coordinator",))
    organization_id = make_organization(app)
    target_id = make_person(app, organization_id=organization_id)
    committee_id = make_committee(app, member_ids=[target_id])
    modules = app.extensions["coord_modules"]
    samples: dict = {}
    with app.app_context():
        seed_demo(list(modules), None)
        for module in modules:
            if module.route_samples is not None:
                samples.update(module.route_samples())
        db.session.commit()
    samples.update(person_id=target_id, organization_id=organization_id, committee_id=committee_id)
    return World(
        coordinator_id=coordinator_id,
        target_id=target_id,
        target_email=email_of(app, target_id),
        organization_id=organization_id,
        committee_id=committee_id,
        samples=samples,
        field_names=field_names(),
    )


def garbage_forms(kind: str, field_names: list[str], baseline: dict) -> list[list[tuple[str, str]]]:
    """Forms of one kind of garbage: every known field garbage, then the baseline with one field garbage."""
    forms = []
    if kind == "lists":
        forms.append([(name, value) for name in field_names for value in ("1", "a")])
        for name, value in baseline.items():
            first = value[0] if isinstance(value, list) else value
            forms.append(as_pairs({**baseline, name: ["garbage", first, ""]}))
    elif kind == "extra_fields":
        forms.append(EXTRA_FIELDS)
        forms.append(
            as_pairs(baseline) + EXTRA_FIELDS + [(name, "1") for name in field_names if name not in baseline]
        )
    else:
        for junk in FORM_GARBAGE[kind]:
            forms.append([(name, junk) for name in field_names])
            forms.extend(as_pairs({**baseline, name: junk}) for name in baseline)
        if kind == "empty":
            forms.append([])
            forms.extend(as_pairs({k: v for k, v in baseline.items() if k != name}) for name in baseline)
    return forms
