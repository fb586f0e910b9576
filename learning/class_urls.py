"""Facilitator classes on the public site: open a class, its poster, join it, help its members."""

app_name = "classes"

urlpatterns: list = []
