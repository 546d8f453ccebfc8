/*
 * Reads an iCalendar file on stdin with libical and prints, as JSON, every VEVENT instance whose start
 * falls in the UTC window [START, END) given as arguments (YYYY-MM-DDTHH:MM:SSZ). RRULE/RDATE are
 * expanded with libical's recurrence iterator, EXDATEs removed, and occurrences overridden by a
 * RECURRENCE-ID component replaced by that component. Local times are converted to UTC with the
 * calendar's own VTIMEZONE definitions (icalcomponent_get_timezone on the VCALENDAR: never libical's
 * builtin zone database). Any X-LIC-ERROR the parser left in the tree, a TZID that no VTIMEZONE
 * defines, a floating or all-day start: message on stderr, exit status 1.
 *
 * Build: cc -O2 -o libical_instances libical_instances.c $(pkg-config --cflags --libs libical)
 * Usage: libical_instances START END < calendar.ics
 * Used by tests/calendar/independent_parsers.py, which builds it on first use.
 */

#define _DEFAULT_SOURCE
#include <libical/ical.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_OCCURRENCES 100000

static void fail(const char *format, ...)
{
    va_list args;
    fputs("libical: ", stderr);
    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    exit(1);
}

static void *checked_realloc(void *pointer, size_t size)
{
    void *result = realloc(pointer, size);
    if (result == NULL) {
        fail("out of memory");
    }
    return result;
}

static char *read_all(FILE *stream)
{
    size_t size = 0, capacity = 65536;
    char *buffer = checked_realloc(NULL, capacity);
    size_t got;
    while ((got = fread(buffer + size, 1, capacity - size - 1, stream)) > 0) {
        size += got;
        if (capacity - size - 1 == 0) {
            capacity *= 2;
            buffer = checked_realloc(buffer, capacity);
        }
    }
    buffer[size] = '\0';
    if (strlen(buffer) != size) {
        fail("input contains a NUL byte");
    }
    return buffer;
}

static time_t parse_window_bound(const char *text)
{
    struct tm parts;
    char trailer = 0;
    memset(&parts, 0, sizeof parts);
    if (text == NULL || strlen(text) != 20 ||
        sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%c", &parts.tm_year, &parts.tm_mon, &parts.tm_mday,
               &parts.tm_hour, &parts.tm_min, &parts.tm_sec, &trailer) != 7 || trailer != 'Z') {
        fail("bad window bound \"%s\", expected YYYY-MM-DDTHH:MM:SSZ", text ? text : "");
    }
    parts.tm_year -= 1900;
    parts.tm_mon -= 1;
    return timegm(&parts);
}

static void format_utc(time_t t, char out[21])
{
    struct tm parts;
    gmtime_r(&t, &parts);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &parts);
}

/* ---- errors left by the parser ---- */

static int report_parse_errors(icalcomponent *component)
{
    int count = 0;
    icalproperty *property;
    icalcomponent *child;
    for (property = icalcomponent_get_first_property(component, ICAL_XLICERROR_PROPERTY); property;
         property = icalcomponent_get_next_property(component, ICAL_XLICERROR_PROPERTY)) {
        fprintf(stderr, "libical: %s: %s\n", icalcomponent_kind_to_string(icalcomponent_isa(component)),
                icalproperty_get_xlicerror(property));
        count++;
    }
    for (child = icalcomponent_get_first_component(component, ICAL_ANY_COMPONENT); child;
         child = icalcomponent_get_next_component(component, ICAL_ANY_COMPONENT)) {
        count += report_parse_errors(child);
    }
    return count;
}

/* ---- times ---- */

static const char *event_uid(icalcomponent *event)
{
    const char *uid = icalcomponent_get_uid(event);
    return uid ? uid : "(no UID)";
}

