"""An instructor's term in headless Chromium, against the real platform (web, grader, results worker).

The demo's ``teacher`` (seed_demo; site staff, so it may open offerings of any course) logs in
through the login page, opens an offering, grades conv2d in it, invites a student who joins
through the link and submits, regrades that submission through the real grading queue,
watches the regrade finish, confirms it and downloads the gradebook CSV, which must parse and
hold the student's row with the points the regrade gave. A second flow validates a package
through the grader and walks every other teaching page. Screenshots land in
test-artifacts/screenshots/teach-*.png.
"""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest

from grader.package import find_exercise
from tests.browser.site import DEMO_PASSWORD
from tests.browser.support import PHONE, Account, Tab, log_in, new_username, sign_up, submit_and_follow
from tests.browser.test_student_flows import (
    COURSE_TOML,
    GRADING_TIMEOUT_MS,
    LESSON,
    csp_problems,
    replace_code,
    solution,
    submit,
    wait_for_result,
)

pytestmark = pytest.mark.slow

TEACHER = Account(username="teacher", password=DEMO_PASSWORD)
COURSE = "cnn-features"
#: What conv2d is worth: the sum of its tests' points, as the platform computes max_points.
CONV2D_POINTS = float(sum(case.points for case in find_exercise("conv2d").build_cases(0)))


@pytest.fixture(scope="module")
def term() -> dict[str, str]:
    """The offering the first flow opens (shared with the second flow, which runs after it)."""
    return {"slug": f"term-{uuid.uuid4().hex[:6]}", "title": "Browser term"}


def teacher_tab(tab) -> Tab:
    one = tab()
    log_in(one, TEACHER)
    return one


def follow_link(one: Tab, name: str | re.Pattern[str], *, exact: bool = False) -> None:
    with one.page.expect_navigation():
        one.page.locator("main").get_by_role("link", name=name, exact=exact).first.click()
    one.wait_ready()
    one.assert_clean()


def message(one: Tab) -> str:
    return one.page.locator(".messages").inner_text()


def points(text: str) -> float:
    return float(text.strip().split()[0])


