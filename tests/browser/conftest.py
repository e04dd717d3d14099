"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, and a real Stride.

- ``browser`` (one per run of this folder): headless ``/usr/bin/chromium`` with a fresh
  temporary profile (Playwright never downloads a browser here). Skipped with a clear message
  when Chromium is missing, a failure instead when STRIDE_REQUIRE_SERVICES=1 or in CI.
- ``site`` (one per test module): the platform as processes (tests/browser/site.py):
  migrated and seeded SQLite database, web server, grading worker in the real sandbox,
  results worker, a private Redis when ``redis-server`` is installed (else the embedded broker).
- ``student``: an account of the module made through the sign-up page and enrolled in the
  demo course through its Enrol button; ``tab(student)`` opens a page signed in as it.
  ``new_student`` is the same for one test only (flows that need a student with no progress).
- ``tab(account=None, viewport=DESKTOP)``: a new browser context whose console errors,
  uncaught exceptions and CSP violations fail the test (tests/browser/support.py).

Playwright's synchronous API keeps an asyncio event loop marked as running in this thread
for as long as it is started, and Django refuses ORM calls under a running loop
(SynchronousOnlyOperation). These tests never use the ORM, and the browser is scoped to
this package so that it is stopped before the rest of the suite (which does) runs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.browser.site import Site
from tests.browser.support import (
    DESKTOP,
    Account,
    Tab,
    close_quietly,
    enrol,
    new_username,
    open_tab,
    sign_up,
    tab_opener,
)
from tests.stack import REPO_ROOT, grading_unavailable, require

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FRONTEND_BUNDLE = (REPO_ROOT / "frontend" / "dist" / "stride.js", REPO_ROOT / "frontend" / "dist" / "stride.css")
DEMO_COURSE = "cnn-features"

#: The running site of each test module, for the report of a failing test.
_SITES: dict[str, Site] = {}


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    require(None if CHROMIUM.is_file() else f"{CHROMIUM} is missing: install Debian's chromium package")
    with sync_playwright() as playwright:
        # launch() gives every run a new temporary profile (user data dir) and removes it at close.
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    missing = [str(path.relative_to(REPO_ROOT)) for path in FRONTEND_BUNDLE if not path.is_file()]
    require(f"{', '.join(missing)} not built: run `cd frontend && npm ci && npm run build`" if missing else None)
    require(grading_unavailable())
    running = Site(folder=tmp_path_factory.mktemp("browser-site"))
    _SITES[request.module.__name__] = running
    try:
        running.launch(with_redis=shutil.which("redis-server") is not None)
        yield running
    finally:
        running.stop()
        _SITES.pop(request.module.__name__, None)


@pytest.fixture
def tab(browser: Browser, site: Site) -> Iterator[Callable[..., Tab]]:
    """``tab(account=None, viewport=DESKTOP)``: a new browser context and page, watched for problems.

    Each call is a separate context (its own cookies and local storage) unless
    ``storage_state`` of an account is given, which signs it in.
    """
    with tab_opener(browser, site.url) as open_one:
        yield open_one


@pytest.fixture(scope="module")
def student(browser: Browser, site: Site) -> Account:
    """The student of this module's flows: signed up and enrolled in the demo course through the pages."""
    return enrolled_student(browser, site)


def enrolled_student(browser: Browser, site: Site) -> Account:
    """A new account, made on the sign-up page and enrolled with the course page's button."""
    context = browser.new_context(viewport=DESKTOP)
    try:
        one = open_tab(context, site.url)
        account = sign_up(one, new_username("student"))
        enrol(one, DEMO_COURSE)
        one.assert_clean()
        account.storage_state = context.storage_state()
        return account
    finally:
        close_quietly(context)


@pytest.fixture
def new_student(browser: Browser, site: Site) -> Account:
    """A student of one test, for flows that need an account with no progress at all."""
    return enrolled_student(browser, site)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Attach the site's setup output and process logs to the report of a failing test."""
    report = yield
    running = _SITES.get(getattr(item.module, "__name__", ""))
    if running is not None and report.failed:
        report.sections.extend(running.report())
    return report
