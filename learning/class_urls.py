"""Facilitator classes on the public site: open a class, its poster, join it, help its members."""

from django.urls import path

from learning.views import classes

app_name = "classes"

member = "lop-hoc/<int:class_id>/hoc-vien/<int:member_id>/"

urlpatterns = [
    path("lop-hoc/", classes.my_classes, name="mine"),
    path("lop-hoc/mo-lop/", classes.create_class, name="create"),
    path("lop-hoc/<int:class_id>/", classes.class_detail, name="detail"),
    path("lop-hoc/<int:class_id>/nhan-hoc-vien/", classes.set_joining, name="set_joining"),
    path("lop-hoc/<int:class_id>/ap-phich/", classes.poster, name="poster"),
    path("lop-hoc/<int:class_id>/dang-ky-giup/", classes.assisted_registration, name="assisted_registration"),
    path(member, classes.member_detail, name="member"),
    path(f"{member}ho-tro-khoa-hoc/", classes.mark_course, name="mark_course"),
    path(f"{member}ho-tro-buoc/", classes.mark_step, name="mark_step"),
    path(f"{member}ma-dat-lai-mat-khau/", classes.issue_reset_code, name="issue_reset_code"),
    path("vao-lop/", classes.join, name="join"),
    path("vao-lop/<str:code>/", classes.join_with_code, name="join_code"),
    path("dat-lai-mat-khau/ma/", classes.reset_with_code, name="reset_with_code"),
]