/* The zone a date-time property's value is expressed in: UTC, or the calendar's VTIMEZONE named by TZID. */
static icaltimezone *property_zone(icalcomponent *calendar, icalcomponent *event, icalproperty *property,
                                   struct icaltimetype value)
{
    icalparameter *tzid_parameter = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER);
    const char *name = icalproperty_get_property_name(property);
    if (icaltime_is_null_time(value)) {
        fail("event %s: %s has no valid date-time", event_uid(event), name);
    }
    if (value.is_date) {
        fail("event %s: %s is an all-day date, not supported", event_uid(event), name);
    }
    if (icaltime_is_utc(value)) {
        if (tzid_parameter) {
            fail("event %s: %s is in UTC but has a TZID", event_uid(event), name);
        }
        return icaltimezone_get_utc_timezone();
    }
    if (!tzid_parameter) {
        fail("event %s: %s is a floating time (no TZID, no Z)", event_uid(event), name);
    }
    {
        const char *tzid = icalparameter_get_tzid(tzid_parameter);
        icaltimezone *zone = icalcomponent_get_timezone(calendar, tzid);
        if (zone == NULL) {
            fail("event %s: %s uses TZID=%s, which no VTIMEZONE defines", event_uid(event), name, tzid);
        }
        return zone;
    }
}

/* Every TZID an event mentions must be defined by a VTIMEZONE of the calendar. */
static void check_tzids(icalcomponent *calendar, icalcomponent *event)
{
    icalproperty *property;
    for (property = icalcomponent_get_first_property(event, ICAL_ANY_PROPERTY); property;
         property = icalcomponent_get_next_property(event, ICAL_ANY_PROPERTY)) {
        icalparameter *tzid_parameter = icalproperty_get_first_parameter(property, ICAL_TZID_PARAMETER);
        if (tzid_parameter) {
            const char *tzid = icalparameter_get_tzid(tzid_parameter);
            if (icalcomponent_get_timezone(calendar, tzid) == NULL) {
                fail("event %s: %s uses TZID=%s, which no VTIMEZONE defines", event_uid(event),
                     icalproperty_get_property_name(property), tzid);
            }
        }
    }
}

typedef struct {
    struct icaltimetype local; /* wall-clock value as written */
    icaltimezone *zone;
    time_t utc;
} zoned_time;

static zoned_time property_time(icalcomponent *calendar, icalcomponent *event, icalproperty *property,
                                struct icaltimetype value)
{
    zoned_time result;
    result.zone = property_zone(calendar, event, property, value);
    result.local = value;
    result.local.zone = NULL;
    result.utc = icaltime_as_timet_with_zone(result.local, result.zone);
    return result;
}

static time_t local_to_utc(struct icaltimetype local, icaltimezone *zone)
{
    local.zone = NULL;
    return icaltime_as_timet_with_zone(local, zone);
}

typedef struct {
    zoned_time start;
    long duration; /* exact seconds from DTSTART to DTEND (or DTSTART + DURATION) */
} event_times;

static event_times read_event_times(icalcomponent *calendar, icalcomponent *event)
{
    event_times result;
    icalproperty *dtstart = icalcomponent_get_first_property(event, ICAL_DTSTART_PROPERTY);
    icalproperty *dtend = icalcomponent_get_first_property(event, ICAL_DTEND_PROPERTY);
    icalproperty *duration = icalcomponent_get_first_property(event, ICAL_DURATION_PROPERTY);
    if (!dtstart) {
        fail("event %s: no DTSTART", event_uid(event));
    }
    result.start = property_time(calendar, event, dtstart, icalproperty_get_dtstart(dtstart));
    if (dtend && duration) {
        fail("event %s: both DTEND and DURATION", event_uid(event));
    } else if (dtend) {
        zoned_time end = property_time(calendar, event, dtend, icalproperty_get_dtend(dtend));
        result.duration = (long)(end.utc - result.start.utc);
    } else if (duration) {
        struct icaltimetype end = icaltime_add(result.start.local, icalproperty_get_duration(duration));
        result.duration = (long)(local_to_utc(end, result.start.zone) - result.start.utc);
    } else {
        result.duration = 0;
    }
    if (result.duration < 0) {
        fail("event %s: ends before it starts", event_uid(event));
    }
    return result;
}

/* ---- output ---- */

