"""JSON API of courses and lessons: the outline, the caller's progress, and completing steps.

The catalogue and outlines are open to every signed-in user (so a student can choose a
course); lessons and progress need an enrolment in an offering of the course.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from stride.api.views import ID, MAX_ID, SLUG, ApiError, api_view, authenticated, json_object
from stride.courses import access, progress
from stride.courses.markdown import render_markdown
from stride.courses.models import Course, Lesson, Step
from stride.courses.visualization import resolved_params
from stride.glossary.linking import glossary_terms
from stride.quizzes.variants import VariantError

# Markdown fields of each step type's content, sent as "<field>_html".
MARKDOWN_FIELDS = {
    "tutor": ("text",),
    "article": ("text",),
    "overview": ("basic", "medium", "detailed"),
    "explanation": ("explanation", "analogy", "example"),
    "memory_aid": ("text",),
    "visualization": ("caption",),
    "exercise": ("text",),
}


def _find_course(slug: str) -> Course:
    found = Course.objects.filter(slug=slug).first() if SLUG.fullmatch(slug) else None
    if found is None:
        raise ApiError(404, "not_found", "no such course")
    return found


def _find_lesson(lesson_id: str) -> Lesson:
    found = None
    if ID.fullmatch(lesson_id) and 0 < int(lesson_id) <= MAX_ID:
        found = Lesson.objects.select_related("course", "section").filter(pk=int(lesson_id), retired=False).first()
    if found is None:
        raise ApiError(404, "not_found", "no such lesson")
    return found


def _check_prompt(user, step: Step) -> str:
    try:
        return progress.check_variant(user, step).prompt
    except VariantError:  # logged by the variant maker; the student sees the question unfilled
        return step.question.get("prompt", "")


def step_content(user, step: Step, completed: bool, terms) -> dict[str, Any]:
    """What a student sees of an open step: its fields, Markdown rendered, never an answer."""
    content = dict(step.content)
    for name in MARKDOWN_FIELDS.get(step.type, ()):
        if name in content:
            content[f"{name}_html"] = render_markdown(content.pop(name), terms)
    if step.type == "dialogue":
        content["lines"] = [
            {
                "speaker": line.get("speaker", ""),
                "role": line.get("role", ""),
                "text_html": render_markdown(line.get("text", ""), terms),
            }
            for line in content.get("lines", [])
        ]
    elif step.type == "faq":
        content["entries"] = [
            {"question": entry.get("question", ""), "answer_html": render_markdown(entry.get("answer", ""), terms)}
            for entry in content.get("entries", [])
        ]
    elif step.type == "visualization":
        content["params"] = resolved_params(step.content.get("kind", ""), step.content.get("params", {}))
    elif step.type == "check" and step.question:
        question = step.question
        content["question"] = {
            "key": question.get("id", ""),
            "type": question.get("type", ""),
            "prompt_html": render_markdown(_check_prompt(user, step), terms),
            "options": question.get("options", []),
        }
        if completed:
            content["question"]["explanation_html"] = render_markdown(question.get("explanation", ""), terms)
    elif step.type == "exercise" and step.exercise is not None:
        content["title"] = step.exercise.title
        content["function"] = step.exercise.function
    return content


def _step_json(user, state: progress.StepState, terms) -> dict[str, Any]:
    step = state.step
    return {
        "number": state.number,
        "key": step.key,
        "type": step.type,
        "complete": step.complete,
        "unlocks": step.unlocks or None,
        "completed": state.completed,
        "unlocked": state.unlocked,
        "content": step_content(user, step, state.completed, terms) if state.unlocked else None,
    }


def _next_step(states: list[progress.StepState]) -> int | None:
    return next((s.number for s in states if not s.completed), None)


def _course_summary(course: Course, enrolled: bool, counts: dict[int, tuple[int, int]] | None) -> dict[str, Any]:
    done, total = progress.progress_totals(counts or {})
    return {
        "slug": course.slug,
        "title": course.title,
        "number": course.number,
        "summary_html": render_markdown(course.summary, glossary_terms(course)),
        "enrolled": enrolled,
        "progress": {"completed_steps": done, "steps": total} if enrolled else None,
    }


@csrf_exempt
@never_cache
@api_view("GET")
@authenticated
def courses(request: HttpRequest) -> JsonResponse:
    """Every course, with the caller's progress in those they are enrolled in."""
    user = request.api_user
    enrolled = access.enrolled_course_ids(user)
    listed = []
    for course in Course.objects.all():
        member = course.pk in enrolled or access.is_site_staff(user)
        listed.append(_course_summary(course, member, progress.lesson_progress(user, course) if member else None))
    return JsonResponse({"courses": listed})


