"""Links from the coordinator's list to the request detail page, before that page's blueprint is merged.

The detail page is `outreach_sessions.detail` at `/outreach/requests/<ref>` (the agreed path). Until that
endpoint exists in the app, building it falls back on the agreed path, so the list keeps working; once it
exists, Flask builds it and this handler is never called. (Delete this file when the sessions part is in.)
"""

from __future__ import annotations

from urllib.parse import quote

DETAIL = "outreach_sessions.detail"


def _detail_path(error, endpoint: str, values: dict):
    if endpoint != DETAIL or "ref" not in values:
        return None
    return f"/outreach/requests/{quote(str(values['ref']), safe='')}"


def register(state) -> None:
    handlers = state.app.url_build_error_handlers
    if _detail_path not in handlers:
        handlers.append(_detail_path)