typedef struct {
    char *uid;
    int has_recurrence_id;
    time_t recurrence_id;
    time_t start;
    time_t end;
    char *summary;
    char *status; /* NULL when absent */
} instance;

static instance *instances = NULL;
static size_t instance_count = 0, instance_capacity = 0;

static char *copy_or_null(const char *text)
{
    return text ? strdup(text) : NULL;
}

static void add_instance(icalcomponent *component, int has_recurrence_id, time_t recurrence_id,
                         time_t start, time_t end)
{
    instance *item;
    icalproperty *status = icalcomponent_get_first_property(component, ICAL_STATUS_PROPERTY);
    const char *summary = icalcomponent_get_summary(component);
    if (instance_count == instance_capacity) {
        instance_capacity = instance_capacity ? instance_capacity * 2 : 64;
        instances = checked_realloc(instances, instance_capacity * sizeof *instances);
    }
    item = &instances[instance_count++];
    item->uid = strdup(event_uid(component));
    item->has_recurrence_id = has_recurrence_id;
    item->recurrence_id = recurrence_id;
    item->start = start;
    item->end = end;
    item->summary = strdup(summary ? summary : "");
    item->status = status ? copy_or_null(icalproperty_get_value_as_string(status)) : NULL;
}

static int compare_instances(const void *a, const void *b)
{
    const instance *x = a, *y = b;
    int by_uid = strcmp(x->uid, y->uid);
    if (by_uid) {
        return by_uid;
    }
    return (x->start > y->start) - (x->start < y->start);
}

static void print_json_string(const char *text)
{
    const unsigned char *c;
    putchar('"');
    for (c = (const unsigned char *)text; *c; c++) {
        if (*c == '"' || *c == '\\') {
            printf("\\%c", *c);
        } else if (*c == '\n') {
            fputs("\\n", stdout);
        } else if (*c < 0x20) {
            printf("\\u%04x", *c);
        } else {
            putchar(*c);
        }
    }
    putchar('"');
}

static void print_instances(void)
{
    size_t i;
    char text[21];
    qsort(instances, instance_count, sizeof *instances, compare_instances);
    putchar('[');
    for (i = 0; i < instance_count; i++) {
        instance *item = &instances[i];
        fputs(i ? ", {\"uid\": " : "{\"uid\": ", stdout);
        print_json_string(item->uid);
        fputs(", \"recurrence_id\": ", stdout);
        if (item->has_recurrence_id) {
            format_utc(item->recurrence_id, text);
            print_json_string(text);
        } else {
            fputs("null", stdout);
        }
        format_utc(item->start, text);
        fputs(", \"start\": ", stdout);
        print_json_string(text);
        format_utc(item->end, text);
        fputs(", \"end\": ", stdout);
        print_json_string(text);
        fputs(", \"summary\": ", stdout);
        print_json_string(item->summary);
        fputs(", \"status\": ", stdout);
        if (item->status) {
            print_json_string(item->status);
        } else {
            fputs("null", stdout);
        }
        putchar('}');
    }
    puts("]");
}

/* ---- expansion ---- */

typedef struct {
    icalcomponent *component;
    const char *uid;
    time_t recurrence_id;
    int used;
} override;

static override *overrides = NULL;
static size_t override_count = 0;

static int time_in(time_t t, const time_t *values, size_t count)
{
    size_t i;
    for (i = 0; i < count; i++) {
        if (values[i] == t) {
            return 1;
        }
    }
    return 0;
}

static int compare_times(const void *a, const void *b)
{
    time_t x = *(const time_t *)a, y = *(const time_t *)b;
    return (x > y) - (x < y);
}

static void emit_override(icalcomponent *calendar, override *item, time_t window_start, time_t window_end)
{
    event_times times = read_event_times(calendar, item->component);
    item->used = 1;
    if (times.start.utc >= window_start && times.start.utc < window_end) {
        add_instance(item->component, 1, item->recurrence_id, times.start.utc,
                     times.start.utc + times.duration);
    }
}