def test_an_instructor_runs_a_term_from_opening_it_to_downloading_the_grades(tab, term) -> None:
    teacher = teacher_tab(tab)
    page = teacher.page

    # 1. Open an offering of the demo course, in Berlin time.
    teacher.goto("/teach/")
    assert page.locator('tr[data-offering="demo"]').count() == 1, "the demo offering is not listed"
    teacher.screenshot("teach-home")
    form = page.locator("main form", has=page.get_by_role("button", name="Create the offering"))
    form.get_by_label("Course").select_option(label=COURSE_TOML["title"])
    form.get_by_label("Slug").fill(term["slug"])
    form.get_by_label("Title").fill(term["title"])
    form.get_by_label("Time zone").fill("Europe/Berlin")
    submit_and_follow(teacher, "Create the offering")
    assert teacher.path() == f"/teach/{term['slug']}/"
    assert f"{term['title']} is open" in message(teacher)

    # 2. Grade conv2d in it: due at the end of June 2030, Berlin time (summer time then).
    follow_link(teacher, "Add a graded item")
    page.get_by_label("What is graded").select_option(value="exercise:conv2d")
    page.get_by_label("Due", exact=True).fill("2030-06-30 23:59")
    page.get_by_label("Attempt limit").fill("5")
    page.get_by_label("Late work").select_option(value="penalty")
    page.get_by_label("Penalty per day late (%)").fill("10")
    page.get_by_label("Closes (hard cutoff)").fill("2030-07-07 23:59")
    teacher.screenshot("teach-item-form")
    submit_and_follow(teacher, "Add the item")
    item = page.locator('tr[data-item="exercise:conv2d"]')
    assert item.count() == 1, "the new item is not on the overview"
    cells = item.inner_text()
    assert "2030-06-30 23:59 CEST" in cells and "2030-07-07 23:59 CEST" in cells, cells
    assert "10% off per day late" in cells and "5" in cells
    teacher.screenshot("teach-overview")

    # 3. A student joins through the invite link.
    follow_link(teacher, "People")
    submit_and_follow(teacher, "Create a student link")
    link = page.locator('[data-invite-role="student"] [data-invite-url]').input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/teach/join/[-\w]+/", link), link
    teacher.screenshot("teach-people")
    learner = tab()
    username = new_username("termstudent")
    sign_up(learner, username)
    learner.goto(link.removeprefix(learner.base_url))
    assert f"student of {term['title']}" in learner.page.locator("main").inner_text()
    submit_and_follow(learner, "Join as student")
    assert learner.path() == f"/courses/{COURSE}/" and f"You joined {term['title']}" in message(learner)

    # 4. The student submits conv2d (a wrong kernel orientation) and it is graded.
    learner.goto("/exercises/conv2d/")
    learner.page.locator(".cm-editor").wait_for()
    replace_code(learner, solution("bad_flipped_kernel.py"))
    pk = submit(
        learner, lambda: learner.page.locator("form[data-code-form]").get_by_role("button", name="Submit").click()
    )
    wait_for_result(learner, pk)

    # 5. The instructor regrades every conv2d submission of the offering and watches it finish.
    teacher.goto(f"/teach/{term['slug']}/regrade/")
    follow_link(teacher, re.compile(r"^Choose"))
    chosen = page.locator(f'tr[data-submission="{pk}"]')
    assert chosen.count() == 1, "the student's submission is not offered for regrading"
    old_percent = re.search(r"(\d+)%", chosen.inner_text()).group(1)
    teacher.screenshot("teach-regrade")
    submit_and_follow(teacher, "Regrade all")
    assert re.fullmatch(rf"/teach/{term['slug']}/regrade/\d+/", teacher.path()), teacher.path()
    # The page refreshes itself (a <meta refresh>) until every grading is back.
    page.locator('[data-regrade-finished="true"]').wait_for(timeout=GRADING_TIMEOUT_MS)
    teacher.wait_ready()
    teacher.assert_clean()
    assert "1 / 1 graded again" in page.locator("[data-regrade-progress]").inner_text()
    diff = page.locator(f'tr[data-submission="{pk}"]')
    assert diff.locator("[data-old]").inner_text().strip() == f"{old_percent}%"
    new_percent = int(diff.locator("[data-new]").inner_text().strip().rstrip("%"))
    teacher.screenshot("teach-regrade-batch")
    submit_and_follow(teacher, "Confirm the new scores")
    assert "Confirmed: 1 result(s) replaced" in message(teacher)
    assert page.locator('[data-regrade-state="confirmed"]').count() == 1
    follow_link(teacher, str(pk), exact=True)
    assert page.locator('tr[data-current="true"]').count() == 1 and "earlier" in page.locator("main").inner_text()
    teacher.screenshot("teach-submission-history")

    # 6. The gradebook and its CSV, as a spreadsheet would read it.
    teacher.goto(f"/teach/{term['slug']}/grades/")
    shown = page.locator(f'tr[data-student="{username}"] [data-total]').inner_text()
    teacher.screenshot("teach-grades")
    with page.expect_download() as started:
        page.locator('[data-export="csv"]').click()
    download = started.value
    assert re.fullmatch(rf"{term['slug']}-grades-\d{{8}}-\d{{4}}\.csv", download.suggested_filename)
    with open(download.path(), encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    header, *students = rows
    assert header[:4] == ["Name", "Username", "Email", "Student ID"] and header[-1] == "Total", header
    assert header[4] == find_exercise("conv2d").title, header
    mine = [r for r in students if r[1] == username]
    assert len(mine) == 1, f"the CSV has no single row for {username}: {students}"
    assert mine[0][2] == f"{username}@example.org"
    total = float(mine[0][-1])
    assert total == float(mine[0][4]) == points(shown)
    # The points the confirmed regrade gave: its score (shown rounded to a percent) times conv2d's points.
    assert abs(total - new_percent / 100 * CONV2D_POINTS) <= 0.005 * CONV2D_POINTS + 0.01, (total, new_percent)
    teacher.goto(f"/teach/{term['slug']}/grades/")
    assert "csv by teacher via web" in page.locator("main").inner_text()


def test_an_instructor_validates_a_package_and_opens_every_teaching_page(tab, term) -> None:
    teacher = teacher_tab(tab)
    page = teacher.page
    slug = term["slug"]
    teacher.goto(f"/teach/{slug}/")  # made by the first flow

    # Validation runs in the grader's sandbox and comes back through the results worker.
    teacher.goto(f"/teach/{slug}/exercises/")
    page.locator('tr[data-exercise="conv2d"]').get_by_role("button", name=re.compile("^Validate")).click()
    page.wait_for_url(re.compile(rf"/teach/{slug}/validations/\d+/"))
    page.locator('[data-validation-state="passed"]').wait_for(timeout=GRADING_TIMEOUT_MS)
    teacher.wait_ready()
    teacher.assert_clean()
    assert "Every check passed." in page.locator("main").inner_text()
    assert "reference.py" in page.locator(".validation-lines").inner_text()
    teacher.screenshot("teach-validation")
    teacher.goto(f"/teach/{slug}/exercises/")
    assert page.locator('tr[data-exercise="conv2d"] [data-validation-state="passed"]').count() == 1
    teacher.screenshot("teach-exercises")

    # Previews and a trial that counts nowhere.
    follow_link(teacher, re.compile("^Preview 2D convolution"))
    assert page.locator("form[data-code-form]").count() == 0
    teacher.screenshot("teach-exercise-preview")
    teacher.goto(f"/teach/{slug}/exercises/")
    follow_link(teacher, LESSON["title"])
    assert "Step 1 /" in page.locator(".step-counter").inner_text()
    teacher.screenshot("teach-lesson-preview")
    teacher.goto(f"/teach/{slug}/exercises/conv2d/try/")
    page.locator(".cm-editor").wait_for()
    replace_code(teacher, solution("good_vectorized.py"))
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/try/submit")) as posted:
        page.get_by_role("button", name="Grade this trial").click()
    trial = posted.value.json()["id"]
    page.locator(f'[data-submission-result] .result[data-submission-id="{trial}"][data-status="graded"]').wait_for(
        timeout=GRADING_TIMEOUT_MS
    )
    assert "100%" in page.locator("[data-submission-result] .score").inner_text()
    teacher.screenshot("teach-try")

    # Extensions, analytics, and the pages at phone width.
    teacher.goto(f"/teach/{slug}/extensions/")
    teacher.screenshot("teach-extensions")
    teacher.goto(f"/teach/{slug}/analytics/")
    assert page.locator("svg.stride-chart").count() == 2
    teacher.screenshot("teach-analytics")
    follow_link(teacher, find_exercise("conv2d").title)
    assert page.locator("svg.stride-chart").count() >= 2
    teacher.screenshot("teach-analytics-item")
    teacher.goto(f"/teach/{slug}/analytics/")
    page.locator(".teach-students a").first.click()
    page.wait_for_url(re.compile(r"/analytics/students/\d+/"))
    teacher.wait_ready()
    assert page.locator("svg.stride-chart circle").count() >= 1
    teacher.screenshot("teach-analytics-student")
    # The trial counted nowhere: the offering's one student still has one attempt.
    assert page.locator(".teach-timeline tbody tr").count() == 1

    phone = tab(signed_in(teacher), viewport=PHONE)
    wide, problems = {}, []
    for name in ("", "people/", "exercises/", "regrade/", "analytics/", "grades/"):
        path = f"/teach/{slug}/{name}"
        phone.goto(path)
        if phone.horizontal_overflow() > 0:
            wide[path] = phone.horizontal_overflow()
        response = phone.page.request.get(phone.base_url + path)
        problems += csp_problems(path, response.headers.get("content-security-policy", ""), response.text())
    phone.goto(f"/teach/{slug}/grades/")
    phone.screenshot("teach-grades-375")
    assert not wide, f"teaching pages wider than 375 px: {wide}"
    assert not problems, "\n".join(problems)


def signed_in(one: Tab) -> Account:
    """The teacher's account with the cookies of a signed-in tab, for a second context."""
    return Account(username=TEACHER.username, password=TEACHER.password, storage_state=one.page.context.storage_state())
