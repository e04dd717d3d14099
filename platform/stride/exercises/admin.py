from django.contrib import admin

from stride.exercises.models import Exercise


@admin.register(Exercise)
class ExerciseAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "version", "max_points", "updated_at"]
    readonly_fields = ["version", "updated_at"]