@csrf_exempt
@never_cache
@api_view("GET")
@authenticated
def course(request: HttpRequest, slug: str) -> JsonResponse:
    """A course's outline (modules, sections, lessons, quizzes) and the caller's progress."""
    user = request.api_user
    found = _find_course(slug)
    member = access.is_enrolled(user, found)
    counts = progress.lesson_progress(user if member else None, found)
    modules = [
        {
            "key": entry["module"].key,
            "number": entry["module"].number,
            "title": entry["module"].title,
            "sections": [
                {
                    "key": item["section"].key,
                    "number": item["section"].number,
                    "title": item["section"].title,
                    "lessons": [
                        {
                            "id": row["lesson"].pk,
                            "key": row["lesson"].key,
                            "number": row["lesson"].number,
                            "title": row["lesson"].title,
                            "steps": row["total"],
                            "completed_steps": row["done"],
                        }
                        for row in item["lessons"]
                    ],
                    "quizzes": [{"id": quiz.pk, "key": quiz.key, "title": quiz.title} for quiz in item["quizzes"]],
                }
                for item in entry["sections"]
            ],
        }
        for entry in progress.course_outline(found, counts)
    ]
    body = _course_summary(found, member, counts)
    body["modules"] = modules
    body["architecture_map"] = progress.architecture_map(user, found)
    return JsonResponse(body)


@csrf_exempt
@never_cache
@api_view("GET")
@authenticated
def lesson(request: HttpRequest, lesson_id: str) -> JsonResponse:
    """A lesson's steps with the caller's unlock state; locked steps come without content."""
    user = request.api_user
    found = _find_lesson(lesson_id)
    access.require_enrolled(user, found.course)
    terms = glossary_terms(found.course)
    states = progress.lesson_states(user, found)
    return JsonResponse(
        {
            "id": found.pk,
            "key": found.key,
            "course": found.course.slug,
            "number": found.number,
            "title": found.title,
            "tutor": found.tutor,
            "steps": [_step_json(user, state, terms) for state in states],
            "next_step": _next_step(states),
            "architecture_map": progress.architecture_map(user, found.course),
        }
    )


@csrf_exempt
@never_cache
@api_view("POST")
@authenticated
def step_complete(request: HttpRequest, lesson_id: str, number: str) -> JsonResponse:
    """Complete a step: read steps at once, check steps with a correct answer, exercise steps once passed."""
    user = request.api_user
    found = _find_lesson(lesson_id)
    access.require_enrolled(user, found.course)
    steps = list(found.steps.filter(retired=False).order_by("position"))
    # "007" is step 7 as in any integer, so leading zeros go before the length is bounded.
    digits = number.lstrip("0") if number.isascii() and number.isdigit() else ""
    place = int(digits) if 0 < len(digits) <= 6 else 0
    if not 1 <= place <= len(steps):
        raise ApiError(404, "not_found", "no such step")
    data = json_object(request) if request.body else {}
    if steps[place - 1].complete == Step.Completion.CHECK and "answer" not in data:
        raise ApiError(400, "invalid_field", '"answer" is required to complete a check step')
    try:
        state, feedback = progress.complete_step(user, found, place, data.get("answer"))
    except IndexError:
        raise ApiError(404, "not_found", "no such step") from None
    except progress.StepLocked as locked:
        raise ApiError(409, "conflict", f"step {place} is locked: {locked}") from None
    except VariantError as broken:
        raise ApiError(409, "conflict", f"this check question cannot be drawn: {broken}") from None
    except progress.NotCompleted as failed:
        if not failed.feedback:
            raise ApiError(409, "conflict", str(failed)) from None
        state, feedback = None, failed.feedback
    states = progress.lesson_states(user, found)
    terms = glossary_terms(found.course)
    if feedback and feedback.get("explanation"):
        feedback["explanation_html"] = render_markdown(feedback.pop("explanation"), terms)
    feedback = {key: value for key, value in (feedback or {}).items() if key != "explanation"} or None
    return JsonResponse(
        {
            "completed": state is not None,
            "feedback": feedback,
            "step": _step_json(user, states[place - 1], terms),
            "next_step": _next_step(states),
            "architecture_map": progress.architecture_map(user, found.course),
        }
    )


urlpatterns = [
    path("courses", courses, name="courses"),
    path("courses/<str:slug>", course, name="course"),
    path("lessons/<str:lesson_id>", lesson, name="lesson"),
    path("lessons/<str:lesson_id>/steps/<str:number>/complete", step_complete, name="step-complete"),
]
