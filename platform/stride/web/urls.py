"""URLs of the pages (namespace ``web``); accounts are under /accounts/ (stride.urls)."""

from django.urls import include, path

from stride.web.views import accounts, catalog, exercises, lessons, study

app_name = "web"

urlpatterns = [
    path("", catalog.home, name="home"),
    path("courses/", catalog.catalog, name="catalog"),
    path("courses/<slug:slug>/", catalog.course_detail, name="course"),
    path("courses/<slug:slug>/enrol", catalog.enrol, name="enrol"),
    path("lessons/<int:lesson_id>/", lessons.lesson_player, name="lesson"),
    path("exercises/<slug:slug>/", exercises.exercise_page, name="exercise"),
    path("exercises/<slug:slug>/submit", exercises.exercise_submit, name="exercise-submit"),
    path("exercises/<slug:slug>/history", exercises.exercise_history, name="exercise-history"),
    path("exercises/<slug:slug>/submissions/<int:submission_id>/", exercises.submission_page, name="submission"),
    path(
        "exercises/<slug:slug>/submissions/<int:submission_id>/result",
        exercises.submission_result,
        name="submission-result",
    ),
    path("glossary/", study.glossary, name="glossary"),
    path("flashcards/", study.flashcards, name="flashcards"),
    path("quizzes/<int:quiz_id>/", study.quiz, name="quiz"),
    path("grades/", study.grades, name="grades"),
    path("accounts/signup/", accounts.signup, name="signup"),
    # Instructors' and TAs' pages (offerings, authoring checks, regrades, analytics, exports).
    path("teach/", include("stride.web.teach.urls")),
]
