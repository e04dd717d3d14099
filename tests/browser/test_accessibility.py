"""An automated accessibility audit of the student pages with axe-core, in headless Chromium.

Each page is opened in the state a student sees it (the lesson player at every step type, the
exercise page before and after a graded submission with heatmaps, a flashcard with its answer
shown, a quiz before and after an attempt, a glossary search, the account pages with and
without errors), axe-core (frontend/node_modules/axe-core, a devDependency of the frontend)
runs with the WCAG 2.0 and 2.1 A and AA rules, and any violation of impact serious or critical
fails the test. A few pages are audited again at 375 px, where the layout changes.

What axe cannot see, whether the keyboard focus shows, is checked on the pages with the most
controls by pressing Tab through them: every stop must draw an outline or a shadow.
"""

from __future__ import annotations

import contextlib
import re
import tomllib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.site import Site
from tests.browser.support import (
    PHONE,
    SHOWS_FOCUS,
    Account,
    Tab,
    lesson_path,
    step_counter,
    submit_and_follow,
    tab_opener,
)
from tests.stack import EXERCISES_DIR, REPO_ROOT, require, wait_for

pytestmark = pytest.mark.slow

COURSE = "cnn-features"
AXE = REPO_ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
#: The rules of WCAG 2.0 and 2.1, levels A and AA (axe's tags).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")
#: Rules whose undecided results are not failures (see audit()); their violations still are.
UNDECIDABLE = {"color-contrast"}
#: Lesson steps whose page is also walked with Tab (those with their own controls).
WALKED_STEPS = {"visualization", "dialogue", "faq", "check", "exercise"}
GRADING_TIMEOUT_MS = 60_000
WRONG_CONV2D = EXERCISES_DIR / "conv2d" / "solutions" / "bad_flipped_kernel.py"
LAYERS_LESSON = tomllib.loads(
    (EXERCISES_DIR / "courses" / COURSE / "lessons" / "how-a-cnn-extracts-features.toml").read_text(encoding="utf-8")
)


def number_of(content: dict[str, Any], step_type: str) -> int:
    """The number (from 1) of the lesson's first step of this type."""
    return next(i for i, step in enumerate(content["steps"], 1) if step["type"] == step_type)


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def axe_installed() -> None:
    require(None if AXE.is_file() else f"{AXE.relative_to(REPO_ROOT)} is missing: run `cd frontend && npm ci`")


@pytest.fixture
def audit_tab(browser: Browser, site: Site) -> Iterator[Callable[..., Tab]]:
    """``audit_tab(account=None, viewport=DESKTOP)``: like ``tab``, in a context that lets axe in.

    The site's policy (script-src 'self') refuses the inline script that add_script_tag makes
    of axe's source, and axe must not be served by the site just for the tests. So these
    contexts, and only these, bypass the CSP; the other browser tests run under the real policy
    and check it (test_it_sends_every_page_with_a_strict_content_security_policy), and the
    pages audited here are the same pages, with the same scripts and styles.
    """
    with tab_opener(browser, site.url, bypass_csp=True) as open_one:
        yield open_one


# --- The audit ------------------------------------------------------------------------------


def audit(tab: Tab, state: str, *, walk_focus: bool = False) -> list[str]:
    """Run axe on the page as it is now; one line per serious or critical problem it finds.

    Besides the violations, the results axe could not decide ("needs review") count too, for
    every rule but colour contrast: on these pages they were real faults (an aria-describedby
    naming a missing element, an aria-label that a plain span may not carry). Contrast axe
    cannot compute over a gradient, beside a pseudo-element or on SVG text; those colours are
    checked where they are chosen (frontend/styles/tokens.css, tests/web/test_heatmap_contrast.py).
    With ``walk_focus``, Tab then goes through the page and every stop must show a focus ring.
    """
    page = tab.page
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    results: dict[str, Any] = page.evaluate(
        """(tags) => axe.run(document, {
             runOnly: {type: 'tag', values: tags},
             resultTypes: ['violations', 'incomplete'],
           })""",
        WCAG_TAGS,
    )
    undecided = [result for result in results["incomplete"] if result["id"] not in UNDECIDABLE]
    found = []
    for kind, result in [("", v) for v in results["violations"]] + [("needs review: ", u) for u in undecided]:
        if result["impact"] not in FAILING_IMPACTS:
            continue
        targets = [" ".join(map(str, node["target"])) for node in result["nodes"]]
        shown = ", ".join(targets[:6]) + (f" and {len(targets) - 6} more" if len(targets) > 6 else "")
        found.append(
            f"{state} ({tab.path()}): {kind}{result['id']} [{result['impact']}] {result['help']}"
            f" at {shown}; see {result['helpUrl']}"
        )
    if walk_focus:
        found += unringed_focus_stops(tab, state)
    tab.assert_clean()
    return found


