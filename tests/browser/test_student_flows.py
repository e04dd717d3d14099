"""A student's journey through Stride in headless Chromium, against the real platform.

One site (web server, grading worker in the real sandbox, results worker) serves the whole
module; one account made through the sign-up page (the ``student`` fixture) does the flows.
Expected values come from the course package files and the grader's reference functions,
never from the pages themselves, so a page that computes or shows the wrong thing fails.

Screenshots of every main page land in test-artifacts/screenshots/ for a reviewer.
"""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from grader.package import find_exercise
from tests.browser.support import (
    PHONE,
    SHOWS_FOCUS,
    Account,
    Tab,
    enrol,
    lesson_path,
    log_in,
    new_username,
    sign_up,
    step_counter,
    submit_and_follow,
    unlocked_layers,
)
from tests.stack import EXERCISES_DIR, wait_for

pytestmark = pytest.mark.slow

COURSE = "cnn-features"
COURSE_DIR = EXERCISES_DIR / "courses" / COURSE
QUIZ = tomllib.loads((COURSE_DIR / "quizzes" / "kernels-and-feature-maps.toml").read_text(encoding="utf-8"))
COURSE_TOML = tomllib.loads((COURSE_DIR / "course.toml").read_text(encoding="utf-8"))
CONV2D_SOLUTIONS = EXERCISES_DIR / "conv2d" / "solutions"
# The kernel presets as exercises/courses/README.md defines them.
PRESETS = {
    "vertical-edge": [[-1, 0, 1]] * 3,
    "horizontal-edge": [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
    "blur": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
}
GRADING_TIMEOUT_MS = 60_000
#: The policy of frontend/HOOKS.md, with the request's nonce.
CONTRACT_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
# Stands in for the browser's speech synthesis: records what a page asks it to say and ends
# each utterance at once (headless Chromium has no voices).
RECORD_SPEECH = """
window.strideSpoken = [];
if (window.speechSynthesis) {
  window.speechSynthesis.speak = (utterance) => {
    window.strideSpoken.push(utterance.text);
    setTimeout(() => { utterance.dispatchEvent(new Event("start")); utterance.dispatchEvent(new Event("end")); }, 20);
  };
}
"""


def lesson(file_name: str) -> dict[str, Any]:
    return tomllib.loads((COURSE_DIR / "lessons" / f"{file_name}.toml").read_text(encoding="utf-8"))


#: The seven-step lesson whose steps unlock the architecture map, ending with the conv2d exercise.
LESSON = lesson("how-a-cnn-extracts-features")


# --- Lesson helpers ---------------------------------------------------------------------------


def complete_step(tab: Tab, step: dict[str, Any]) -> None:
    """Complete the step on screen as a student would: read it, or answer its check correctly."""
    page = tab.page
    if step["complete"] == "check":
        question = step["question"]
        assert question["type"] == "single", "the helper answers single-choice checks only"
        page.locator("main .question").get_by_label(question["answer"], exact=True).check()
        submit_and_follow(tab, "Check my answer")
    else:
        assert step["complete"] == "read", f"step {step['id']} is not completed by reading"
        submit_and_follow(tab, re.compile("Mark as read and continue|Finish the lesson"))


def reach_step(tab: Tab, content: dict[str, Any], number: int) -> str:
    """Open step ``number`` of a lesson, completing the steps before it that are not done yet."""
    path = lesson_path(tab, COURSE, content["title"])
    tab.goto(path)
    current, _ = step_counter(tab)
    while current < number:
        complete_step(tab, content["steps"][current - 1])
        current, _ = step_counter(tab)
    if current != number:
        tab.goto(f"{path}?step={number}")
    assert step_counter(tab)[0] == number
    return path


def step_number(content: dict[str, Any], **fields: str) -> int:
    """The number (from 1) of the first step of a lesson with these field values."""
    return next(i for i, step in enumerate(content["steps"], 1) if all(step.get(k) == v for k, v in fields.items()))


# --- The visualizer -------------------------------------------------------------------------


def reference(slug: str):
    return find_exercise(slug).reference_function


def cell_values(widget) -> list[list[float | None]]:
    """The output grid as numbers (None for a cell not computed yet)."""
    rows = widget.locator(".viz-output tr").evaluate_all(
        "(rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => td.textContent.trim()))"
    )
    return [[float(text.replace("\u2212", "-")) if text else None for text in row] for row in rows]


def server_params(widget) -> dict[str, Any]:
    """The parameters the server put in the page for the widget (frontend/HOOKS.md, visualization)."""
    return json.loads(widget.locator("script.visualizer-params").text_content() or "{}")


def output_size(widget) -> tuple[int, int]:
    text = widget.locator("[data-output-size]").inner_text()
    found = re.fullmatch(r"\s*(\d+) x (\d+)\s*", text)
    assert found, f"[data-output-size] reads {text!r}, not 'R x C'"
    return int(found.group(1)), int(found.group(2))


def assert_output(tab: Tab, widget, expected: np.ndarray) -> None:
    """Finish the animation and compare every cell with the reference, rounded as displayed."""
    widget.locator('[data-action="finish"]').click()
    assert output_size(widget) == expected.shape
    shown = cell_values(widget)
    assert np.array(shown, dtype=float).shape == expected.shape, shown
    assert np.array_equal(np.array(shown, dtype=float), np.round(expected, 2)), (shown, np.round(expected, 2))


def set_number(widget, control: str, value: int) -> None:
    field = widget.locator(f'[data-control="{control}"]')
    field.fill(str(value))
    field.blur()


# --- The exercise page ---------------------------------------------------------------------


def solution(name: str) -> str:
    return (CONV2D_SOLUTIONS / name).read_text(encoding="utf-8")


def load_function(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(f"browser_sample_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, name)


def visible_failures(file_name: str) -> dict[str, int]:
    """Visible conv2d tests the sample fails, with how many output cells differ (trusted, in-process)."""
    exercise = find_exercise("conv2d")
    candidate = load_function(CONV2D_SOLUTIONS / file_name, exercise.function)
    failing = {}
    for case in exercise.build_cases(seed=0):
        if not case.visible:
            continue
        expected = np.asarray(exercise.expected_output(case), dtype=float)
        actual = np.asarray(candidate(*case.args, **case.kwargs), dtype=float)
        rtol = case.rtol if case.rtol is not None else exercise.rtol
        atol = case.atol if case.atol is not None else exercise.atol
        if expected.shape != actual.shape:
            failing[case.name] = -1
            continue
        differs = np.abs(actual - expected) > atol + rtol * np.abs(expected)
        if differs.any():
            failing[case.name] = int(differs.sum())
    return failing


def replace_code(tab: Tab, code: str) -> None:
    """Select everything in the code editor and put ``code`` in its place (as a paste would)."""
    page = tab.page
    editor = page.locator(".cm-editor .cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(code)


def editor_text(tab: Tab) -> str:
    return tab.page.locator(".cm-editor .cm-content").evaluate(
        "(content) => Array.from(content.querySelectorAll('.cm-line'), (line) => line.textContent).join('\\n')"
    )


def visible_names() -> set[str]:
    return {case.name for case in find_exercise("conv2d").build_cases(seed=0) if case.visible}


def watch_status(tab: Tab) -> Callable[[], list[str]]:
    """Record every state the live status box shows from now on (Queued, Running, Graded, Error)."""
    tab.page.evaluate(
        """() => {
          const box = document.querySelector('[data-submission-status]');
          window.strideStatuses = [];
          const record = () => {
            const found = box.textContent.match(/Queued|Running|Graded|Error/);
            if (found && window.strideStatuses.at(-1) !== found[0]) window.strideStatuses.push(found[0]);
          };
          new MutationObserver(record).observe(box, {subtree: true, childList: true, characterData: true});
        }"""
    )
    return lambda: tab.page.evaluate("window.strideStatuses")


def submit(tab: Tab, action: Callable[[], None]) -> int:
    """Do ``action`` (a click or a key) and return the id of the submission the page POSTed."""
    page = tab.page

    def is_submit(response) -> bool:
        return response.request.method == "POST" and response.url.endswith("/exercises/conv2d/submit")

    with page.expect_response(is_submit) as posted:
        action()
    response = posted.value
    assert response.ok, f"the submission was answered with {response.status}"
    assert "application/json" in (response.headers.get("content-type") or ""), "the script did not ask for JSON"
    body = response.json()
    pk = body["id"]
    assert body["status_url"] == f"/api/submissions/{pk}", body
    assert body["result_url"] == f"/exercises/conv2d/submissions/{pk}/result", body
    return pk


def wait_for_result(tab: Tab, pk: int) -> None:
    """Wait until the page shows submission ``pk`` graded, without a reload."""
    result = tab.page.locator(f'[data-submission-result] .result[data-submission-id="{pk}"][data-status="graded"]')
    result.wait_for(timeout=GRADING_TIMEOUT_MS)
    tab.page.locator("[data-submission-status]").filter(has_text="Graded").wait_for(timeout=GRADING_TIMEOUT_MS)


def score_percent(result) -> float:
    text = result.locator(".score").inner_text()
    found = re.search(r"(\d+(?:\.\d+)?)\s*%", text)
    assert found, f"no percentage in the score {text!r}"
    return float(found.group(1))


def focused(tab: Tab) -> dict[str, Any]:
    """What has the keyboard focus, and whether it shows the site's focus indicator (support.SHOWS_FOCUS)."""
    return tab.page.evaluate(
        """() => {
          const el = document.activeElement;
          const box = el.getBoundingClientRect();
          const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 40);
          return {
            classes: typeof el.className === 'string' ? el.className : '',
            visible: box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0
              && box.top < innerHeight && box.left < innerWidth,
            ring: (SHOWS_FOCUS)(el),
            inEditor: !!el.closest('.cm-editor'),
            submit: el.matches('form[data-code-form] button[type="submit"]'),
            description: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${text}"`,
          };
        }""".replace("SHOWS_FOCUS", SHOWS_FOCUS)
    )


def history_rows(tab: Tab) -> int:
    return tab.page.locator("[data-submission-history] tbody tr").count()


def mark_document(tab: Tab) -> None:
    """Leave a mark in the current document: it is gone if the page reloads or navigates."""
    tab.page.evaluate("window.strideTestMark = 'still the same page'")


def same_document(tab: Tab) -> bool:
    return tab.page.evaluate("window.strideTestMark") == "still the same page"


# --- Tests ------------------------------------------------------------------------------------


def test_it_serves_the_login_page_without_browser_problems(tab) -> None:
    anonymous = tab()
    anonymous.goto("/accounts/login/")
    assert anonymous.page.get_by_label("Username").is_visible()
    assert anonymous.page.get_by_label("Password").is_visible()
    anonymous.screenshot("login")
    anonymous.goto("/accounts/signup/")
    anonymous.screenshot("signup")


def test_it_gives_the_browser_an_icon(tab) -> None:
    """Without a declared icon Chromium asks for /favicon.ico and logs the 404 as a console error."""
    visitor = tab()
    visitor.goto("/")
    icons = visitor.page.locator('head link[rel~="icon"]')
    if icons.count():
        href = icons.first.get_attribute("href") or ""
        if not href.startswith("data:"):
            response = visitor.page.request.get(visitor.base_url + href if href.startswith("/") else href)
            assert response.ok, f"the declared icon {href} answers {response.status}"
    else:
        response = visitor.page.request.get(visitor.base_url + "/favicon.ico")
        assert response.ok, f"no <link rel=icon> and /favicon.ico answers {response.status}"


def test_it_signs_up_a_new_student_who_enrols_in_the_demo_course(tab) -> None:
    visitor = tab()
    visitor.goto("/")
    cards = visitor.page.locator("main").get_by_role("link", name=re.compile(COURSE_TOML["title"][:20]))
    assert cards.count() >= 1, "the home page does not show the demo course"
    visitor.screenshot("home")
    visitor.goto(f"/courses/{COURSE}/")
    assert visitor.page.get_by_role("link", name=re.compile("Log in to enrol")).is_visible()

    account = sign_up(visitor, new_username("newcomer"))
    visitor.goto(f"/courses/{COURSE}/")
    assert visitor.page.get_by_role("button", name=re.compile("Enrol")).is_visible()
    assert visitor.page.locator(".lesson-row a").count() == 0, "lessons are links before enrolling"

    enrol(visitor, COURSE)
    main = visitor.page.locator("main")
    assert visitor.page.get_by_role("button", name=re.compile("Enrol")).count() == 0
    assert re.search(r"\b0 of \d+ steps done", main.inner_text()), main.inner_text()[:400]
    outline = [lesson for module in COURSE_TOML["modules"] for s in module["sections"] for lesson in s["lessons"]]
    assert visitor.page.locator(".lesson-row:not(.quiz-row) a").count() == len(outline)
    row = visitor.page.locator(".lesson-row", has_text=LESSON["title"])
    assert f"0 / {len(LESSON['steps'])} steps" in row.inner_text()
    visitor.screenshot("course")

    # Signed out and in again, the enrolment is still there.
    with visitor.page.expect_navigation():
        visitor.page.locator("header").get_by_role("button", name="Log out").click()
    assert visitor.page.locator("header").get_by_role("link", name="Log in").is_visible()
    log_in(visitor, account)
    visitor.goto(f"/courses/{COURSE}/")
    assert visitor.page.locator("progress.progress").count() == 1


def test_it_resets_a_forgotten_password_with_the_link_of_the_console_email(tab, site, new_student: Account) -> None:
    visitor = tab()
    visitor.goto("/accounts/password_reset/")
    page = visitor.page
    page.get_by_label("Email").fill(f"{new_student.username}@example.org")
    submit_and_follow(visitor, "Send the link")
    assert page.url.endswith("/accounts/password_reset/done/"), page.url

    # The console e-mail backend writes the message to the web process's output.
    pattern = re.compile(re.escape(site.url) + r"/accounts/reset/[\w-]+/[\w-]+/")
    link = wait_for("the password-reset e-mail in the web log", lambda: pattern.search(site.log("web")), timeout=10)
    visitor.goto(link.group(0).removeprefix(site.url), expect_status=200)
    password = "a-brand-new-password-42"
    page.get_by_label("New password", exact=True).fill(password)
    page.get_by_label("New password confirmation").fill(password)
    submit_and_follow(visitor, "Set the password")
    assert page.url.endswith("/accounts/reset/done/"), page.url
    visitor.screenshot("password-reset-complete")

    log_in(tab(), Account(username=new_student.username, password=password))


def test_it_unlocks_the_architecture_map_as_the_lesson_steps_are_completed(tab, new_student: Account) -> None:
    learner = tab(new_student)
    path = lesson_path(learner, COURSE, LESSON["title"])
    steps = LESSON["steps"]
    learner.goto(path)
    assert step_counter(learner) == (1, len(steps)) == (1, 7)
    assert LESSON["tutor"] in learner.page.locator(".step").inner_text()
    layers = learner.page.locator(".arch-map .arch-layer").evaluate_all("(items) => items.map((i) => i.dataset.layer)")
    assert layers == ["input", "conv", "relu", "pool", "conv2", "relu2", "pool2", "global-pool", "dense"]
    assert unlocked_layers(learner) == []
    learner.screenshot("lesson-player")

    # A step after the next one to do is locked: asking for it shows the next one instead.
    learner.goto(f"{path}?step=3")
    assert step_counter(learner)[0] == 1

    unlocked: list[str] = []
    for number, step in enumerate(steps[:-1], start=1):
        assert step_counter(learner)[0] == number
        assert learner.page.locator(f'.step[data-step-type="{step["type"]}"]').count() == 1
        if step["complete"] == "check":
            # A wrong answer says so and unlocks nothing.
            wrong = next(option for option in step["question"]["options"] if option != step["question"]["answer"])
            learner.page.locator("main .question").get_by_label(wrong, exact=True).check()
            submit_and_follow(learner, "Check my answer", expect_status=422)
            assert "Not yet" in learner.page.locator(".feedback").inner_text()
            assert unlocked_layers(learner) == unlocked
            assert step_counter(learner)[0] == number
            learner.screenshot("lesson-check-feedback")
        complete_step(learner, step)
        unlocked.append(step["unlocks"])
        assert unlocked_layers(learner) == [layer for layer in layers if layer in unlocked], f"after step {number}"

    # The last step is the conv2d exercise: it cannot be completed before the exercise is passed.
    assert step_counter(learner) == (7, 7)
    exercise_step = learner.page.locator('.step[data-step-type="exercise"]')
    assert exercise_step.get_by_role("link", name=re.compile("Open the exercise")).get_attribute("href") == (
        "/exercises/conv2d/"
    )
    assert learner.page.locator("main").get_by_role("button", name="Continue").is_disabled()
    learner.screenshot("lesson-exercise-step")
    learner.goto(f"/courses/{COURSE}/")
    row = learner.page.locator(".lesson-row", has_text=LESSON["title"])
    assert f"6 / {len(steps)} steps" in row.inner_text()


def test_it_recomputes_the_convolution_when_the_kernel_stride_and_padding_change(tab, student: Account) -> None:
    learner = tab(student)
    number = step_number(LESSON, type="visualization", kind="convolution")
    reach_step(learner, LESSON, number)
    widget = learner.page.locator('[data-visualizer][data-viz-ready="true"]')
    widget.wait_for()
    learner.screenshot("visualizer")
    params = LESSON["steps"][number - 1]["params"]
    image = np.array(params["input"], dtype=float)
    conv2d = reference("conv2d")
    sent = server_params(widget)
    assert sent.get("kind") == "convolution", f"the page's visualizer-params lack kind 'convolution': {sent}"
    assert sent["output"] == conv2d(image, np.array(PRESETS[params["preset"]], float)).tolist()

    # As the lesson opens it: the preset, stride 1, no padding.
    assert widget.locator('[data-control="preset"]').input_value() == params["preset"]
    kernel = np.array(PRESETS[params["preset"]], dtype=float)
    assert output_size(widget) == (4, 4)
    assert_output(learner, widget, conv2d(image, kernel, stride=1, padding="valid"))

    # Stride 2 roughly halves each side.
    set_number(widget, "stride", 2)
    assert output_size(widget) == (2, 2)
    assert_output(learner, widget, conv2d(image, kernel, stride=2, padding="valid"))

    # 'same' keeps ceil(n / s).
    widget.locator('[data-control="padding"]').select_option("same")
    assert output_size(widget) == (3, 3)
    assert_output(learner, widget, conv2d(image, kernel, stride=2, padding="same"))

    # An int padding adds a zero border that the input grid shows.
    widget.locator('[data-control="padding"]').select_option("int")
    set_number(widget, "padding-amount", 1)
    set_number(widget, "stride", 1)
    assert output_size(widget) == (6, 6)
    assert_output(learner, widget, conv2d(image, kernel, stride=1, padding=1))
    padded_cells = widget.locator('.viz-input [role="cell"]')
    assert padded_cells.count() == 8 * 8, "the input grid does not show the zero border"
    learner.screenshot("visualizer-padding")

    # Another preset, then a kernel edited by hand.
    widget.locator('[data-control="preset"]').select_option("horizontal-edge")
    assert_output(learner, widget, conv2d(image, np.array(PRESETS["horizontal-edge"], float), stride=1, padding=1))
    widget.locator('[data-control="preset"]').select_option("sharpen")
    custom = np.array(PRESETS["sharpen"], dtype=float)
    cell = widget.locator('[data-control="kernel-cell"][data-row="0"][data-col="2"]')
    cell.fill("2.5")
    cell.blur()
    custom[0, 2] = 2.5
    assert widget.locator('[data-control="preset"]').input_value() == "custom"
    assert_output(learner, widget, conv2d(image, custom, stride=1, padding=1))

    # Step by step: Reset empties the output, each Step computes the next cell in reading order.
    widget.locator('[data-action="reset"]').click()
    assert all(value is None for row in cell_values(widget) for value in row)
    for _ in range(3):
        widget.locator('[data-action="step"]').click()
    expected = np.round(conv2d(image, custom, stride=1, padding=1), 2)
    shown = [value for row in cell_values(widget) for value in row]
    assert shown[:3] == list(expected.flat[:3]) and all(value is None for value in shown[3:])

    # Play fills cells over time; Pause stops it.
    widget.locator('[data-action="play"]').click()
    learner.page.wait_for_function(
        "(w) => Array.from(w.querySelectorAll('.viz-output td')).filter((td) => td.textContent.trim()).length > 4",
        arg=widget.element_handle(),
        timeout=15_000,
    )
    widget.locator('[data-action="pause"]').click()
    filled = sum(value is not None for row in cell_values(widget) for value in row)
    learner.page.wait_for_timeout(1_500)
    assert sum(value is not None for row in cell_values(widget) for value in row) == filled
    learner.assert_clean()


def test_it_shrinks_the_grid_in_the_pooling_visualizer(tab, student: Account) -> None:
    learner = tab(student)
    number = step_number(LESSON, type="visualization", kind="pooling")
    reach_step(learner, LESSON, number)
    widget = learner.page.locator('[data-visualizer][data-viz-ready="true"]')
    widget.wait_for()
    learner.screenshot("visualizer-pooling")
    params = LESSON["steps"][number - 1]["params"]
    grid = np.array(params["input"], dtype=float)
    max_pool, avg_pool = reference("max-pool"), reference("avg-pool")
    sent = server_params(widget)
    assert sent.get("kind") == "pooling", f"the page's visualizer-params lack kind 'pooling': {sent}"
    assert sent["output"] == max_pool(grid, pool_size=2, stride=2, padding="valid").tolist()

    assert output_size(widget) == (2, 2)
    assert_output(learner, widget, max_pool(grid, pool_size=2, stride=2, padding="valid"))
    assert cell_values(widget) == [[6, 2], [2, 8]]  # as the lesson's caption says

    widget.locator('[data-control="mode"]').select_option("average")
    assert_output(learner, widget, avg_pool(grid, pool_size=2, stride=2, padding="valid"))

    set_number(widget, "pool-size", 3)
    set_number(widget, "stride", 2)
    assert output_size(widget) == (1, 1)
    assert_output(learner, widget, avg_pool(grid, pool_size=3, stride=2, padding="valid"))
    widget.locator('[data-control="padding"]').select_option("same")
    assert output_size(widget) == (2, 2)
    assert_output(learner, widget, avg_pool(grid, pool_size=3, stride=2, padding="same"))
    widget.locator('[data-control="mode"]').select_option("max")
    assert_output(learner, widget, max_pool(grid, pool_size=3, stride=2, padding="same"))
    learner.assert_clean()


def test_it_shows_which_tests_a_wrong_conv2d_fails_with_heatmaps(tab, student: Account) -> None:
    coder = tab(student)
    coder.goto("/exercises/conv2d/")
    page = coder.page
    page.locator(".cm-editor").wait_for()
    # CodeMirror replaced the plain textarea: line numbers, Python highlighting, the starter code.
    assert page.locator("textarea#code").is_hidden()
    assert page.locator(".cm-editor .cm-lineNumbers").count() == 1
    starter = (EXERCISES_DIR / "conv2d" / "starter.py").read_text(encoding="utf-8")
    assert editor_text(coder).strip() == starter.strip()
    assert page.locator(".cm-content .cm-line span").count() > 0, "no highlighted tokens in the editor"

    earlier = history_rows(coder)
    statuses = watch_status(coder)
    replace_code(coder, solution("bad_flipped_kernel.py"))
    mark_document(coder)
    first = submit(coder, lambda: page.locator("form[data-code-form]").get_by_role("button", name="Submit").click())
    wait_for_result(coder, first)
    coder.screenshot("exercise-results")
    phone = tab(student, viewport=PHONE)
    phone.goto("/exercises/conv2d/")
    phone.page.locator("[data-submission-result] .test-result.failed").first.wait_for()
    phone.screenshot("exercise-results-375")
    assert phone.horizontal_overflow() <= 0, "the results scroll sideways at 375 px"
    assert same_document(coder), "submitting reloaded the page"
    seen = statuses()
    assert seen[-1] == "Graded" and set(seen[:-1]) & {"Queued", "Running"}, f"status went {seen}"

    result = page.locator("[data-submission-result]")
    assert score_percent(result) < 100
    failures = visible_failures("bad_flipped_kernel.py")
    assert failures, "the sample should fail a visible test (has the exercise changed?)"
    for case_name, differing in failures.items():
        row = result.locator(f'.test-result.failed[data-test-name="{case_name}"]')
        assert row.count() == 1, f"the failed test {case_name!r} is not shown as failed"
        assert row.locator(".test-message").inner_text().strip(), f"no message for {case_name!r}"
        pair = row.locator("figure.heatmap-pair")
        assert pair.locator("figure.heatmap.expected svg").count() == 1, f"no expected heatmap for {case_name!r}"
        assert pair.locator("figure.heatmap.actual svg").count() == 1, f"no actual heatmap for {case_name!r}"
        for side in ("expected", "actual"):
            marked = pair.locator(f"figure.heatmap.{side} rect.diff").count()
            assert marked == differing, f"{case_name!r}: {marked} cells marked in {side}, {differing} differ"
    for case_name in visible_names() - set(failures):
        assert result.locator(f'.test-result.passed[data-test-name="{case_name}"]').count() == 1, case_name
    hidden = [name for name in result.locator(".test-result.failed").evaluate_all(
        "(rows) => rows.map((row) => row.dataset.testName)") if name not in visible_names()]  # fmt: skip
    assert hidden, "the flipped kernel also fails hidden tests"
    for case_name in hidden:
        row = result.locator(f'.test-result.failed[data-test-name="{case_name}"]')
        assert row.locator("figure.heatmap").count() == 0, f"the hidden test {case_name!r} shows its data"
    assert history_rows(coder) == earlier + 1


def test_it_grades_the_fixed_conv2d_at_100_percent_and_completes_the_lesson(tab, student: Account) -> None:
    coder = tab(student)
    coder.goto("/exercises/conv2d/")
    page = coder.page
    page.locator(".cm-editor").wait_for()
    earlier = history_rows(coder)
    statuses = watch_status(coder)
    mark_document(coder)
    replace_code(coder, solution("good_vectorized.py"))
    pk = submit(coder, lambda: page.keyboard.press("ControlOrMeta+Enter"))  # the editor's keyboard submit
    wait_for_result(coder, pk)
    assert same_document(coder), "submitting reloaded the page"
    assert statuses()[-1] == "Graded"
    result = page.locator("[data-submission-result]")
    assert score_percent(result) == 100
    assert result.locator(".test-result.failed").count() == 0
    assert result.locator(".test-result.passed").count() >= len(visible_names())
    assert history_rows(coder) == earlier + 1
    assert "100%" in page.locator("[data-submission-history] tbody tr").first.inner_text()
    coder.screenshot("exercise-passed")

    # The lesson's last step can now be completed, which unlocks the dense layer.
    number = step_number(LESSON, type="exercise")
    reach_step(coder, LESSON, number)
    submit_and_follow(coder, "Continue")
    assert "dense" in unlocked_layers(coder)
    assert unlocked_layers(coder) == [
        layer for layer in ("input", "conv", "relu", "pool", "conv2", "relu2", "pool2", "global-pool", "dense")
        if layer in {step["unlocks"] for step in LESSON["steps"]}
    ]  # fmt: skip
    coder.goto(f"/courses/{COURSE}/")
    steps = len(LESSON["steps"])
    assert f"{steps} / {steps} steps" in page.locator(".lesson-row", has_text=LESSON["title"]).inner_text()

    # The grades page shows the best score and every attempt.
    coder.goto("/grades/")
    title = find_exercise("conv2d").title
    row = page.locator("main tr", has_text=title)
    assert row.count() == 1, f"/grades/ has no row for {title!r}"
    cells = row.locator("td").all_inner_texts()
    assert any("100%" in cell for cell in cells) and str(earlier + 1) in [cell.strip() for cell in cells], cells
    coder.screenshot("grades")


def test_it_keeps_unsaved_code_across_a_reload_until_reset_to_the_starter(tab, student: Account) -> None:
    coder = tab(student)
    coder.goto("/exercises/conv2d/")
    page = coder.page
    page.locator(".cm-editor").wait_for()
    key = page.locator("textarea#code").get_attribute("data-storage-key") or ""
    assert re.fullmatch(r"stride:code:\d+:conv2d", key), key
    draft = f"def conv2d(image, kernel, stride=1, padding='valid'):\n    return '{new_username('draft')}'\n"
    replace_code(coder, draft)
    page.wait_for_function("(key) => localStorage.getItem(key) !== null", arg=key)

    page.reload()
    coder.wait_ready()
    page.locator(".cm-editor").wait_for()
    assert editor_text(coder).strip() == draft.strip()

    page.on("dialog", lambda dialog: dialog.accept())  # a confirmation before throwing work away is fine
    page.locator('[data-action="reset-code"]').click()
    starter = (EXERCISES_DIR / "conv2d" / "starter.py").read_text(encoding="utf-8")
    assert editor_text(coder).strip() == starter.strip()
    page.wait_for_function("(key) => localStorage.getItem(key) === null", arg=key)
    page.reload()
    coder.wait_ready()
    page.locator(".cm-editor").wait_for()
    assert editor_text(coder).strip() == starter.strip()
    coder.assert_clean()


def test_it_can_be_used_with_the_keyboard_and_shows_where_the_focus_is(tab, student: Account) -> None:
    coder = tab(student)
    coder.goto("/exercises/conv2d/")
    page = coder.page
    page.locator(".cm-editor").wait_for()
    # The check must tell focus from rest: the Submit button has a shadow but no ring before it is reached.
    at_rest = page.locator('form[data-code-form] button[type="submit"]').evaluate(
        f"(el) => [getComputedStyle(el).boxShadow, ({SHOWS_FOCUS})(el)]"
    )
    assert at_rest[0] != "none" and at_rest[1] is False, f"the Submit button at rest: {at_rest}"

    page.keyboard.press("Tab")
    first = focused(coder)
    assert "skip-link" in first["classes"] and first["visible"], f"the first Tab stop is {first}"
    assert first["ring"], "the skip link shows no focus indicator"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main", "the skip link does not move the focus to #main"

    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        now = focused(coder)
        if now["inEditor"]:
            # CodeMirror keeps Tab for indenting; Escape then Tab leaves the editor.
            page.keyboard.press("Escape")
            continue
        reached.append(now)
        assert now["ring"], f"no visible focus indicator on {now['description']}"
        if now["submit"]:
            break
    else:
        pytest.fail(f"Tab never reached the Submit button; it went through {[r['description'] for r in reached]}")

    pk = submit(coder, lambda: page.keyboard.press("Enter"))
    wait_for_result(coder, pk)
    coder.assert_clean()


def test_it_fits_a_375px_screen_on_every_page(tab, student: Account) -> None:
    phone = tab(student, viewport=PHONE)
    lesson_at = lesson_path(phone, COURSE, LESSON["title"])
    pages = {
        "home": "/",
        "catalog": "/courses/",
        "course": f"/courses/{COURSE}/",
        "lesson-player": lesson_at + "?step=1",
        "visualizer": lesson_at + f"?step={step_number(LESSON, type='visualization', kind='convolution')}",
        "exercise": "/exercises/conv2d/",
        "flashcards": "/flashcards/",
        "quiz": quiz_path(phone),
        "glossary": "/glossary/",
        "grades": "/grades/",
    }
    wide = {}
    for name, path in pages.items():
        phone.goto(path)
        if name in ("home", "course", "lesson-player", "visualizer", "flashcards", "quiz", "glossary", "grades"):
            phone.screenshot(f"{name}-375")
        overflow = phone.horizontal_overflow()
        if overflow > 0:
            wide[path] = overflow
    anonymous = tab(viewport=PHONE)
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password_reset/"):
        anonymous.goto(path)
        overflow = anonymous.horizontal_overflow()
        if overflow > 0:
            wide[path] = overflow
    assert not wide, f"pages wider than 375 px (extra pixels): {wide}"


def test_it_sends_every_page_with_a_strict_content_security_policy(tab, student: Account) -> None:
    signed_in, anonymous = tab(student), tab()
    pages = [(signed_in, path) for path in ("/", "/courses/", f"/courses/{COURSE}/", "/exercises/conv2d/",
                                            "/flashcards/", "/glossary/", "/grades/")]  # fmt: skip
    pages += [(signed_in, lesson_path(signed_in, COURSE, LESSON["title"])), (signed_in, quiz_path(signed_in))]
    pages += [
        (anonymous, "/accounts/login/"),
        (anonymous, "/accounts/signup/"),
        (anonymous, "/accounts/password_reset/"),
    ]
    problems = []
    for client, path in pages:
        response = client.page.request.get(client.base_url + path)
        assert response.status == 200, f"{path}: {response.status}"
        problems += csp_problems(path, response.headers.get("content-security-policy", ""), response.text())
    assert not problems, "\n".join(problems)


def csp_problems(path: str, policy: str, html: str) -> list[str]:
    """What breaks the contract's CSP rules in one page: the header, inline scripts, inline styles."""
    problems = []
    nonce = re.search(r"'nonce-([^']+)'", policy)
    if not nonce or policy != CONTRACT_POLICY.format(nonce=nonce.group(1)):
        problems.append(f"{path}: Content-Security-Policy is {policy!r}")
    meta = re.search(r'<meta name="csp-nonce" content="([^"]*)">', html)
    if not meta or not nonce or meta.group(1) != nonce.group(1):
        problems.append(f"{path}: the csp-nonce meta does not carry the header's nonce")
    for tag in re.findall(r"<script\b[^>]*>", html):
        if "src=" not in tag and 'type="application/json"' not in tag:
            problems.append(f"{path}: inline script {tag}")
    for tag in re.findall(r"<[a-zA-Z][^>]*\s(?:style|on[a-z]+)\s*=[^>]*>", html):
        problems.append(f"{path}: inline style or event handler in {tag[:120]}")
    return problems


def test_it_shows_the_overview_at_three_depths_and_reads_the_dialogue_aloud(tab, student: Account) -> None:
    learner = tab(student)
    learner.page.add_init_script(RECORD_SPEECH)
    depths = lesson("convolution-at-three-depths")
    reach_step(learner, depths, step_number(depths, type="overview"))
    page = learner.page
    overview = page.locator('.step[data-step-type="overview"]')
    for depth in ("basic", "medium", "detailed"):
        overview.locator("fieldset.depth-switch").get_by_label(re.compile(depth, re.IGNORECASE)).check()
        for other in ("basic", "medium", "detailed"):
            shown = overview.locator(f".depth.depth-{other}").is_visible()
            assert shown == (other == depth), f"with {depth} chosen, {other} is {'shown' if shown else 'hidden'}"
    learner.screenshot("lesson-overview")

    talk = lesson("feature-maps-dialogue")
    reach_step(learner, talk, step_number(talk, type="dialogue"))
    dialogue = page.locator('.step[data-step-type="dialogue"]')
    lines = dialogue.locator("ol.dialogue li.line")
    step = talk["steps"][step_number(talk, type="dialogue") - 1]
    assert lines.count() == len(step["lines"])
    assert lines.locator(".speaker").all_inner_texts() == [line["speaker"] for line in step["lines"]]
    dialogue.locator("[data-read-aloud]").click()
    page.wait_for_function("window.strideSpoken.length > 0")
    spoken = page.evaluate("window.strideSpoken")
    texts = [" ".join(text.split()) for text in lines.locator(".text").all_inner_texts()]
    assert any(texts[0] in " ".join(said.split()) for said in spoken), (spoken[:2], texts[0])
    learner.screenshot("lesson-dialogue")

    # Glossary terms in a lesson explain themselves on focus.
    term = page.locator("main a.term").first
    term.focus()
    tooltip = page.get_by_role("tooltip")
    tooltip.first.wait_for()
    definition = term.get_attribute("title") or term.get_attribute("data-definition") or ""
    assert tooltip.first.inner_text().strip(), "the tooltip is empty"
    assert definition == "" or definition[:20] in tooltip.first.inner_text()
    learner.assert_clean()


def test_it_lists_and_searches_the_glossary(tab, student: Account) -> None:
    reader = tab(student)
    terms = tomllib.loads((COURSE_DIR / "glossary.toml").read_text(encoding="utf-8"))["term"]
    reader.goto("/glossary/")
    page = reader.page
    ids = page.locator("main article[id^='term-']").evaluate_all("(items) => items.map((item) => item.id)")
    assert sorted(ids) == sorted(f"term-{term['id']}" for term in terms)
    reader.screenshot("glossary")
    search = page.locator("main form").get_by_role("searchbox").or_(page.locator("main form input[name='q']"))
    search.first.fill("stride")
    with page.expect_navigation():
        search.first.press("Enter")
    assert "q=stride" in page.url
    found = page.locator("main article[id^='term-']").evaluate_all("(items) => items.map((item) => item.id)")
    assert "term-stride" in found and len(found) < len(ids), found
    reader.assert_clean()


def test_it_reviews_flashcards_with_the_keyboard_and_the_buttons(tab, student: Account) -> None:
    reviewer = tab(student)
    reviewer.goto("/flashcards/")
    page = reviewer.page
    due = due_count(reviewer)
    assert due >= 3, f"a new student should have many cards due, not {due}"
    card = page.locator("[data-flashcards]")
    first_front = card.locator(".flashcard-front").inner_text()
    assert first_front.strip()
    assert card.locator(".flashcard-back").is_hidden()
    reviewer.screenshot("flashcards")

    # Keyboard: Space shows the answer, 3 rates it Good.
    page.keyboard.press("Space")
    card.locator(".flashcard-back").wait_for(state="visible")
    assert card.get_by_role("button", name=re.compile("Again")).is_visible()
    reviewer.screenshot("flashcards-answer")
    page.keyboard.press("3")
    wait_for_due_count(reviewer, due - 1)
    reviewer.assert_clean()
    assert page.locator("[data-flashcards] .flashcard-front").inner_text() != first_front

    # Buttons: Show answer, then Easy.
    second_front = page.locator("[data-flashcards] .flashcard-front").inner_text()
    page.locator('[data-flashcards] [data-action="show-answer"]').click()
    page.locator("[data-flashcards] .flashcard-back").wait_for(state="visible")
    page.locator("[data-flashcards]").get_by_role("button", name=re.compile("^Easy")).click()
    wait_for_due_count(reviewer, due - 2)
    reviewer.assert_clean()
    assert page.locator("[data-flashcards] .flashcard-front").inner_text() != second_front

    # Enter shows the answer too, and 1 rates it Again: the next card comes up with its answer hidden.
    page.keyboard.press("Enter")
    page.locator("[data-flashcards] .flashcard-back").wait_for(state="visible")
    page.keyboard.press("1")
    page.locator("[data-flashcards] .flashcard-back").wait_for(state="hidden")
    reviewer.wait_ready()
    assert due_count(reviewer) <= due - 2
    reviewer.assert_clean()


def test_it_takes_a_quiz_with_every_question_type_and_shows_the_feedback(tab, student: Account) -> None:
    taker = tab(student)
    page = taker.page
    href = quiz_path(taker)
    taker.goto(href)
    assert {q["type"] for q in QUIZ["questions"]} == {"single", "multiple", "true_false", "numeric", "text", "matrix"}
    left_before = page.locator("[data-attempts-left]").inner_text().strip()

    wrong_on_purpose = "q3-flipped"
    for question in QUIZ["questions"]:
        box = page.locator(f"fieldset#question-{question['id']}")
        assert box.count() == 1, f"question {question['id']} is not on the page"
        assert box.get_attribute("data-question-type") == question["type"]
        answer_question(box, question, wrong=question["id"] == wrong_on_purpose)
    taker.screenshot("quiz")

    submit_and_follow(taker, "Submit answers")
    for question in QUIZ["questions"]:
        feedback = page.locator(f"fieldset#question-{question['id']} [data-feedback]")
        assert feedback.count() == 1, f"no feedback for {question['id']}"
        expected = "incorrect" if question["id"] == wrong_on_purpose else "correct"
        assert feedback.get_attribute("data-feedback") == expected, f"{question['id']}: {feedback.inner_text()}"
    points = sum(q.get("points", 1.0) for q in QUIZ["questions"])
    lost = next(q.get("points", 1.0) for q in QUIZ["questions"] if q["id"] == wrong_on_purpose)
    percent = round(100 * (points - lost) / points)
    assert page.locator("[data-score]").inner_text().strip() == f"{percent}%"
    left_after = page.locator("[data-attempts-left]").inner_text().strip()
    assert left_after == "unlimited" or int(left_after) == int(left_before) - 1, (left_before, left_after)
    taker.screenshot("quiz-feedback")
    phone = tab(student, viewport=PHONE)
    phone.goto(href)
    phone.screenshot("quiz-feedback-375")
    assert phone.horizontal_overflow() <= 0

    taker.goto("/grades/")
    row = page.locator("main tr", has_text=QUIZ["title"])
    assert row.count() == 1 and f"{percent}%" in row.inner_text(), row.all_inner_texts()


def wait_for_due_count(tab: Tab, count: int) -> None:
    """Wait for the rating to be recorded: the (new or updated) page shows ``count`` cards due."""
    tab.page.wait_for_function(
        "(n) => document.querySelector('[data-due-count]')?.dataset.dueCount == n"
        " && document.documentElement.dataset.strideReady === 'true'",
        arg=count,
    )


def quiz_path(tab: Tab) -> str:
    """The quiz page's path, through the course page's link."""
    tab.goto(f"/courses/{COURSE}/")
    href = tab.page.locator(".quiz-row a", has_text=QUIZ["title"]).get_attribute("href") or ""
    assert re.fullmatch(r"/quizzes/\d+/", href), f"quiz link {href!r} is not /quizzes/<id>/"
    return href


def due_count(tab: Tab) -> int:
    return int(tab.page.locator("[data-due-count]").get_attribute("data-due-count") or "-1")


def numbers_in_brackets(text: str) -> list[Any]:
    """Every bracketed grid or list shown in a prompt, in order (as the generator's params print)."""
    return [json.loads(found) for found in re.findall(r"\[\[[-\d.,\s\[\]]*\]\]", text)]


def generated_answer(box, question: dict[str, Any]) -> Any:
    """Work out a generated question's answer from the variant the page shows (with the references)."""
    prompt = box.locator(".prompt").inner_text()
    grids = numbers_in_brackets(prompt)
    if question["generator"] == "conv_patch_value":
        names = re.findall(r"\{(\w+)\}", question["prompt"])
        values = dict(zip(names, grids, strict=True))
        kernel, patch = np.array(values["kernel"], float), np.array(values["patch"], float)
        return float(reference("conv2d")(patch, kernel)[0, 0])
    if question["generator"] == "relu_grid":
        (grid,) = grids
        return reference("relu")(np.array(grid, float)).tolist()
    raise AssertionError(f"no way to answer generator {question['generator']}")


def answer_question(box, question: dict[str, Any], *, wrong: bool = False) -> None:
    """Fill in one quiz question as a student would (the correct answer unless ``wrong``)."""
    answer = generated_answer(box, question) if "generator" in question else question["answer"]
    kind = question["type"]
    if kind == "single":
        choice = answer if not wrong else next(o for o in question["options"] if o != answer)
        box.get_by_label(choice, exact=True).check()
    elif kind == "multiple":
        for option in question["options"]:
            if (option in answer) != wrong:
                box.get_by_label(option, exact=True).check()
    elif kind == "true_false":
        box.get_by_label("True" if answer != wrong else "False", exact=True).check()
    elif kind == "numeric":
        box.get_by_label(re.compile("Your answer")).fill(str(answer if not wrong else answer + 1))
    elif kind == "text":
        box.get_by_label(re.compile("Your answer")).fill(answer[0] if not wrong else "no idea")
    elif kind == "matrix":
        for r, row in enumerate(answer):
            for c, value in enumerate(row):
                cell = box.locator(f'input[name="q-{question["id"]}-r{r}-c{c}"]')
                assert cell.count() == 1, f"no input q-{question['id']}-r{r}-c{c}"
                cell.fill(f"{value:g}" if not wrong else "99")
    else:
        raise AssertionError(f"unknown question type {kind}")
