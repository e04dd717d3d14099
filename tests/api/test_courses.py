"""GET /api/courses and GET /api/courses/{slug}: the catalogue, the outline and the caller's progress."""

from __future__ import annotations

from stride.courses.models import Course, Lesson, StepProgress
from tests.api.support import Persona, assert_error


def test_it_lists_the_course_with_the_callers_progress(course: Course, student_a: Persona, student_b: Persona) -> None:
    lesson = Lesson.objects.get(key="how-a-cnn-extracts-features")
    StepProgress.objects.create(user=student_a.user, step=lesson.steps.order_by("position").first())
    listed = student_a.api.get("/api/courses").json()["courses"]
    assert [c["slug"] for c in listed] == ["cnn-features"]
    assert listed[0]["enrolled"] is True
    assert listed[0]["progress"] == {"completed_steps": 1, "steps": 36}
    assert "<em>see</em>" in listed[0]["summary_html"]
    assert student_b.api.get("/api/courses").json()["courses"][0]["progress"] == {"completed_steps": 0, "steps": 36}


def test_it_shows_outsiders_the_catalogue_without_progress(course: Course, outsider: Persona) -> None:
    listed = outsider.api.get("/api/courses").json()["courses"]
    assert listed[0]["enrolled"] is False and listed[0]["progress"] is None
    detail = outsider.api.get("/api/courses/cnn-features").json()
    assert detail["enrolled"] is False and detail["progress"] is None
    assert all(layer["unlocked"] is False for layer in detail["architecture_map"])


def test_it_outlines_modules_sections_lessons_and_quizzes(course: Course, student_a: Persona) -> None:
    body = student_a.api.get("/api/courses/cnn-features").json()
    module = body["modules"][0]
    assert (module["number"], module["title"]) == ("6.2", "How CNNs extract features")
    assert [s["number"] for s in module["sections"]] == ["6.2.1", "6.2.2", "6.2.3"]
    second = module["sections"][1]
    assert [lesson["key"] for lesson in second["lessons"]] == ["feature-maps-dialogue", "how-a-cnn-extracts-features"]
    assert second["lessons"][1] == {
        "id": Lesson.objects.get(key="how-a-cnn-extracts-features").pk,
        "key": "how-a-cnn-extracts-features",
        "number": "6.2.2.2",
        "title": "How a CNN extracts features, layer by layer",
        "steps": 7,
        "completed_steps": 0,
    }
    assert [q["key"] for q in second["quizzes"]] == ["kernels-and-feature-maps"]
    assert [layer["layer"] for layer in body["architecture_map"]] == [
        "input", "conv", "relu", "pool", "conv2", "relu2", "pool2", "global-pool", "dense",
    ]  # fmt: skip


def test_it_leaves_retired_lessons_out_of_the_outline(course: Course, student_a: Persona) -> None:
    Lesson.objects.filter(key="feature-maps-dialogue").update(retired=True)
    body = student_a.api.get("/api/courses/cnn-features").json()
    keys = [lesson["key"] for s in body["modules"][0]["sections"] for lesson in s["lessons"]]
    assert "feature-maps-dialogue" not in keys and len(keys) == 5


def test_it_answers_404_for_an_unknown_course(course: Course, student_a: Persona) -> None:
    assert_error(student_a.api.get("/api/courses/no-such-course"), 404, "not_found")
    assert_error(student_a.api.get("/api/courses/bad%20slug"), 404, "not_found")


def test_it_needs_credentials(course: Course, anonymous: Persona) -> None:
    assert_error(anonymous.api.get("/api/courses"), 401, "unauthenticated")
    assert_error(anonymous.api.get("/api/courses/cnn-features"), 401, "unauthenticated")


def test_it_allows_only_get(course: Course, student_a: Persona) -> None:
    response = student_a.api.post_json("/api/courses", {})
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET, HEAD"
    assert_error(student_a.api.delete("/api/courses/cnn-features"), 405, "method_not_allowed")


def test_it_outlines_a_bigger_course_with_the_same_number_of_queries(course: Course, student_a: Persona) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from stride.courses.models import Section

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert student_a.api.get("/api/courses/cnn-features").status_code == 200
        return len(captured)

    queries()  # the first call also fills per-process caches (the token, the glossary links)
    before = queries()
    module = course.modules.get()
    for n in range(4):
        section = Section.objects.create(
            course=course, module=module, key=f"extra-{n}", number=f"6.2.{9 + n}", title="x"
        )
        Lesson.objects.create(
            course=course, section=section, key=f"extra-lesson-{n}", number=f"6.2.{9 + n}.1", title="y"
        )
    assert queries() == before
