"""Pages to manage people, organizations and committees (thin: parse, call a service, render)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from coord.core.actor import current_actor
from coord.core.errors import ServiceError
from coord.core.feedback import show_error
from coord.core.forms import ConfirmForm, options
from coord.core.ids import int_arg
from coord.directory import committees as committee_services
from coord.directory import email_change
from coord.directory import organizations as organization_services
from coord.directory import people as people_services
from coord.directory.forms import (
    COMMITTEE_ROLE_LABELS,
    ROLE_LABELS,
    SECTOR_LABELS,
    EmailChangeForm,
    MembershipForm,
    NewPersonForm,
    OrganizationForm,
    PersonForm,
)
from coord.directory.models import Role

bp = Blueprint("directory", __name__)


def _page() -> int:
    page = int_arg("page", 1)
    if page < 1 or page > 100_000:
        abort(404)
    return page


def _person_data(form: PersonForm) -> people_services.PersonData:
    return people_services.PersonData(
        display_name=form.display_name.data,
        organization_id=form.organization_id.data,
        preferred_language=form.preferred_language.data,
        roles=set(form.roles.data or []),
    )


# People ---------------------------------------------------------------------------------------------


@bp.get("/people")
@login_required
def people():
    search = request.args.get("q", "")[:100]
    role = request.args.get("role", "")
    if role and role not in {item.value for item in Role}:
        abort(400)
    organization_id = int_arg("organization")
    include_inactive = request.args.get("inactive") == "1"
    found = people_services.people_page(
        current_actor(),
        search=search,
        organization_id=organization_id,
        role=role,
        include_inactive=include_inactive,
        page=_page(),
    )
    return render_template(
        "directory/people.html",
        pagination=found.pagination,
        search=search,
        role=role,
        organization_id=organization_id,
        include_inactive=include_inactive,
        organizations=found.organizations,
        role_labels=ROLE_LABELS,
        openable=found.openable,
    )


@bp.route("/people/new", methods=["GET", "POST"])
@login_required
def person_new():
    found = people_services.person_form(current_actor())
    form = NewPersonForm()
    form.organization_id.choices = options(found.organizations)
    if form.validate_on_submit():
        try:
            person = people_services.create_person(
                current_actor(), form.email.data, _person_data(form), invite=form.send_invitation.data
            )
        except ServiceError as error:
            show_error(error, form)
        else:
            flash(_("%(name)s has been added.", name=person.display_name), "success")
            if form.send_invitation.data:
                flash(_("An invitation has been sent to %(email)s.", email=person.email), "info")
            return redirect(url_for("directory.person", person_id=person.id))
    return render_template("directory/person_form.html", form=form, person=None), 400 if form.errors else 200


def _person_page(person_id: int, email_form: EmailChangeForm | None = None):
    page = people_services.person_page(current_actor(), person_id)
    return render_template(
        "directory/person.html",
        person=page.person,
        can_deactivate=page.can_deactivate,
        can_change_email=page.can_change_email,
        can_cancel_email_change=page.can_cancel_email_change,
        email_form=email_form or EmailChangeForm(),
        can_reactivate=page.can_reactivate,
        confirm_form=ConfirmForm(),
        role_labels=ROLE_LABELS,
        sector_labels=SECTOR_LABELS,
    )


@bp.get("/people/<int:person_id>")
@login_required
def person(person_id: int):
    return _person_page(person_id)


@bp.post("/people/<int:person_id>/email")
@login_required
def person_email(person_id: int):
    """An administrator asks for another person's new address (confirmed from that address)."""
    form = EmailChangeForm()
    if form.validate_on_submit():
        try:
            person = email_change.request_email_change(current_actor(), person_id, form.email.data)
        except ServiceError as error:
            show_error(error, form)
        else:
            flash(
                _(
                    "A confirmation link has been sent to %(email)s. The address changes when it is opened; "
                    "the current address has been told.",
                    email=person.pending_email,
                ),
                "info",
            )
            return redirect(url_for("directory.person", person_id=person_id))
    return _person_page(person_id, form), 400


@bp.post("/people/<int:person_id>/email/cancel")
@login_required
def person_email_cancel(person_id: int):
    _confirmed()
    email_change.cancel_email_change(current_actor(), person_id)
    flash(_("The change of address is cancelled."), "info")
    return redirect(url_for("directory.person", person_id=person_id))


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@login_required
def person_edit(person_id: int):
    found = people_services.person_form(current_actor(), person_id)
    person = found.person
    form = PersonForm(obj=person if request.method == "GET" else None)
    if request.method == "GET":
        form.roles.data = sorted(person.roles)
    form.organization_id.choices = options(found.organizations)
    if form.validate_on_submit():
        try:
            people_services.update_person(current_actor(), person_id, _person_data(form))
        except ServiceError as error:
            show_error(error, form)
        else:
            flash(_("The changes are saved."), "success")
            return redirect(url_for("directory.person", person_id=person_id))
    return render_template(
        "directory/person_form.html", form=form, person=person
    ), 400 if form.errors else 200


def _confirmed() -> None:
    if not ConfirmForm().validate_on_submit():
        abort(400)


