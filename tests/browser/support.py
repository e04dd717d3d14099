"""Helpers of the browser tests: a watched browser tab, screenshots, and the student's routine steps.

Every tab records what a user never sees but a broken page shows in its console: script
errors, uncaught exceptions, resources that failed to load and Content-Security-Policy
violations (reported by the page itself through ``securitypolicyviolation`` events, so a
refused inline style counts as much as a refused script). Tests call ``tab.assert_clean()``
(``tab.goto`` does it after each load) and the fixture checks once more at teardown.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Error, Page, Response

from tests.stack import REPO_ROOT

SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
#: Playwright waits this long (ms) for an element or a navigation before failing.
ACTION_TIMEOUT_MS = 10_000
STUDENT_PASSWORD = "a-long-browser-test-password-7"  # noqa: S105 - accounts of a throw-away database

# Runs before any script of every page: a CSP violation becomes a console error that names
# the directive and what was blocked (Chromium reports some violations only as warnings).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` in ${event.sourceFile || document.location.pathname}:${event.lineNumber}`);
});
"""


@dataclass
class Account:
    username: str
    password: str
    #: Cookies of a signed-in browser, for new contexts of the same user.
    storage_state: dict[str, Any] | None = None


def new_username(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


@dataclass
class Tab:
    """One page of one browser context, with the problems it logged."""

    page: Page
    base_url: str
    problems: list[str] = field(default_factory=list)
    #: Status of every page (main-frame navigation) loaded, by URL.
    documents: dict[str, int] = field(default_factory=dict)

    def watch(self) -> None:
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"uncaught exception: {error}"))
        self.page.on("response", self._response)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        where = message.location.get("url", "") if message.location else ""
        if message.text.startswith("Failed to load resource") and where in self.documents:
            # Chromium logs a page answered with 4xx (a refused form is 422); the tests
            # check the status of every page they load instead.
            return
        if where.endswith("/favicon.ico"):
            # Asked for by the browser itself, once per run, on whichever page comes first:
            # test_it_gives_the_browser_an_icon checks it on its own instead of failing that page.
            return
        self.problems.append(f"console error on {self.path()}: {message.text} ({where})")

    def _response(self, response: Response) -> None:
        if response.request.is_navigation_request() and response.frame == self.page.main_frame:
            self.documents[response.url] = response.status
        # Server errors are problems even when the page hides them (a fetch the script retries).
        if response.status >= 500 and response.url.startswith(self.base_url):
            self.problems.append(f"{response.status} from {response.request.method} {response.url}")

    def path(self) -> str:
        url = self.page.url
        return url[len(self.base_url) :] if url.startswith(self.base_url) else url

    def goto(self, path: str, *, expect_status: int = 200) -> Response:
        response = self.page.goto(self.base_url + path)
        assert response is not None, f"no response for {path}"
        assert response.status == expect_status, f"GET {path} answered {response.status}, not {expect_status}"
        self.wait_ready()
        self.assert_clean()
        return response

    def wait_ready(self) -> None:
        """Wait for the page's scripts: frontend/src/main.js marks <html data-stride-ready> when all started."""
        self.page.wait_for_load_state("load")
        self.page.locator('html[data-stride-ready="true"]').wait_for(state="attached")

    def assert_clean(self) -> None:
        """Fail naming every console error, uncaught exception and CSP violation seen so far."""
        if self.problems:
            found, self.problems = self.problems, []
            raise AssertionError("the browser reported problems:\n  " + "\n  ".join(found))

    def screenshot(self, name: str) -> Path:
        """A full-page PNG in test-artifacts/screenshots/ (for a reviewer, not compared)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True, animations="disabled")
        return path

    def horizontal_overflow(self) -> int:
        """How many CSS pixels the document is wider than the viewport (0: no horizontal scrolling)."""
        width = (self.page.viewport_size or {}).get("width", 0)
        return self.page.evaluate("document.documentElement.scrollWidth") - width


def open_tab(context: BrowserContext, base_url: str) -> Tab:
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    tab = Tab(page=context.new_page(), base_url=base_url)
    tab.watch()
    return tab


@contextlib.contextmanager
def tab_opener(browser: Browser, base_url: str, **context_options: Any) -> Iterator[Callable[..., Tab]]:
    """``open(account=None, viewport=DESKTOP)``: a new watched context and page for each call.

    Each call is a separate context (its own cookies and local storage) unless the
    ``storage_state`` of an account is given, which signs it in. On leaving, every context is
    closed and the problems any of their pages reported fail the test.
    """
    opened: list[tuple[BrowserContext, Tab]] = []

    def open_one(account: Account | None = None, viewport: dict[str, int] = DESKTOP) -> Tab:
        context = browser.new_context(
            viewport=viewport,
            storage_state=account.storage_state if account is not None else None,
            locale="en-GB",
            **context_options,
        )
        one = open_tab(context, base_url)
        opened.append((context, one))
        return one

    yield open_one

    leftovers = [problem for _, one in opened for problem in one.problems]
    for context, _ in opened:
        close_quietly(context)
    if leftovers:
        pytest.fail("the browser reported problems:\n  " + "\n  ".join(leftovers))


#: JavaScript ``(el) => boolean``: whether ``el``, having the keyboard focus, shows the site's focus
#: indicator: an outline (base.css :focus-visible) on the element, on its label when the control
#: itself is visually hidden, or on the code editor around it. A box-shadow does not count: buttons
#: and cards have one at rest, so it tells nothing about the focus.
SHOWS_FOCUS = """(el) => {
  const outlined = (node) => {
    const style = getComputedStyle(node);
    return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0
      && !/rgba\\(.*,\\s*0\\)$|transparent/.test(style.outlineColor);
  };
  const box = el.getBoundingClientRect();
  const hidden = box.width <= 1 || box.height <= 1 || getComputedStyle(el).opacity === '0';
  // CodeMirror draws its ring on the editor around the focused content (exercise.css).
  return outlined(el.closest('.cm-editor') || (hidden && el.labels && el.labels.length ? el.labels[0] : el));
}"""


# --- What a student does again and again ----------------------------------------------------


def sign_up(tab: Tab, username: str, password: str = STUDENT_PASSWORD) -> Account:
    """Create an account through /accounts/signup/ and stay signed in."""
    page = tab.page
    tab.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password confirmation").fill(password)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sign up").click()
    tab.assert_clean()
    field_errors = page.locator(".field-error").all_inner_texts()
    assert not field_errors, f"sign-up refused: {field_errors}"
    signed_in_as(tab, username)
    return Account(username=username, password=password, storage_state=page.context.storage_state())


def log_in(tab: Tab, account: Account) -> None:
    page = tab.page
    tab.goto("/accounts/login/")
    page.get_by_label("Username").fill(account.username)
    page.get_by_label("Password").fill(account.password)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Log in").click()
    tab.assert_clean()
    signed_in_as(tab, account.username)


def signed_in_as(tab: Tab, username: str) -> None:
    header = tab.page.locator("header.site-header")
    assert username in header.inner_text(), f"the header does not name {username}: {header.inner_text()!r}"
    assert header.get_by_role("button", name="Log out").is_visible()


def enrol(tab: Tab, course_slug: str) -> None:
    """Press the course page's Enrol button; afterwards the page shows the student's progress."""
    page = tab.page
    tab.goto(f"/courses/{course_slug}/")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile(r"\benrol", re.IGNORECASE)).click()
    tab.assert_clean()
    assert page.locator("progress.progress").count() == 1, "no progress bar after enrolling"


def lesson_path(tab: Tab, course_slug: str, lesson_title: str) -> str:
    """The lesson player's path, found through the course page's link (ids are the server's)."""
    tab.goto(f"/courses/{course_slug}/")
    link = tab.page.locator(".lesson-row a", has_text=lesson_title)
    assert link.count() == 1, f"the course page has {link.count()} links to the lesson {lesson_title!r}"
    href = link.get_attribute("href") or ""
    assert re.fullmatch(r"/lessons/\d+/", href), f"lesson link {href!r} is not /lessons/<id>/"
    return href


def unlocked_layers(tab: Tab) -> list[str]:
    return tab.page.locator('.arch-layer[data-unlocked="true"]').evaluate_all(
        "(items) => items.map((item) => item.dataset.layer)"
    )


def step_counter(tab: Tab) -> tuple[int, int]:
    """(N, M) from the lesson player's "Step N / M"."""
    text = tab.page.locator("main").inner_text()
    found = re.search(r"Step (\d+) / (\d+)", text)
    assert found, f"no 'Step N / M' on {tab.path()}"
    return int(found.group(1)), int(found.group(2))


def submit_and_follow(tab: Tab, button_name: str | re.Pattern[str], *, expect_status: int = 200) -> None:
    """Press a submit button of the main content and wait for the page it leads to."""
    page = tab.page
    with page.expect_navigation() as navigation:
        page.locator("main").get_by_role("button", name=button_name).click()
    response = navigation.value
    assert response is not None and response.status == expect_status, (
        f"pressing {button_name!r} led to {tab.path()} with status {response.status if response else None}"
    )
    tab.wait_ready()
    tab.assert_clean()


def close_quietly(context: BrowserContext) -> None:
    with contextlib.suppress(Error):
        context.close()