static void expand_master(icalcomponent *calendar, icalcomponent *event, time_t window_start,
                          time_t window_end)
{
    const char *uid = event_uid(event);
    event_times times = read_event_times(calendar, event);
    icalproperty *property;
    time_t *occurrences = NULL, *exdates = NULL;
    size_t occurrence_count = 0, occurrence_capacity = 0, exdate_count = 0, i, j;
    int recurring = 0;
    time_t stop_at = window_end;

    /* An override may move a later occurrence into the window: expand up to the latest of them too. */
    for (i = 0; i < override_count; i++) {
        if (strcmp(overrides[i].uid, uid) == 0 && overrides[i].recurrence_id >= stop_at) {
            stop_at = overrides[i].recurrence_id + 1;
        }
    }

#define ADD_OCCURRENCE(t)                                                                           \
    do {                                                                                            \
        if (occurrence_count == occurrence_capacity) {                                              \
            occurrence_capacity = occurrence_capacity ? occurrence_capacity * 2 : 64;               \
            occurrences = checked_realloc(occurrences, occurrence_capacity * sizeof *occurrences);  \
        }                                                                                           \
        occurrences[occurrence_count++] = (t);                                                      \
    } while (0)

    for (property = icalcomponent_get_first_property(event, ICAL_RRULE_PROPERTY); property;
         property = icalcomponent_get_next_property(event, ICAL_RRULE_PROPERTY)) {
        struct icalrecurrencetype rule = icalproperty_get_rrule(property);
        icalrecur_iterator *iterator;
        struct icaltimetype next;
        size_t produced = 0;
        if (rule.freq == ICAL_NO_RECURRENCE) {
            fail("event %s: RRULE without a valid FREQ", uid);
        }
        recurring = 1;
        iterator = icalrecur_iterator_new(rule, times.start.local);
        if (iterator == NULL) {
            fail("event %s: libical cannot iterate RRULE:%s", uid, icalrecurrencetype_as_string(&rule));
        }
        for (next = icalrecur_iterator_next(iterator); !icaltime_is_null_time(next);
             next = icalrecur_iterator_next(iterator)) {
            time_t t = local_to_utc(next, times.start.zone);
            if (t >= stop_at) {
                break;
            }
            if (++produced > MAX_OCCURRENCES) {
                fail("event %s: more than %d occurrences", uid, MAX_OCCURRENCES);
            }
            ADD_OCCURRENCE(t);
        }
        icalrecur_iterator_free(iterator);
    }
    for (property = icalcomponent_get_first_property(event, ICAL_RDATE_PROPERTY); property;
         property = icalcomponent_get_next_property(event, ICAL_RDATE_PROPERTY)) {
        struct icaldatetimeperiodtype rdate = icalproperty_get_rdate(property);
        struct icaltimetype value = icaltime_is_null_time(rdate.time) ? rdate.period.start : rdate.time;
        recurring = 1;
        ADD_OCCURRENCE(property_time(calendar, event, property, value).utc);
    }
    if (recurring) {
        /* RFC 5545: DTSTART is always the first instance of the recurrence set. */
        ADD_OCCURRENCE(times.start.utc);
    }
    for (property = icalcomponent_get_first_property(event, ICAL_EXDATE_PROPERTY); property;
         property = icalcomponent_get_next_property(event, ICAL_EXDATE_PROPERTY)) {
        exdates = checked_realloc(exdates, (exdate_count + 1) * sizeof *exdates);
        exdates[exdate_count++] = property_time(calendar, event, property, icalproperty_get_exdate(property)).utc;
    }
#undef ADD_OCCURRENCE

    if (!recurring) {
        for (i = 0; i < override_count; i++) {
            if (strcmp(overrides[i].uid, uid) == 0) {
                fail("event %s: RECURRENCE-ID on a non-recurring event", uid);
            }
        }
        if (times.start.utc >= window_start && times.start.utc < window_end) {
            add_instance(event, 0, 0, times.start.utc, times.start.utc + times.duration);
        }
        free(exdates);
        return;
    }

    qsort(occurrences, occurrence_count, sizeof *occurrences, compare_times);
    for (i = 0; i < occurrence_count; i++) {
        time_t t = occurrences[i];
        int overridden = 0;
        if ((i > 0 && occurrences[i - 1] == t) || time_in(t, exdates, exdate_count)) {
            continue;
        }
        for (j = 0; j < override_count; j++) {
            if (!overrides[j].used && overrides[j].recurrence_id == t && strcmp(overrides[j].uid, uid) == 0) {
                emit_override(calendar, &overrides[j], window_start, window_end);
                overridden = 1;
                break;
            }
        }
        if (!overridden && t >= window_start && t < window_end) {
            /* Same exact duration as the master, added to the local wall-clock start (as ical.js does). */
            struct icaltimetype local = icaltime_from_timet_with_zone(t, 0, times.start.zone);
            icaltime_adjust(&local, 0, 0, 0, (int)times.duration);
            add_instance(event, 1, t, t, local_to_utc(local, times.start.zone));
        }
    }
    /* Overrides whose RECURRENCE-ID is not an occurrence of the series (excluded, or never generated)
       are dropped, like ical.js does. */
    for (j = 0; j < override_count; j++) {
        if (strcmp(overrides[j].uid, uid) == 0) {
            overrides[j].used = 1;
        }
    }
    free(occurrences);
    free(exdates);
}

