"""The forms of the teaching pages: an offering, a graded item, an extension, a roster upload.

Dates are typed as the offering's people read them, in its time zone (``2025-03-30 23:59``,
an offset such as ``+02:00`` optional) and read with :func:`stride.offerings.policy.parse_local`,
whose messages (a time the clocks skip, or one they repeat) end up under the field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from stride.courses.models import Course
from stride.offerings import policy
from stride.offerings.models import Enrollment, GradedItem, Offering
from stride.offerings.roster import MAX_BYTES
from stride.quizzes.models import Quiz

#: Slugs that would shadow a page under /teach/ (teach/urls.py).
RESERVED_SLUGS = {"offerings", "join"}
DATE_HELP = "In the offering's time zone ({zone}), e.g. 2025-03-30 23:59; empty for none."
DATE_PLACEHOLDER = "YYYY-MM-DD HH:MM"


def _date_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": DATE_PLACEHOLDER, "autocomplete": "off", "inputmode": "numeric"}),
    )


def _parse_date(text: str, zone_name: str) -> datetime | None:
    if not (text or "").strip():
        return None
    try:
        return policy.parse_local(text, zone_name)
    except ValueError as error:
        raise ValidationError(str(error)) from None


class OfferingForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.none(), empty_label=None)
    slug = forms.SlugField(
        max_length=50, help_text="Short name in addresses, e.g. spring-2026 (letters, digits, - and _)."
    )
    title = forms.CharField(max_length=200, help_text="What students see, e.g. Spring term 2026.")
    time_zone = forms.CharField(
        max_length=64,
        initial="UTC",
        help_text="IANA name, e.g. Europe/Berlin: dates are shown and typed in it.",
    )

    def __init__(self, *args: Any, courses=None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses if courses is not None else Course.objects.none()
        self.fields["course"].label_from_instance = lambda course: course.title

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug.lower() in RESERVED_SLUGS:
            raise ValidationError(f"{slug} is taken by a page of its own; choose another name.")
        if Offering.objects.filter(slug__iexact=slug).exists():
            raise ValidationError(f"An offering named {slug} exists already.")
        return slug

    def clean_time_zone(self) -> str:
        name = self.cleaned_data["time_zone"].strip()
        try:
            policy.zone(name)
        except ValueError as error:
            raise ValidationError(str(error)) from None
        return name


def item_targets(offering: Offering, exercises) -> list[tuple[str, str]]:
    """The choices of what an item grades: ``exercise:<slug>`` and ``quiz:<id>`` not graded yet."""
    taken = set(GradedItem.objects.filter(offering=offering).values_list("exercise_id", "quiz_id"))
    taken_exercises = {e for e, _ in taken if e}
    taken_quizzes = {q for _, q in taken if q}
    choices = [(f"exercise:{e.slug}", f"Exercise: {e.title}") for e in exercises if e.pk not in taken_exercises]
    if offering.course_id is not None:
        for quiz in Quiz.objects.filter(course=offering.course_id, retired=False):
            if quiz.pk not in taken_quizzes:
                choices.append((f"quiz:{quiz.pk}", f"Quiz: {quiz.title}"))
    return choices


class ItemForm(forms.Form):
    """A graded item's rules; ``target`` (what it grades) only when the item is new."""

    target = forms.ChoiceField(label="What is graded")
    position = forms.IntegerField(
        min_value=0, max_value=10_000, required=False, help_text="Order of the gradebook's columns."
    )
    opens_at = _date_field("Opens")
    due_at = _date_field("Due")
    closes_at = _date_field("Closes (hard cutoff)")
    max_attempts = forms.IntegerField(
        label="Attempt limit", min_value=1, max_value=10_000, required=False, help_text="Empty: unlimited."
    )
    late_policy = forms.ChoiceField(label="Late work", choices=GradedItem.LatePolicy.choices)
    penalty_per_day = forms.FloatField(
        label="Penalty per day late (%)", min_value=0, max_value=100, initial=0, help_text="With the penalty policy."
    )
    penalty_cap = forms.FloatField(
        label="Penalty cap (%)", min_value=0, max_value=100, initial=100, help_text="The most a penalty takes."
    )
    points = forms.FloatField(
        min_value=0, max_value=1_000_000, required=False, help_text="Empty: the exercise's or quiz's own maximum."
    )
    counts = forms.ChoiceField(label="Which attempt counts", choices=GradedItem.Counts.choices)

    def __init__(self, *args: Any, offering: Offering, item: GradedItem | None = None, targets=(), **kwargs):
        self.offering, self.item = offering, item
        unbound = (args[0] if args else kwargs.get("data")) is None
        if item is not None and unbound and "initial" not in kwargs:
            kwargs["initial"] = {
                "position": item.position,
                "opens_at": _shown(item.opens_at, offering),
                "due_at": _shown(item.due_at, offering),
                "closes_at": _shown(item.closes_at, offering),
                "max_attempts": item.max_attempts,
                "late_policy": item.late_policy,
                "penalty_per_day": item.penalty_per_day,
                "penalty_cap": item.penalty_cap,
                "points": item.points,
                "counts": item.counts,
            }
        super().__init__(*args, **kwargs)
        if item is not None:
            del self.fields["target"]
        else:
            self.fields["target"].choices = list(targets)
        help_text = DATE_HELP.format(zone=offering.time_zone)
        for name in ("opens_at", "due_at", "closes_at"):
            self.fields[name].help_text = help_text

    def clean_opens_at(self) -> datetime | None:
        return _parse_date(self.cleaned_data["opens_at"], self.offering.time_zone)

    def clean_due_at(self) -> datetime | None:
        return _parse_date(self.cleaned_data["due_at"], self.offering.time_zone)

    def clean_closes_at(self) -> datetime | None:
        return _parse_date(self.cleaned_data["closes_at"], self.offering.time_zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        probe = GradedItem(
            offering=self.offering,
            opens_at=data.get("opens_at"),
            due_at=data.get("due_at"),
            closes_at=data.get("closes_at"),
        )
        try:
            probe.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return data

    def save(self, exercise=None, quiz=None) -> GradedItem:
        """Store the item (new: for ``exercise`` or ``quiz``); call after is_valid()."""
        item = self.item or GradedItem(offering=self.offering, exercise=exercise, quiz=quiz)
        data = self.cleaned_data
        if data.get("position") is None:
            last = GradedItem.objects.filter(offering=self.offering).order_by("-position").first()
            data["position"] = item.position if self.item else (last.position + 1 if last else 0)
        for name in ("position", "opens_at", "due_at", "closes_at", "max_attempts", "late_policy", "penalty_per_day",
                     "penalty_cap", "points", "counts"):  # fmt: skip
            setattr(item, name, data[name])
        item.save()
        return item


def _shown(moment: datetime | None, offering: Offering) -> str:
    return "" if moment is None else f"{policy.to_local(moment, offering.time_zone):%Y-%m-%d %H:%M}"


class ExtensionForm(forms.Form):
    item = forms.ModelChoiceField(queryset=GradedItem.objects.none(), empty_label=None)
    student = forms.ModelChoiceField(queryset=Enrollment.objects.none(), empty_label=None)
    due_at = _date_field("New due time")
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, offering: Offering, **kwargs: Any) -> None:
        self.offering = offering
        super().__init__(*args, **kwargs)
        items = GradedItem.objects.filter(offering=offering).select_related("exercise", "quiz")
        self.fields["item"].queryset = items
        self.fields["item"].label_from_instance = lambda item: item.title
        self.fields["student"].queryset = (
            Enrollment.objects.filter(offering=offering, role=Enrollment.Role.STUDENT)
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "user__username")
        )
        self.fields["student"].label_from_instance = _student_label
        self.fields["due_at"].required = True
        self.fields["due_at"].help_text = DATE_HELP.format(zone=offering.time_zone).replace("; empty for none", "")

    def clean_due_at(self) -> datetime:
        found = _parse_date(self.cleaned_data["due_at"], self.offering.time_zone)
        if found is None:
            raise ValidationError("Type the new due time.")
        return found


def _student_label(enrolment: Enrollment) -> str:
    user = enrolment.user
    name = user.get_full_name() or user.get_username()
    return f"{name} ({user.get_username()})" if name != user.get_username() else name


class RosterForm(forms.Form):
    roster = forms.FileField(
        label="Roster (CSV)",
        help_text="Columns: name, e-mail, student id (a header line names them). A wrong row stops the import.",
    )
    role = forms.ChoiceField(
        choices=[(Enrollment.Role.STUDENT, "Students"), (Enrollment.Role.TA, "TAs")], initial=Enrollment.Role.STUDENT
    )

    def clean_roster(self):
        upload = self.cleaned_data["roster"]
        if upload.size > MAX_BYTES:
            raise ValidationError(f"The file is {upload.size} bytes; at most {MAX_BYTES} are read.")
        return upload
