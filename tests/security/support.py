"""Shared tools of the security audits: the URL walk, a client that remembers every URL it asked
for, an HTML scanner for injected markup, and the sandbox steps the audits drive over HTTP."""

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bs4 import BeautifulSoup
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter
from django.urls.resolvers import RegexPattern, RoutePattern
from PIL import Image

from courses.sandboxes.kinds.vneid_login import otp_purpose
from courses.sandboxes.personas import one_time_code, persona_from
from learning.models import SandboxRun

# --- the URL resolver, walked ---------------------------------------------------------------

CONVERTER_KINDS = {
    IntConverter: "int",
    StringConverter: "str",
    SlugConverter: "slug",
    PathConverter: "path",
    UUIDConverter: "uuid",
}


@dataclass(frozen=True)
class Route:
    """One URL pattern with everything above it: its full route text, full name and kwargs."""

    route: str
    name: str | None
    kwargs: tuple[tuple[str, str], ...]  # (name, kind) with kind int/str/slug/path/uuid/regex

    @property
    def namespace(self) -> str:
        return self.name.rsplit(":", 1)[0] if self.name and ":" in self.name else ""


def _kwargs_of(pattern) -> list[tuple[str, str]]:
    if isinstance(pattern, RoutePattern):
        return [(name, CONVERTER_KINDS.get(type(conv), "str")) for name, conv in pattern.converters.items()]
    if isinstance(pattern, RegexPattern):
        return [(name, "regex") for name in pattern.regex.groupindex]
    return []


def walk_routes(patterns=None, prefix: str = "", namespace: str = "", kwargs=()) -> Iterator[Route]:
    """Every URL pattern of the project, recursively, as the resolver sees it."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        here = (*kwargs, *_kwargs_of(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace
            yield from walk_routes(entry.url_patterns, prefix + str(entry.pattern), inner or namespace, here)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Route(prefix + str(entry.pattern), name, tuple(here))


def example_path(route: str, value_for) -> str:
    """A concrete path for a route (path() converters and re_path() groups alike);
    ``value_for(name, kind)`` gives each parameter's value."""
    text = re.sub(
        r"\(\?P<(\w+)>([^()]*)\)",
        lambda m: str(value_for(m.group(1), "int" if r"\d" in m.group(2) else "str")),
        route,
    )  # re_path() groups first: their <name> would look like a path() converter
    text = re.sub(
        r"<(?:(\w+):)?(\w+)>", lambda m: str(value_for(m.group(2), m.group(1) or "str")), text
    )  # path() converters; <name> alone is a str
    text = re.sub(
        r"\(([^()?]*)\)", lambda m: str(value_for("", "int" if r"\d" in m.group(1) else "str")), text
    )
    text = text.replace(".*", "x").replace("^", "").replace("$", "").replace(r"\Z", "")
    text = re.sub(r"\\(.)", r"\1", text)  # \. and \- are literal characters
    return "/" + text


# --- a client that keeps the URLs it asked for -----------------------------------------------