int main(int argc, char **argv)
{
    time_t window_start, window_end;
    char *text;
    icalcomponent *calendar, *event;
    int errors;
    size_t i, master_count = 0;
    const char **master_uids = NULL;

    if (argc != 3) {
        fail("usage: %s START END < calendar.ics", argv[0]);
    }
    window_start = parse_window_bound(argv[1]);
    window_end = parse_window_bound(argv[2]);

    icalerror_set_errors_are_fatal(0);
    text = read_all(stdin);
    calendar = icalparser_parse_string(text);
    if (calendar == NULL) {
        fail("could not parse the input (%s)", icalerror_strerror(icalerrno));
    }
    if (icalcomponent_isa(calendar) != ICAL_VCALENDAR_COMPONENT) {
        fail("top-level component is %s, not a single VCALENDAR",
             icalcomponent_kind_to_string(icalcomponent_isa(calendar)));
    }
    errors = report_parse_errors(calendar);
    if (errors) {
        fail("%d parse error(s) (X-LIC-ERROR), see above", errors);
    }

    for (event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); event;
         event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
        icalproperty *recurrence_id = icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY);
        if (icalcomponent_get_uid(event) == NULL) {
            fail("VEVENT without UID");
        }
        check_tzids(calendar, event);
        if (!recurrence_id) {
            for (i = 0; i < master_count; i++) {
                if (strcmp(master_uids[i], icalcomponent_get_uid(event)) == 0) {
                    fail("event %s: two VEVENTs without RECURRENCE-ID share this UID", master_uids[i]);
                }
            }
            master_uids = checked_realloc(master_uids, (master_count + 1) * sizeof *master_uids);
            master_uids[master_count++] = icalcomponent_get_uid(event);
        } else {
            overrides = checked_realloc(overrides, (override_count + 1) * sizeof *overrides);
            overrides[override_count].component = event;
            overrides[override_count].uid = icalcomponent_get_uid(event);
            overrides[override_count].recurrence_id =
                property_time(calendar, event, recurrence_id, icalproperty_get_recurrenceid(recurrence_id)).utc;
            overrides[override_count].used = 0;
            override_count++;
        }
    }

    for (event = icalcomponent_get_first_component(calendar, ICAL_VEVENT_COMPONENT); event;
         event = icalcomponent_get_next_component(calendar, ICAL_VEVENT_COMPONENT)) {
        if (icalcomponent_get_first_property(event, ICAL_RECURRENCEID_PROPERTY) == NULL) {
            expand_master(calendar, event, window_start, window_end);
        }
    }
    /* Overrides without a master in this file stand on their own. */
    for (i = 0; i < override_count; i++) {
        if (!overrides[i].used) {
            emit_override(calendar, &overrides[i], window_start, window_end);
        }
    }

    print_instances();
    free(master_uids);
    icalcomponent_free(calendar);
    free(text);
    return 0;
}
