"""Free/busy: when a person is taken, across every module's events (the person's own calendar).

Any module asks here before it books someone (an awareness session, a training they give, ...). The
answer comes from the event sources every manifest declares, so a module added later counts at once,
and this file names none of them. Cancelled events and occurrences the person declined do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from coord.calendar.answers import answers_for, occurrence_key
from coord.calendar.models import Answer
from coord.calendar.recurrence import occurrences
from coord.calendar.registry import registry
from coord.calendar.sources import PERSON, Scope, Window, events_for


@dataclass(frozen=True, order=True)
class BusyTime:
    start: datetime
    end: datetime
    uid: str  # the event's UID (modules use it to leave out the event being moved)
    kind: str  # the event kind, to name the conflict ("a committee meeting", ...)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and self.end > start


def busy_times(person_id: int, window: Window, *, ignore_uids: tuple[str, ...] = ()) -> list[BusyTime]:
    """The person's busy times overlapping the window, sorted; leaves out the events in `ignore_uids`."""
    events = [
        event
        for event in events_for(Scope(PERSON, person_id), window)
        if event.uid not in ignore_uids and not event.is_cancelled
    ]
    answers = answers_for([event.uid for event in events])
    busy = []
    for event in events:
        for occurrence in occurrences(event, window):
            if occurrence.event.is_cancelled:
                continue
            key = occurrence_key(occurrence.recurrence_id)
            if answers.of(event.uid, person_id, key) == Answer.DECLINED:
                continue
            busy.append(BusyTime(occurrence.start, occurrence.end, event.uid, event.kind))
    return sorted(busy)


def conflicts(
    person_id: int, start: datetime, end: datetime, *, ignore_uids: tuple[str, ...] = ()
) -> list[BusyTime]:
    """The person's busy times that overlap [start, end)."""
    return busy_times(person_id, Window(start, end), ignore_uids=ignore_uids)


def kind_label(kind: str) -> str:
    """What a busy time is, in words ("Committee meeting", "Case conference"): its kind's label only,
    never the event's title (a confidential event stays unnamed)."""
    return str(registry().kinds.get(kind, kind))
