"""Replace Wagtail's welcome page with our home page and make it the default site's root."""

from django.db import migrations

INTRO = (
    "Học miễn phí các kỹ năng số cơ bản: dùng VNeID và Cổng Dịch vụ công, thanh toán trực tuyến, "
    "nhận biết lừa đảo. Có chỗ thực hành an toàn, hướng dẫn từng bước."
)


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("courses", "HomePage")
    Locale = apps.get_model("wagtailcore", "Locale")

    Page.objects.filter(depth=2, slug="home", content_type__model="page").delete()
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="courses")
    home = HomePage.objects.create(
        title="Bình dân học vụ số",
        draft_title="Bình dân học vụ số",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=Locale.objects.order_by("pk").first(),
        intro=INTRO,
        call_to_action="Đăng ký học miễn phí",
    )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page_id": home.id, "site_name": "Bình dân học vụ số"},
    )


def remove_home_page(apps, schema_editor):
    apps.get_model("courses", "HomePage").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailcore", "0054_initial_locale"),
        ("learning", "0002_load_places"),
    ]
    operations = [migrations.RunPython(create_home_page, remove_home_page)]
