"""The home page ("Mon horaire") and the language switch."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from coord.core.module import Module, NavEntry
from coord.home import views

MODULE = Module(
    name="home",
    blueprints=(views.bp,),
    navigation=(NavEntry("home.index", _l("My schedule"), None, order=10),),
    links={"home": "home.index", "language": "home.switch_language"},
)
