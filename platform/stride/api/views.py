"""The JSON API: short function views behind a few decorators.

Every answer is JSON, errors included (``{"error": code, "detail": text}``): a view or a
helper raises :class:`ApiError` and :func:`api_view` turns it into the response. Calls
authenticate with ``Authorization: Bearer <token>``; a logged-in browser session is
accepted too, but only for safe methods, so the views can be CSRF-exempt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import time
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from grader.grade import MAX_CODE_BYTES
from stride.api.models import ApiToken
from stride.exercises.models import Exercise
from stride.offerings.models import teaches
from stride.submissions.models import Submission, create_submission

logger = logging.getLogger(__name__)

# A JSON body may escape every byte of the code as \u00XX: six bytes per byte, plus room.
MAX_BODY_BYTES = 6 * MAX_CODE_BYTES + 4096
MAX_CREDENTIAL_LENGTH = 4096
LIST_LIMIT_DEFAULT, LIST_LIMIT_MAX = 50, 200
# Wrong passwords per account before POST /api/token refuses it for the window (guessing).
LOGIN_FAILURES_ALLOWED, LOGIN_FAILURE_WINDOW = 10, 300
# Finished submissions' answers, by id: (expiry, author id, JSON body), per web process.
FINISHED_CACHE_SECONDS, FINISHED_CACHE_SIZE = 5.0, 10_000
_finished_cache: dict[int, tuple[float, int, bytes]] = {}
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")
ID = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1  # bigint: a larger id can never exist (and would overflow the query)
SAFE_METHODS = ("GET", "HEAD")
UNAUTHENTICATED = {"WWW-Authenticate": 'Bearer realm="stride"'}


class ApiError(Exception):
    def __init__(self, status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail, self.headers = status, error, detail, headers or {}

    def response(self) -> JsonResponse:
        response = JsonResponse({"error": self.error, "detail": self.detail}, status=self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


# -- decorators ----------------------------------------------------------------------------


def api_view(*methods: str) -> Callable:
    """Allow only ``methods`` (GET brings HEAD) with a JSON 405, and answer ApiError as JSON."""
    allowed = [*methods, "HEAD"] if "GET" in methods else list(methods)

    def decorate(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
            try:
                if request.method not in allowed:
                    raise ApiError(
                        405,
                        "method_not_allowed",
                        f"{request.method} is not allowed here; use {', '.join(allowed)}",
                        {"Allow": ", ".join(allowed)},
                    )
                return view(request, *args, **kwargs)
            except ApiError as error:
                return error.response()

        return wrapper

    return decorate


def authenticated(view: Callable[..., JsonResponse]) -> Callable[..., JsonResponse]:
    """Set ``request.api_user`` from the bearer token (or the session, for safe methods), else 401."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
        header = request.headers.get("Authorization")
        if header is not None:
            scheme, _, token = header.strip().partition(" ")
            user = ApiToken.authenticate(token.strip()) if scheme.lower() == "bearer" else None
            if user is None:
                raise ApiError(401, "unauthenticated", "the bearer token is not valid", UNAUTHENTICATED)
        elif request.method in SAFE_METHODS and request.user.is_authenticated:
            user = request.user
        elif request.user.is_authenticated:
            raise ApiError(
                401, "unauthenticated", f"{request.method} needs a bearer token (POST /api/token)", UNAUTHENTICATED
            )
        else:
            raise ApiError(401, "unauthenticated", "send Authorization: Bearer <token>", UNAUTHENTICATED)
        request.api_user = user
        return view(request, *args, **kwargs)

    return wrapper


# -- input ---------------------------------------------------------------------------------


def json_object(request: HttpRequest) -> dict[str, Any]:
    """The request body as a JSON object, or an ApiError saying what is wrong with it."""
    content_type = request.content_type.lower()
    charset = request.content_params.get("charset", "utf-8").lower()
    if content_type != "application/json" or charset not in ("utf-8", "utf8"):
        raise ApiError(
            415, "unsupported_media_type", f"send Content-Type: application/json (UTF-8), not {content_type or 'none'}"
        )
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(400, "invalid_body", "the Content-Length header is not a number") from None
    if length > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", f"the body is {length} bytes; the limit is {MAX_BODY_BYTES}")
    try:
        text = request.body.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ApiError(400, "invalid_encoding", f"the body is not valid UTF-8 (byte {error.start})") from None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, huge integers, deep nesting
        raise ApiError(400, "invalid_json", f"the body is not valid JSON: {str(error)[:200]}") from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_body", f"the body must be a JSON object, not {type(data).__name__}")
    return data


