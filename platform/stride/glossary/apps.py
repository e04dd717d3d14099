from django.apps import AppConfig


class GlossaryConfig(AppConfig):
    name = "stride.glossary"
    default_auto_field = "django.db.models.BigAutoField"
