"""Find the procedure with the portal's search box, then pick the right one from the results."""

import unicodedata

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.sandboxes.identity import REAL_ID_REFUSED, contains_real_looking_id
from courses.sandboxes.steps import Outcome, StepKind


class SearchProcedureStepBlock(blocks.StructBlock):
    procedure = blocks.CharBlock(label=_("Thủ tục cần tìm"), max_length=250)
    keywords = blocks.ListBlock(
        blocks.CharBlock(max_length=60),
        label=_("Từ khoá tìm ra thủ tục"),
        help_text=_("Ví dụ: tạm trú. Không phân biệt dấu, chữ hoa."),
        min_num=1,
    )
    decoys = blocks.ListBlock(
        blocks.CharBlock(max_length=250), label=_("Các thủ tục dễ nhầm cũng hiện ra"), default=[]
    )

    class Meta:
        icon = "search"
        label = _("Tìm thủ tục")


def fold(text: str) -> str:
    """Lowercase without diacritics (đ → d), so "tam tru" finds "tạm trú"."""
    text = unicodedata.normalize("NFD", (text or "").lower().replace("đ", "d"))
    return " ".join("".join(c for c in text if unicodedata.category(c) != "Mn").split())


def results(settings, query: str) -> list[str]:
    """What the search box shows for a query: every procedure one of whose keywords matches."""
    folded = fold(query)
    if len(folded) < 2:
        return []
    titles = [settings["procedure"], *settings.get("decoys", [])]
    matched = [title for title in titles if folded in fold(title)]
    if any(folded in fold(keyword) or fold(keyword) in folded for keyword in settings.get("keywords", [])):
        matched = titles
    return sorted(set(matched), key=titles.index)


def check(settings, data, persona, state) -> Outcome:
    if "tim" in data:  # a search, not an answer: no mistake
        query = (data.get("tu_khoa") or "").strip()[:100]
        if contains_real_looking_id(query):
            return Outcome(done=False, hints=[str(REAL_ID_REFUSED)], keep={"query": ""}, mistake=False)
        found = results(settings, query)
        hints = (
            []
            if found
            else [gettext("Không tìm thấy thủ tục nào. Hãy gõ ít chữ hơn, ví dụ tên thủ tục ngắn gọn.")]
        )
        return Outcome(done=False, hints=hints, keep={"query": query}, mistake=False)
    chosen = data.get("thu_tuc") or ""
    if not chosen:
        return Outcome(
            done=False, hints=[gettext("Hãy tìm rồi chọn một thủ tục trong kết quả.")], mistake=False
        )
    if chosen not in [settings["procedure"], *settings.get("decoys", [])]:
        return Outcome(
            done=False, hints=[gettext("Hãy tìm rồi chọn một thủ tục trong kết quả.")], mistake=False
        )
    if chosen == settings["procedure"]:
        return Outcome(done=True, keep={"procedure": chosen})
    return Outcome(
        done=False,
        hints=[
            gettext("Bạn chọn “%(chosen)s”. Thủ tục cần làm là “%(wanted)s”: hãy đọc kỹ tên từng thủ tục.")
            % {"chosen": chosen, "wanted": settings["procedure"]}
        ],
    )


KIND = StepKind(
    "search_procedure",
    "Tìm thủ tục",
    SearchProcedureStepBlock,
    check,
    "courses/sandboxes/steps/search_procedure.html",
    context=lambda view: {
        "query": view.kept.get("query", ""),
        "results": results(view.settings, view.kept["query"]) if view.kept.get("query") else [],
    },
)
