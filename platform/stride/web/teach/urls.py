"""URLs of the teaching pages, under /teach/ (namespace ``web``, names starting ``teach-``).

``offerings/`` and ``join/`` come first and are reserved: no offering may take those slugs
(stride.web.teach.forms.RESERVED_SLUGS), or its pages would be shadowed.
"""

from __future__ import annotations

from django.urls import path, register_converter

from stride.web.teach import analytics, exercises, grades, offerings, people, regrades


class RowId:
    """A database id: at most 18 digits, so that no id reaches the database as an overflowing number."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RowId, "rowid")

one = "<slug:offering>/"

urlpatterns = [
    path("", offerings.home, name="teach-home"),
    path("offerings/new", offerings.offering_new, name="teach-offering-new"),
    path("join/<str:token>/", people.join, name="teach-join"),
    # An offering: its overview, items and extensions.
    path(one, offerings.overview, name="teach-offering"),
    path(one + "items/new", offerings.item_new, name="teach-item-new"),
    path(one + "items/<rowid:item_id>/", offerings.item_edit, name="teach-item"),
    path(one + "extensions/", offerings.extensions, name="teach-extensions"),
    path(one + "extensions/<rowid:extension_id>/revoke", offerings.extension_revoke, name="teach-extension-revoke"),
    # Enrolment.
    path(one + "people/", people.people, name="teach-people"),
    path(one + "people/invites", people.invite, name="teach-invite"),
    path(one + "people/roster", people.roster_upload, name="teach-roster"),
    # Authoring checks, previews and trials.
    path(one + "exercises/", exercises.exercise_list, name="teach-exercises"),
    path(one + "exercises/<slug:slug>/validate", exercises.validate, name="teach-validate"),
    path(one + "exercises/<slug:slug>/preview", exercises.exercise_preview, name="teach-exercise-preview"),
    path(one + "exercises/<slug:slug>/try/", exercises.try_page, name="teach-try"),
    path(one + "exercises/<slug:slug>/try/submit", exercises.try_submit, name="teach-try-submit"),
    path(one + "exercises/<slug:slug>/try/history", exercises.trial_history, name="teach-try-history"),
    path(one + "exercises/<slug:slug>/try/<rowid:submission_id>/", exercises.trial_page, name="teach-trial"),
    path(
        one + "exercises/<slug:slug>/try/<rowid:submission_id>/result",
        exercises.trial_result,
        name="teach-trial-result",
    ),
    path(one + "validations/<rowid:run_id>/", exercises.validation, name="teach-validation"),
    path(one + "lessons/<rowid:lesson_id>/preview", exercises.lesson_preview, name="teach-lesson-preview"),
    # Regrades.
    path(one + "regrade/", regrades.regrade_index, name="teach-regrade"),
    path(one + "regrade/start", regrades.regrade_start, name="teach-regrade-start"),
    path(one + "regrade/<rowid:batch_id>/", regrades.regrade_batch, name="teach-regrade-batch"),
    path(one + "regrade/<rowid:batch_id>/confirm", regrades.regrade_confirm, name="teach-regrade-confirm"),
    path(one + "regrade/<rowid:batch_id>/cancel", regrades.regrade_cancel, name="teach-regrade-cancel"),
    path(one + "submissions/<rowid:submission_id>/history", regrades.submission_history, name="teach-history"),
    # Analytics.
    path(one + "analytics/", analytics.analytics_overview, name="teach-analytics"),
    path(one + "analytics/items/<rowid:item_id>/", analytics.analytics_item, name="teach-analytics-item"),
    path(one + "analytics/students/<rowid:user_id>/", analytics.analytics_student, name="teach-analytics-student"),
    # The gradebook and its downloads.
    path(one + "grades/", grades.gradebook, name="teach-grades"),
    path(one + "grades/download/<slug:fmt>", grades.download, name="teach-download"),
]
