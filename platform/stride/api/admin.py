from django.contrib import admin

from stride.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens can be looked at and revoked (deleted) here; they are issued by POST /api/token."""

    list_display = ["id", "user", "created_at", "last_used_at"]
    search_fields = ["user__username"]
    readonly_fields = ["user", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request) -> bool:
        return False
