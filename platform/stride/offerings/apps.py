from django.apps import AppConfig


class OfferingsConfig(AppConfig):
    name = "stride.offerings"
    default_auto_field = "django.db.models.BigAutoField"
