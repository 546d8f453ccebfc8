"""Awareness sessions: requests from schools, youth centres and other milieux; presenters; bookings."""

from __future__ import annotations

from coord.core.module import Module
from coord.outreach import models

MODULE = Module(
    name="outreach",
    models=(models,),
)
