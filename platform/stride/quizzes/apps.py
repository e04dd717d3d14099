from django.apps import AppConfig


class QuizzesConfig(AppConfig):
    name = "stride.quizzes"
    default_auto_field = "django.db.models.BigAutoField"
