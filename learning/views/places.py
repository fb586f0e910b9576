from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from learning.models import Commune, Province


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def communes_of_province(request: HttpRequest, province_code: int) -> JsonResponse:
    """The communes of one province, for the progressive province → commune picker."""
    if not Province.objects.filter(pk=province_code).exists():
        raise Http404
    communes = Commune.objects.filter(province_id=province_code).values_list("code", "name")
    return JsonResponse({"communes": [{"code": code, "name": name} for code, name in communes]})
