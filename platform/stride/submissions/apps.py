from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "stride.submissions"
    default_auto_field = "django.db.models.BigAutoField"
