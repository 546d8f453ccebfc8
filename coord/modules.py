"""The module list: the one place in the app that names its modules. `create_app` installs them in this
order (menus sort by their own `order`; demo seeds by what each needs first)."""

from __future__ import annotations

from coord.calendar.manifest import MODULE as calendar
from coord.conferences.manifest import MODULE as conferences
from coord.directory.manifest import MODULE as directory
from coord.home.manifest import MODULE as home
from coord.meetings.manifest import MODULE as meetings
from coord.notify.manifest import MODULE as notify
from coord.outreach.manifest import MODULE as outreach
from coord.referrals.manifest import MODULE as referrals
from coord.training.manifest import MODULE as training

MODULES = (directory, home, notify, calendar, meetings, referrals, conferences, outreach, training)
