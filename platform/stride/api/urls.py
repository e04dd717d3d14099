"""URLs of the JSON API, mounted at /api/. Anything else under /api/ is a JSON 404."""

from django.urls import path, re_path

from stride.api import views

app_name = "api"

urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("token", views.token, name="token"),
    path("exercises", views.exercises, name="exercises"),
    path("exercises/<str:slug>", views.exercise, name="exercise"),
    path("exercises/<str:slug>/submissions", views.exercise_submissions, name="exercise-submissions"),
    path("submissions/<str:submission_id>", views.submission, name="submission"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
