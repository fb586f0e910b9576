from django.urls import path

from certificates import views

app_name = "certificates"

urlpatterns = [
    path("chung-nhan-cua-toi/", views.mine, name="mine"),
    path("chung-nhan-cua-toi/<int:pk>/", views.detail, name="detail"),
    path("chung-nhan-cua-toi/<int:pk>/chung-nhan.pdf", views.download, name="download"),
    path("tra-cuu-chung-nhan/", views.lookup, name="lookup"),
    path("chung-nhan/danh-sach-thu-hoi.jwt", views.status_list, name="status_list"),
    path("chung-nhan/khoa-cong-khai.json", views.issuer_keys, name="issuer_keys"),
    path("chung-nhan/thanh-tich/<int:course_id>/", views.achievement, name="achievement"),
    # Capability URLs: the token (256 random bits) is the only key.
    path("chung-nhan/<str:token>/", views.verify, name="verify"),
    path("chung-nhan/<str:token>/chung-chi-so.jwt", views.credential, name="credential"),
    path("chung-nhan/<str:token>/trang-thai.json", views.status, name="status"),
]
