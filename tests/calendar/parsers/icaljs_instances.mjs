// Reads an iCalendar file on stdin with Mozilla's ical.js (the parser in Thunderbird) and prints, as JSON,
// every VEVENT instance whose start falls in the UTC window [START, END) given as arguments
// (YYYY-MM-DDTHH:MM:SSZ). RRULE/RDATE are expanded, EXDATEs removed, and occurrences overridden by a
// RECURRENCE-ID component replaced by that component. Times are converted to UTC with the calendar's own
// VTIMEZONE definitions (ical.js has no zone database of its own). Any parse error, an unknown TZID, a
// floating or all-day start: message on stderr, exit status 1.
//
// Usage: node icaljs_instances.mjs START END < calendar.ics
// Used by tests/calendar/independent_parsers.py.

import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const MAX_OCCURRENCES = 100000;

function fail(message) {
  process.stderr.write(`ical.js: ${message}\n`);
  process.exit(1);
}

function parseWindowBound(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/.exec(text || "");
  if (!match) fail(`bad window bound ${JSON.stringify(text)}, expected YYYY-MM-DDTHH:MM:SSZ`);
  return Date.UTC(+match[1], +match[2] - 1, +match[3], +match[4], +match[5], +match[6]) / 1000;
}

function utcText(time) {
  return new Date(time.toUnixTime() * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

// Every date-time property of an event must be in UTC or in a zone the calendar defines.
function checkTimes(vevent, definedTzids) {
  const uid = vevent.getFirstPropertyValue("uid");
  for (const property of vevent.getAllProperties()) {
    const tzid = property.getParameter("tzid");
    if (tzid !== undefined && tzid !== null && !definedTzids.has(tzid)) {
      fail(`event ${uid}: ${property.name.toUpperCase()} uses TZID=${tzid}, which no VTIMEZONE defines`);
    }
  }
  for (const name of ["dtstart", "dtend", "recurrence-id"]) {
    const property = vevent.getFirstProperty(name);
    if (!property) continue;
    const value = property.getFirstValue();
    if (!(value instanceof ICAL.Time)) fail(`event ${uid}: ${name.toUpperCase()} is not a date-time`);
    if (value.isDate) fail(`event ${uid}: ${name.toUpperCase()} is an all-day date, not supported`);
    if (value.zone === ICAL.Timezone.localTimezone || value.zone === undefined) {
      fail(`event ${uid}: ${name.toUpperCase()} is a floating time (no TZID, no Z)`);
    }
  }
}

function instance(event, recurrenceId, start, end) {
  const status = event.component.getFirstPropertyValue("status");
  return {
    uid: event.uid,
    recurrence_id: recurrenceId ? utcText(recurrenceId) : null,
    start: utcText(start),
    end: utcText(end),
    summary: event.summary ?? "",
    status: status === null || status === undefined ? null : String(status),
  };
}

function main() {
  const [windowStart, windowEnd] = [parseWindowBound(process.argv[2]), parseWindowBound(process.argv[3])];
  const text = readFileSync(0, "utf8");

  let root;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    fail(`parse error: ${error.message}`);
  }
  if (root.name !== "vcalendar") fail(`top-level component is ${root.name.toUpperCase()}, not VCALENDAR`);

  const definedTzids = new Set();
  for (const vtimezone of root.getAllSubcomponents("vtimezone")) {
    const tzid = vtimezone.getFirstPropertyValue("tzid");
    if (!tzid) fail("VTIMEZONE without TZID");
    definedTzids.add(tzid);
    ICAL.TimezoneService.register(vtimezone);
  }

  const instances = [];
  const masters = new Map();
  const overrides = [];
  try {
    for (const vevent of root.getAllSubcomponents("vevent")) {
      const uid = vevent.getFirstPropertyValue("uid");
      if (!uid) fail("VEVENT without UID");
      if (!vevent.hasProperty("dtstart")) fail(`event ${uid}: no DTSTART`);
      checkTimes(vevent, definedTzids);
      if (vevent.hasProperty("recurrence-id")) {
        overrides.push(new ICAL.Event(vevent));
      } else {
        if (masters.has(uid)) fail(`event ${uid}: two VEVENTs without RECURRENCE-ID share this UID`);
        // exceptions: [] stops the constructor from relating every RECURRENCE-ID VEVENT of the calendar,
        // whatever its UID; they are related below, by UID.
        masters.set(uid, new ICAL.Event(vevent, { strictExceptions: true, exceptions: [] }));
      }
    }

    const orphans = [];
    for (const override of overrides) {
      const master = masters.get(override.uid);
      if (master) master.relateException(override);
      else orphans.push(override);
    }

    for (const event of masters.values()) {
      if (!event.isRecurring()) {
        if (Object.keys(event.exceptions).length) fail(`event ${event.uid}: RECURRENCE-ID on a non-recurring event`);
        const start = event.startDate.toUnixTime();
        if (start >= windowStart && start < windowEnd) {
          instances.push(instance(event, null, event.startDate, event.endDate));
        }
        continue;
      }
      // An override may move a later occurrence into the window: iterate up to the latest of them too.
      let stopAt = windowEnd;
      for (const exception of Object.values(event.exceptions)) {
        stopAt = Math.max(stopAt, exception.recurrenceId.toUnixTime() + 1);
      }
      const iterator = event.iterator();
      let count = 0;
      for (let next = iterator.next(); next && next.toUnixTime() < stopAt; next = iterator.next()) {
        if (++count > MAX_OCCURRENCES) fail(`event ${event.uid}: more than ${MAX_OCCURRENCES} occurrences`);
        const details = event.getOccurrenceDetails(next);
        const start = details.startDate.toUnixTime();
        if (start >= windowStart && start < windowEnd) {
          instances.push(instance(details.item, details.recurrenceId, details.startDate, details.endDate));
        }
      }
    }

    for (const override of orphans) {
      const start = override.startDate.toUnixTime();
      if (start >= windowStart && start < windowEnd) {
        instances.push(instance(override, override.recurrenceId, override.startDate, override.endDate));
      }
    }
  } catch (error) {
    fail(error.message);
  }

  instances.sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  process.stdout.write(JSON.stringify(instances) + "\n");
}

main();
