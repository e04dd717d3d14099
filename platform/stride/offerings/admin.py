from django.contrib import admin

from stride.offerings.models import Enrollment, GradedItem, Offering


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    raw_id_fields = ["user"]


class GradedItemInline(admin.TabularInline):
    model = GradedItem
    extra = 0
    fields = ["quiz", "exercise", "opens_at", "closes_at", "max_attempts"]


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "course", "created_at"]
    list_filter = ["course"]
    inlines = [GradedItemInline, EnrollmentInline]