def text_field(data: dict[str, Any], name: str) -> str:
    """A required string member: present, a string, and encodable (no lone surrogates)."""
    if name not in data:
        raise ApiError(400, "invalid_field", f'"{name}" is required')
    value = data[name]
    if not isinstance(value, str):
        raise ApiError(400, "invalid_field", f'"{name}" must be a string')
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ApiError(
            400, "invalid_encoding", f'"{name}" is not valid Unicode (unpaired surrogate at {error.start})'
        ) from None
    return value


def submission_code(data: dict[str, Any]) -> str:
    code = text_field(data, "code")
    size = len(code.encode("utf-8"))
    if size > MAX_CODE_BYTES:
        raise ApiError(413, "too_large", f"the code is {size} bytes; the limit is {MAX_CODE_BYTES}")
    if "\0" in code:  # the database cannot store it, and Python would not compile it
        line = code.count("\n", 0, code.index("\0")) + 1
        raise ApiError(400, "invalid_field", f'"code" contains a NUL character (line {line})')
    return code


def list_limit(request: HttpRequest) -> int:
    raw = request.GET.get("limit")
    if raw is None:
        return LIST_LIMIT_DEFAULT
    if not re.fullmatch(r"[0-9]{1,4}", raw) or not 1 <= int(raw) <= LIST_LIMIT_MAX:
        raise ApiError(400, "invalid_parameter", f"limit must be an integer from 1 to {LIST_LIMIT_MAX}")
    return int(raw)


def find_exercise(slug: str) -> Exercise:
    exercise = Exercise.objects.filter(slug=slug).first() if SLUG.fullmatch(slug) else None
    if exercise is None:
        raise ApiError(404, "not_found", "no such exercise")
    return exercise


# -- access --------------------------------------------------------------------------------


def can_view(user, submission: Submission) -> bool:
    """The author, site staff, and the instructors and TAs of an offering the author takes."""
    return submission.user_id == user.pk or user.is_staff or user.is_superuser or teaches(user, submission.user_id)


def check_rate(user) -> None:
    """429 when ``user`` already made the allowed number of submissions in the window.

    Counted in the database, so it holds across web processes; the caller holds a lock on
    the user's row, so two requests at once cannot both take the last place.
    """
    count, seconds = settings.STRIDE_SUBMISSION_RATE_COUNT, settings.STRIDE_SUBMISSION_RATE_SECONDS
    if count <= 0:
        return
    now = timezone.now()
    window = timedelta(seconds=seconds)
    recent = Submission.objects.filter(user=user, created_at__gt=now - window).order_by("created_at", "id")
    made = recent.count()
    if made < count:
        return
    # The submission whose leaving the window frees a place (the oldest, unless over the limit).
    freeing = recent.values_list("created_at", flat=True)[made - count]
    retry_after = max(1, math.ceil((freeing + window - now).total_seconds()))
    raise ApiError(
        429,
        "rate_limited",
        f"at most {count} submissions in {seconds} s; try again in {retry_after} s",
        {"Retry-After": str(retry_after)},
    )


# -- serialization -------------------------------------------------------------------------


def exercise_summary(exercise: Exercise) -> dict[str, Any]:
    return {
        "slug": exercise.slug,
        "title": exercise.title,
        "max_points": exercise.max_points,
        "version": exercise.version,
    }


def submission_detail(submission: Submission) -> dict[str, Any]:
    finished = submission.status in (Submission.Status.GRADED, Submission.Status.ERROR)
    return {
        "id": submission.pk,
        "exercise": submission.exercise.slug,
        "status": submission.status,
        "verdict": submission.verdict or None,
        "score": submission.score,
        "points": submission.points,
        "max_points": submission.max_points,
        "created_at": submission.created_at,
        "started_at": submission.started_at,
        "finished_at": submission.finished_at,
        "feedback": submission.feedback() if finished else None,
    }


# -- views ---------------------------------------------------------------------------------


@csrf_exempt
@never_cache
@api_view("GET")
def openapi(request: HttpRequest) -> JsonResponse:
    """The OpenAPI document of this API."""
    # Imported here: the document gathers the content apps' schemas, whose views import this module.
    from stride.api.schema import OPENAPI

    return JsonResponse(OPENAPI)


