"""Load the 34 provinces and 3,321 communes (official GSO codes) from vietnam-provinces."""

import json

from django.db import migrations


def load_places(apps, schema_editor):
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    Province = apps.get_model("learning", "Province")
    Commune = apps.get_model("learning", "Commune")
    divisions = json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8"))
    Province.objects.bulk_create(
        [Province(code=p["code"], name=p["name"], division_type=p["division_type"]) for p in divisions]
    )
    Commune.objects.bulk_create(
        [
            Commune(code=w["code"], name=w["name"], division_type=w["division_type"], province_id=p["code"])
            for p in divisions
            for w in p["wards"]
        ],
        batch_size=500,
    )


def unload_places(apps, schema_editor):
    apps.get_model("learning", "Commune").objects.all().delete()
    apps.get_model("learning", "Province").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_initial")]
    operations = [migrations.RunPython(load_places, unload_places)]
