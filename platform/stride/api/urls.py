"""URLs of the JSON API, mounted at /api/. Anything else under /api/ is a JSON 404."""

from django.urls import path, re_path

from stride.api import views
from stride.courses import api as courses_api
from stride.flashcards import api as flashcards_api
from stride.glossary import api as glossary_api
from stride.gradebook import api as gradebook_api
from stride.quizzes import api as quizzes_api

app_name = "api"

urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("token", views.token, name="token"),
    path("exercises", views.exercises, name="exercises"),
    path("exercises/<str:slug>", views.exercise, name="exercise"),
    path("exercises/<str:slug>/submissions", views.exercise_submissions, name="exercise-submissions"),
    path("submissions/<str:submission_id>", views.submission, name="submission"),
    *courses_api.urlpatterns,
    *glossary_api.urlpatterns,
    *flashcards_api.urlpatterns,
    *quizzes_api.urlpatterns,
    *gradebook_api.urlpatterns,
    re_path(r"^(?P<path>.*)$", views.not_found),
]