@csrf_exempt
@never_cache
@api_view("POST")
def token(request: HttpRequest) -> JsonResponse:
    """Trade a username and password for a new bearer token."""
    data = json_object(request)
    username, password = text_field(data, "username"), text_field(data, "password")
    failures_key = "api-login-failures:" + hashlib.sha256(username.casefold().encode("utf-8", "replace")).hexdigest()
    if cache.get(failures_key, 0) >= LOGIN_FAILURES_ALLOWED:
        raise ApiError(
            429,
            "rate_limited",
            f"too many wrong passwords for this account; try again in {LOGIN_FAILURE_WINDOW} seconds",
            {"Retry-After": str(LOGIN_FAILURE_WINDOW)},
        )
    user = None
    # Credentials no account can have are refused before they reach the database.
    if "\0" not in username + password and max(len(username), len(password)) <= MAX_CREDENTIAL_LENGTH:
        user = authenticate(request, username=username, password=password)
    if user is None:
        if not cache.add(failures_key, 1, LOGIN_FAILURE_WINDOW):
            cache.incr(failures_key)
        raise ApiError(401, "invalid_credentials", "wrong username or password", UNAUTHENTICATED)
    cache.delete(failures_key)
    _, secret = ApiToken.issue(user)
    return JsonResponse({"token": secret})


@csrf_exempt
@never_cache
@api_view("GET")
@authenticated
def exercises(request: HttpRequest) -> JsonResponse:
    """Every exercise, in course order."""
    return JsonResponse({"exercises": [exercise_summary(e) for e in Exercise.objects.all()]})


@csrf_exempt
@never_cache
@api_view("GET")
@authenticated
def exercise(request: HttpRequest, slug: str) -> JsonResponse:
    """One exercise with its statement and starter code."""
    found = find_exercise(slug)
    return JsonResponse(
        {**exercise_summary(found), "function": found.function, "statement": found.statement, "starter": found.starter}
    )


@csrf_exempt
@never_cache
@api_view("GET", "POST")
@authenticated
def exercise_submissions(request: HttpRequest, slug: str) -> JsonResponse:
    """GET: the caller's own submissions for the exercise, newest first. POST: submit code."""
    found = find_exercise(slug)
    if request.method == "POST":
        return submit(request, found)
    rows = (
        Submission.objects.filter(user=request.api_user, exercise=found)
        .order_by("-created_at", "-id")
        .values("id", "status", "verdict", "score", "points", "max_points", "created_at", "finished_at")
    )
    listed = [{**row, "verdict": row["verdict"] or None} for row in rows[: list_limit(request)]]
    return JsonResponse({"submissions": listed})


def submit_code(user, exercise: Exercise, code: str) -> Submission:
    """Store a submission for ``user`` under every rule that applies; ApiError when refused.

    The API and the exercise page both submit through here.
    """
    # Imported here: the offerings' rules raise this module's ApiError.
    from stride.offerings import limits

    with transaction.atomic():
        # One submitter at a time per user, so neither the rate limit nor an offering's
        # attempt limit can be raced past.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        item = limits.check_submission(user, exercise)  # 403 not_open / closed / attempt_limit
        check_rate(user)
        # Enqueued after the commit; a broker that is down is logged there and the
        # sweeper sends the grading later, so the answer is 202 either way.
        created = create_submission(user, exercise, code)
        if item is not None:
            limits.record_attempt(item, user, created)
    return created


def submit(request: HttpRequest, found: Exercise) -> JsonResponse:
    code = submission_code(json_object(request))
    created = submit_code(request.api_user, found, code)
    response = JsonResponse({"id": created.pk, "status": created.status}, status=202)
    response["Location"] = reverse("api:submission", args=[created.pk])
    return response


@csrf_exempt
@never_cache
@api_view("GET")
@authenticated
def submission(request: HttpRequest, submission_id: str) -> HttpResponse:
    """One submission with its grading feedback, for whoever may see it (404 for anyone else)."""
    if not (ID.fullmatch(submission_id) and 0 < int(submission_id) <= MAX_ID):
        raise ApiError(404, "not_found", "no such submission")
    pk = int(submission_id)
    cached = _finished_cache.get(pk)
    if cached is not None and cached[0] > time.monotonic() and cached[1] == request.api_user.pk:
        return HttpResponse(cached[2], content_type="application/json")
    # The status is polled often: skip the code (up to 64 KiB) and the ordering.
    found = Submission.objects.select_related("exercise").defer("code").filter(pk=pk)[:1]
    found = found[0] if found else None
    if found is None or not can_view(request.api_user, found):
        raise ApiError(404, "not_found", "no such submission")
    response = JsonResponse(submission_detail(found))
    if found.status in (Submission.Status.GRADED, Submission.Status.ERROR) and found.user_id == request.api_user.pk:
        # A finished grading only changes when it is regraded: its author's polls are
        # answered from this process's memory for a few seconds.
        if len(_finished_cache) >= FINISHED_CACHE_SIZE:
            _finished_cache.clear()
        _finished_cache[pk] = (time.monotonic() + FINISHED_CACHE_SECONDS, found.user_id, response.content)
    return response


@csrf_exempt
@never_cache
def not_found(request: HttpRequest, path: str = "") -> JsonResponse:
    """Any other path under /api/, whatever the method."""
    return ApiError(404, "not_found", "no such API endpoint").response()
