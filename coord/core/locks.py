"""Row locks that work on both backends, so a repeated or concurrent operation sees the first one's result.

`lock_row(Model, id)` holds the row until the transaction ends: SELECT … FOR UPDATE on PostgreSQL, and on
SQLite (which has no row locks) a no-op write that takes the database's write lock. It then reloads the row,
so the caller's checks ("already published?", "already cancelled?") read what the other transaction
committed, not a stale copy. Neither form changes a column (no `updated_at`, no calendar change).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

import sqlalchemy as sa

from coord.extensions import db

T = TypeVar("T")

# The same request again within this time (a double click, a form sent twice) is recognized as a repeat by
# operations whose second attempt the database cannot tell from a new one (creating, inviting).
REPEAT_WINDOW = timedelta(seconds=60)


def lock_row(model: type[T], row_id: int) -> T | None:
    """Hold the row until commit or rollback, and return it fresh from the database (None if gone)."""
    if db.session.get_bind().dialect.name == "sqlite":
        table = model.__table__.name
        statement = sa.text(f'UPDATE "{table}" SET id = id WHERE id = :id')  # noqa: S608 (a model's own table)
        db.session.execute(statement, {"id": row_id})
        return db.session.get(model, row_id, populate_existing=True)
    return db.session.scalar(
        sa.select(model)
        .where(model.id == row_id)
        .with_for_update(of=model)
        .execution_options(populate_existing=True)
    )
