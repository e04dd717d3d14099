from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "stride.core"
    label = "core"

    def ready(self) -> None:
        # Make stride.celery's app the current one in every Django process, so tasks
        # defined with @shared_task are sent with its configuration.
        from stride.celery import app  # noqa: F401
