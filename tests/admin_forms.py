"""What Wagtail's page editor posts besides the page's own fields."""

EDITOR_DEFAULTS = {
    "seo_title": "",
    "search_description": "",
    "go_live_at": "",
    "expire_at": "",
    "comments-TOTAL_FORMS": "0",
    "comments-INITIAL_FORMS": "0",
    "comments-MIN_NUM_FORMS": "0",
    "comments-MAX_NUM_FORMS": "1000",
}


def page_form(fields: dict, **extra) -> dict:
    return {**EDITOR_DEFAULTS, **fields, **extra}