def assert_accessible(violations: list[str]) -> None:
    assert not violations, f"{len(violations)} accessibility violations:\n  " + "\n  ".join(violations)


FOCUS_STOPS_MAX = 120
# What has the keyboard focus, and whether it shows the site's focus indicator (support.SHOWS_FOCUS).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 30);
  // Each stop is marked once, so that coming round to it again ends the walk.
  const again = el.hasAttribute('data-focus-walked');
  el.setAttribute('data-focus-walked', '');
  return {
    again,
    ring: (SHOWS_FOCUS)(el),
    inEditor: !!el.closest('.cm-editor'),
    description: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${el.className || ''} "${text}"`,
  };
}""".replace("SHOWS_FOCUS", SHOWS_FOCUS)


def unringed_focus_stops(tab: Tab, state: str) -> list[str]:
    """Tab through the whole page once; every stop must show where the focus is."""
    page = tab.page
    # Start before the first stop: from the skip link (the page's first focusable element),
    # Shift+Tab leaves the page, and the next Tab comes back in at the top, as on a fresh load.
    page.locator("a.skip-link").focus()
    page.keyboard.press("Shift+Tab")
    page.evaluate("() => document.querySelectorAll('[data-focus-walked]').forEach((e) => delete e.dataset.focusWalked)")
    stops = 0
    missing = []
    for _ in range(FOCUS_STOPS_MAX):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if now is None or now["again"]:
            break  # left the page, or came round to the first stop again
        stops += 1
        if now["inEditor"] and not now["ring"]:
            # CodeMirror marks itself focused (.cm-focused, which draws the ring) a moment later.
            with contextlib.suppress(PlaywrightTimeout):
                page.wait_for_selector(".cm-editor.cm-focused", timeout=1_000)
            now["ring"] = page.evaluate(f"({SHOWS_FOCUS})(document.activeElement)")
        if not now["ring"]:
            missing.append(f"{state} ({tab.path()}): no focus indicator on {now['description']}")
        if now["inEditor"]:
            page.keyboard.press("Escape")  # CodeMirror keeps Tab for indenting until Escape
    else:
        missing.append(f"{state} ({tab.path()}): more than {FOCUS_STOPS_MAX} Tab stops, or a keyboard trap")
    assert stops, f"{state}: Tab reaches nothing on {tab.path()}"
    return missing


# --- Page states ----------------------------------------------------------------------------


def lesson(tab: Tab, title: str) -> str:
    path = lesson_path(tab, COURSE, title)
    tab.goto(path)
    return path


def complete_read_step(tab: Tab) -> None:
    submit_and_follow(tab, re.compile("Mark as read and continue|Finish the lesson"))


def audit_steps_until(tab: Tab, kind: str, found: list[str], *, label: str) -> None:
    """Audit each step of the open lesson up to the first step of type ``kind``, reading on."""
    while True:
        step = tab.page.locator("main .step")
        step_type = step.get_attribute("data-step-type")
        if step_type == "visualization":
            tab.page.locator('[data-visualizer][data-viz-ready="true"]').wait_for()
        number, _ = step_counter(tab)
        found += audit(tab, f"{label}, step {number} ({step_type})", walk_focus=step_type in WALKED_STEPS)
        if step_type == kind:
            return
        complete_read_step(tab)


def submit_wrong_conv2d(tab: Tab) -> None:
    """Submit a conv2d that fails visible tests and wait for the result with its heatmaps."""
    page = tab.page
    page.locator(".cm-editor .cm-content").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(WRONG_CONV2D.read_text(encoding="utf-8"))
    page.locator("form[data-code-form]").get_by_role("button", name="Submit").click()
    page.locator('[data-submission-result] .result[data-status="graded"] figure.heatmap-pair').first.wait_for(
        timeout=GRADING_TIMEOUT_MS
    )
    page.locator("[data-submission-status]").filter(has_text="Graded").wait_for(timeout=GRADING_TIMEOUT_MS)


def answer_quiz_roughly(tab: Tab) -> None:
    """Fill in every question with some answer (right or wrong does not matter to the audit)."""
    page = tab.page
    for box in page.locator("main fieldset.question").all():
        kind = box.get_attribute("data-question-type")
        if kind in ("single", "true_false", "multiple"):
            box.locator("input").first.check()
        else:
            for field in box.locator("input[type=text]").all():
                field.fill("0")


# --- Tests ----------------------------------------------------------------------------------


def test_it_finds_no_serious_violations_on_the_account_pages(audit_tab, site: Site, student: Account) -> None:
    visitor = audit_tab()
    page = visitor.page
    found: list[str] = []
    for path, state in (("/", "home, signed out"), (f"/courses/{COURSE}/", "course page, signed out")):
        visitor.goto(path)
        found += audit(visitor, state)

    visitor.goto("/accounts/login/")
    found += audit(visitor, "login")
    page.get_by_label("Username").fill(student.username)
    page.get_by_label("Password").fill("not-the-password")
    submit_and_follow(visitor, "Log in", expect_status=200)
    found += audit(visitor, "login refused")

    visitor.goto("/accounts/signup/")
    found += audit(visitor, "signup", walk_focus=True)
    page.get_by_label("Username").fill(student.username)
    page.get_by_label("Email").fill(f"{student.username}@example.org")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password confirmation").fill("different")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sign up").click()
    visitor.wait_ready()
    assert page.locator(".field-error").count() > 0, "the sign-up form took a bad password"
    found += audit(visitor, "signup refused")

    visitor.goto("/accounts/password_reset/")
    found += audit(visitor, "password reset")
    page.get_by_label("Email").fill(f"{student.username}@example.org")
    submit_and_follow(visitor, "Send the link")
    found += audit(visitor, "password reset sent")
    pattern = re.compile(re.escape(site.url) + r"/accounts/reset/[\w-]+/[\w-]+/")
    link = wait_for("the password-reset e-mail in the web log", lambda: pattern.search(site.log("web")), timeout=10)
    visitor.goto(link.group(0).removeprefix(site.url))
    found += audit(visitor, "password reset: new password", walk_focus=True)

    phone = audit_tab(viewport=PHONE)
    for path in ("/accounts/login/", "/accounts/signup/"):
        phone.goto(path)
        found += audit(phone, "375 px")
    assert_accessible(found)


def test_it_finds_no_serious_violations_on_the_catalog_and_the_lessons(audit_tab, student: Account) -> None:
    learner = audit_tab(student)
    found: list[str] = []
    for path, state in (("/", "home"), ("/courses/", "catalog"), (f"/courses/{COURSE}/", "course page")):
        learner.goto(path)
        found += audit(learner, state, walk_focus=True)

    # Tutor, explanation, both visualizations, the check question (asked, then answered wrong).
    lesson(learner, LAYERS_LESSON["title"])
    audit_steps_until(learner, "check", found, label="layer-by-layer lesson")
    page = learner.page
    question = LAYERS_LESSON["steps"][number_of(LAYERS_LESSON, "check") - 1]["question"]
    wrong = next(option for option in question["options"] if option != question["answer"])
    page.locator("main .question").get_by_label(wrong, exact=True).check()
    submit_and_follow(learner, "Check my answer", expect_status=422)
    assert page.locator(".feedback").count() == 1
    found += audit(learner, "check question, wrong answer", walk_focus=True)
    page.locator("main .question").get_by_label(question["answer"], exact=True).check()
    submit_and_follow(learner, "Check my answer")
    audit_steps_until(learner, "exercise", found, label="layer-by-layer lesson")

    # The dialogue, the three-depth overview, the FAQ, a memory aid.
    lesson(learner, "What is a feature map? A classroom conversation")
    audit_steps_until(learner, "dialogue", found, label="dialogue lesson")
    lesson(learner, "Images, kernels and convolution")
    audit_steps_until(learner, "overview", found, label="three-depths lesson")
    page.locator("fieldset.depth-switch").get_by_label("Detailed").check()
    found += audit(learner, "overview, detailed", walk_focus=True)
    lesson(learner, "Stride, padding and ReLU: questions and memory aids")
    audit_steps_until(learner, "memory_aid", found, label="FAQ lesson")

    # A glossary term's tooltip, shown by focusing the term.
    term = page.locator("main a.term").first
    assert term.count(), f"no glossary term on {learner.path()} to show a tooltip of"
    term.focus()
    page.get_by_role("tooltip").first.wait_for()
    found += audit(learner, "glossary term tooltip")

    phone = audit_tab(student, viewport=PHONE)
    path = lesson(phone, LAYERS_LESSON["title"])
    phone.goto(f"{path}?step={number_of(LAYERS_LESSON, 'visualization')}")
    phone.page.locator('[data-visualizer][data-viz-ready="true"]').wait_for()
    found += audit(phone, "375 px, convolution visualizer", walk_focus=True)
    phone.goto(f"/courses/{COURSE}/")
    found += audit(phone, "375 px, course page")
    assert_accessible(found)


def test_it_finds_no_serious_violations_on_the_exercise_page(audit_tab, student: Account) -> None:
    coder = audit_tab(student)
    coder.goto("/exercises/conv2d/")
    coder.page.locator(".cm-editor").wait_for()
    found = audit(coder, "exercise, before submitting")
    submit_wrong_conv2d(coder)
    found += audit(coder, "exercise, graded with heatmaps", walk_focus=True)

    submission = coder.page.locator("[data-submission-history] tbody tr a").first.get_attribute("href") or ""
    assert re.fullmatch(r"/exercises/conv2d/submissions/\d+/", submission), submission
    coder.goto(submission)
    found += audit(coder, "submission page")

    phone = audit_tab(student, viewport=PHONE)
    phone.goto("/exercises/conv2d/")
    phone.page.locator("[data-submission-result] figure.heatmap-pair").first.wait_for()
    found += audit(phone, "375 px, exercise with heatmaps")
    assert_accessible(found)


def test_it_finds_no_serious_violations_on_the_study_pages(audit_tab, student: Account) -> None:
    learner = audit_tab(student)
    page = learner.page
    learner.goto("/flashcards/")
    found = audit(learner, "flashcards, question")
    page.locator('[data-flashcards] [data-action="show-answer"]').click()
    page.locator("[data-flashcards] .flashcard-back").wait_for(state="visible")
    found += audit(learner, "flashcards, answer shown", walk_focus=True)

    learner.goto(f"/courses/{COURSE}/")
    quiz = page.locator(".quiz-row a").first.get_attribute("href") or ""
    assert re.fullmatch(r"/quizzes/\d+/", quiz), quiz
    learner.goto(quiz)
    found += audit(learner, "quiz, before an attempt")
    answer_quiz_roughly(learner)
    submit_and_follow(learner, "Submit answers")
    assert page.locator("[data-feedback]").count() > 0, "no feedback after the attempt"
    found += audit(learner, "quiz, after an attempt", walk_focus=True)

    learner.goto("/glossary/")
    found += audit(learner, "glossary")
    learner.goto("/glossary/?q=pool")
    assert page.locator("main article[id^='term-']").count() > 0
    found += audit(learner, "glossary search", walk_focus=True)
    learner.goto("/glossary/?q=zzzznothing")
    found += audit(learner, "glossary search without a match")
    learner.goto("/grades/")
    found += audit(learner, "grades", walk_focus=True)

    phone = audit_tab(student, viewport=PHONE)
    for path, state in (("/flashcards/", "375 px, flashcards"), (quiz, "375 px, quiz"), ("/grades/", "375 px, grades")):
        phone.goto(path)
        found += audit(phone, state)
    assert_accessible(found)


def test_it_reports_planted_faults_with_their_rule_selector_and_help(audit_tab) -> None:
    """The audit itself: an unlabelled field, pale text and a button hiding its focus are reported."""
    visitor = audit_tab()
    visitor.goto("/accounts/login/")
    visitor.page.evaluate(
        """() => {
          const field = Object.assign(document.createElement('input'), {type: 'text', id: 'planted-field'});
          const pale = Object.assign(document.createElement('p'), {id: 'planted-text', textContent: 'Pale words'});
          pale.style.color = '#bbbbbb';
          pale.style.background = '#ffffff';
          const button = Object.assign(document.createElement('button'), {id: 'planted-button', textContent: 'Go'});
          button.style.outline = 'none';
          document.querySelector('main').append(field, pale, button);
        }"""
    )
    found = audit(visitor, "planted", walk_focus=True)
    assert any("label [critical]" in line and "#planted-field" in line for line in found), found
    assert any("color-contrast [serious]" in line and "#planted-text" in line for line in found), found
    assert all("see https://dequeuniversity.com/rules/axe/" in line for line in found if "focus" not in line), found
    assert [line for line in found if "no focus indicator" in line] == [
        'planted (/accounts/login/): no focus indicator on button#planted-button. "Go"'
    ], found