@bp.post("/people/<int:person_id>/deactivate")
@login_required
def person_deactivate(person_id: int):
    _confirmed()
    person = people_services.set_active(current_actor(), person_id, False)
    flash(_("%(name)s is deactivated and signed out everywhere.", name=person.display_name), "info")
    return redirect(url_for("directory.person", person_id=person_id))


@bp.post("/people/<int:person_id>/reactivate")
@login_required
def person_reactivate(person_id: int):
    _confirmed()
    try:
        person = people_services.set_active(current_actor(), person_id, True)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("%(name)s is active again.", name=person.display_name), "info")
    return redirect(url_for("directory.person", person_id=person_id))


@bp.post("/people/<int:person_id>/invite")
@login_required
def person_invite(person_id: int):
    _confirmed()
    try:
        people_services.invite_person(current_actor(), person_id)
    except ServiceError as error:
        flash(str(error.message), "error")
    else:
        flash(_("The invitation has been sent."), "info")
    return redirect(url_for("directory.person", person_id=person_id))


# Organizations --------------------------------------------------------------------------------------


@bp.get("/organizations")
@login_required
def organizations():
    rows = organization_services.list_organizations(current_actor())
    return render_template(
        "directory/organizations.html", rows=rows, sector_labels=SECTOR_LABELS, confirm_form=ConfirmForm()
    )


@bp.route("/organizations/new", methods=["GET", "POST"])
@bp.route("/organizations/<int:organization_id>/edit", methods=["GET", "POST"])
@login_required
def organization_form(organization_id: int | None = None):
    organization = organization_services.get_organization(current_actor(), organization_id)
    form = OrganizationForm(obj=organization if request.method == "GET" else None)
    if form.validate_on_submit():
        data = organization_services.OrganizationData(
            name=form.name.data,
            short_name=form.short_name.data,
            sector=form.sector.data,
            region=form.region.data or "",
            is_partner=form.is_partner.data,
        )
        try:
            organization_services.save_organization(current_actor(), data, organization_id)
        except ServiceError as error:
            show_error(error, form)
        else:
            flash(_("The organization is saved."), "success")
            return redirect(url_for("directory.organizations"))
    status = 400 if form.errors else 200
    return render_template("directory/organization_form.html", form=form, organization=organization), status


@bp.route("/organizations/<int:organization_id>/deactivate", methods=["GET", "POST"])
@login_required
def organization_deactivate(organization_id: int):
    """GET: what deactivating does (how many people with it); POST: do it."""
    if request.method == "POST":
        _confirmed()
        organization, count = organization_services.deactivate_organization(current_actor(), organization_id)
        if count:
            message = ngettext(
                "%(name)s is deactivated, with %(num)d person, signed out everywhere.",
                "%(name)s is deactivated, with %(num)d people, signed out everywhere.",
                count,
                name=organization.name,
            )
        else:
            message = _("%(name)s is deactivated.", name=organization.name)
        flash(message, "info")
        return redirect(url_for("directory.organizations"))
    found = organization_services.deactivation_page(current_actor(), organization_id)
    return render_template("directory/organization_deactivate.html", page=found, confirm_form=ConfirmForm())


@bp.post("/organizations/<int:organization_id>/reactivate")
@login_required
def organization_reactivate(organization_id: int):
    _confirmed()
    organization = organization_services.reactivate_organization(current_actor(), organization_id)
    flash(
        _(
            "%(name)s is active again. Its people stay deactivated: reactivate from their page those who "
            "should sign in again.",
            name=organization.name,
        ),
        "info",
    )
    return redirect(url_for("directory.organizations"))


# Committees -----------------------------------------------------------------------------------------


@bp.get("/committees")
@login_required
def committees():
    rows = committee_services.list_committees(current_actor())
    openable = committee_services.openable_committees(current_actor(), rows)
    return render_template("directory/committees.html", rows=rows, openable=openable)


@bp.route("/committees/<int:committee_id>", methods=["GET", "POST"])
@login_required
def committee(committee_id: int):
    page = committee_services.committee_page(current_actor(), committee_id)
    form = MembershipForm()
    form.person_id.choices = options(page.candidates)
    if request.method == "POST":
        # The service checks the permission and the person and role it is given (CSRF is checked globally).
        try:
            committee_services.add_member(current_actor(), committee_id, form.person_id.data, form.role.data)
        except ServiceError as error:
            show_error(error, form)
        else:
            flash(_("The committee's members are updated."), "success")
            return redirect(url_for("directory.committee", committee_id=committee_id))
    return render_template(
        "directory/committee.html",
        committee=page.committee,
        members=page.members,
        can_manage=page.can_manage,
        form=form,
        confirm_form=ConfirmForm(),
        committee_role_labels=COMMITTEE_ROLE_LABELS,
    ), 400 if form.errors else 200


@bp.post("/committees/<int:committee_id>/members/<int:person_id>/remove")
@login_required
def committee_remove(committee_id: int, person_id: int):
    _confirmed()
    committee_services.remove_member(current_actor(), committee_id, person_id)
    flash(_("The committee's members are updated."), "success")
    return redirect(url_for("directory.committee", committee_id=committee_id))
