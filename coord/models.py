"""Imports every module's models so that SQLAlchemy's metadata (and Alembic) sees all tables."""


def import_all_models() -> None:
    import coord.audit  # noqa: F401
    import coord.calendar.models  # noqa: F401
    import coord.conferences.models  # noqa: F401
    import coord.directory.models  # noqa: F401
    import coord.meetings.models  # noqa: F401
    import coord.notify.models  # noqa: F401
