from django.contrib import admin

from .models import Book, BookContributor, Contributor, Theme


class BookContributorInline(admin.TabularInline):
    model = BookContributor
    extra = 0
    autocomplete_fields = ["contributor"]


@admin.register(Book)
class BookAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "language",
        "age_label",
        "layout",
        "licence_model",
        "is_featured",
        "is_withdrawn",
        "is_generated",
    ]
    list_filter = [
        "is_featured",
        "is_withdrawn",
        "is_generated",
        "language",
        "layout",
        "licence_model",
        "themes",
    ]
    search_fields = ["title", "isbn", "identifier"]
    filter_horizontal = ["themes"]
    inlines = [BookContributorInline]


@admin.register(Contributor)
class ContributorAdmin(admin.ModelAdmin):
    search_fields = ["name", "sort_name"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["symbol", "name_sv", "name_en", "slug", "sort_order"]
    prepopulated_fields = {"slug": ["name_sv"]}
