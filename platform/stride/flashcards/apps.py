from django.apps import AppConfig


class FlashcardsConfig(AppConfig):
    name = "stride.flashcards"
    default_auto_field = "django.db.models.BigAutoField"