class RecordingClient(Client):
    """The test client, remembering every path and query string it requested (redirects too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.requested: list[str] = []

    def request(self, **request):
        query = request.get("QUERY_STRING", "")
        self.requested.append(request.get("PATH_INFO", "") + (f"?{query}" if query else ""))
        return super().request(**request)


# --- injected markup -------------------------------------------------------------------------

MARKER = re.compile(r"XSS\d{2}")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background"}
ACTIVE_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
# Elements that never legitimately carry learner text: a payload's marker on one means it became markup.
ACTIVE_ELEMENTS = {
    "script",
    "style",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "img",
    "base",
    "link",
    "meta",
}


def injected_markup(html: str) -> list[str]:
    """Elements or attributes that came from a payload (they carry its XSSnn marker) or that
    would run script; an empty list when every payload stayed text."""
    findings = []
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        values = {
            name.lower(): " ".join(v) if isinstance(v, list) else str(v) for name, v in tag.attrs.items()
        }
        for name, value in values.items():
            if MARKER.search(name):
                findings.append(f"attribute name from a payload: <{tag.name} {name}>")
            if name.startswith("on") and MARKER.search(value):
                findings.append(f"event handler from a payload: <{tag.name} {name}={value!r}>")
            if name in URL_ATTRIBUTES and value.strip().lower().startswith(ACTIVE_SCHEMES):
                findings.append(f"script URL: <{tag.name} {name}={value!r}>")
        if tag.name in ACTIVE_ELEMENTS and (
            MARKER.search(tag.get_text()) or any(MARKER.search(v) for v in values.values())
        ):
            inert_data = (
                tag.name == "script"
                and values.get("type", "").endswith("json")
                and "<" not in tag.get_text()  # json_script escapes <, > and & inside the data
            )
            if not inert_data:
                findings.append(f"element from a payload: {str(tag)[:120]!r}")
    text = soup.get_text()
    findings += [f"template evaluated: {m.group(0)!r}" for m in re.finditer(r"49XSS\d{2}", text)]
    return findings


# --- sandbox runs over HTTP ------------------------------------------------------------------


def run_from_redirect(response) -> SandboxRun:
    """The run a start or restart redirected to."""
    assert response.status_code == 302, response
    return SandboxRun.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def start_run(client, slug: str) -> SandboxRun:
    return run_from_redirect(client.post(reverse("learning:sandbox_start", args=[slug])))


def post_step(client, run: SandboxRun, **data):
    run.refresh_from_db()
    return client.post(reverse("learning:sandbox_run", args=[run.pk]), {"buoc": str(run.step_index), **data})


def login_data(run: SandboxRun) -> dict:
    """What the mock VNeID login wants: the persona's number, password and the on-screen OTP."""
    run.refresh_from_db()
    persona = run.persona
    otp = one_time_code(persona_from(persona), otp_purpose({"step_index": run.step_index}))
    return {"so_dinh_danh": persona["id_number"], "mat_khau": persona["password"], "otp": otp}


def temporary_residence_up_to_the_form(client, run: SandboxRun) -> None:
    """Log in, find the procedure, read it and choose the agency: the e-form is next."""
    assert post_step(client, run, **login_data(run)).status_code == 302
    assert post_step(client, run, thu_tuc="Đăng ký tạm trú").status_code == 302
    assert post_step(client, run).status_code == 302
    place = {"province": str(run.persona["province_code"]), "commune": str(run.persona["commune_code"])}
    assert post_step(client, run, **place).status_code == 302


RESIDENCE_FORM = {
    "noi_dung": "Đăng ký tạm trú",
    "tu_ngay": "1/12/2025",
    "quan_he_chu_ho": "Chủ hộ",
    "ly_do": "làm việc",
}


def temporary_residence_from_the_form(client, run: SandboxRun, form: dict, *, declare: bool = True) -> None:
    """Fill the e-form, attach a sample, choose e-delivery and (``declare``) submit the dossier."""
    assert post_step(client, run, **form).status_code == 302
    page = client.get(reverse("learning:sandbox_run", args=[run.pk])).content.decode()
    good = "mau_1" if page.index("bị mờ") > page.index("rõ nét") else "mau_2"
    assert post_step(client, run, giay_to_1=good).status_code == 302
    assert post_step(client, run, cach_nhan="dien_tu").status_code == 302
    if declare:
        assert post_step(client, run, cam_doan="1").status_code == 302


def pay_and_rate(client, run: SandboxRun, comment: str) -> None:
    """The fee scenario: refuse the personal payee, pay the exact fee, rate with a comment."""
    assert post_step(client, run, quyet_dinh="tu_choi").status_code == 302
    paid = {"quyet_dinh": "thanh_toan", "kenh": "Ví điện tử", "so_tien": "7.000", "xac_nhan": "1"}
    assert post_step(client, run, **paid).status_code == 302
    assert post_step(client, run, muc_do="4", gop_y=comment).status_code == 302


def png_bytes(width: int, height: int) -> bytes:
    """A real PNG image of the given size."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()
