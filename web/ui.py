"""The chat page (gradio Blocks): ask, read the sources, browse documents, upload.

Only layout and wiring live here; what each event does is in `handlers.py`,
the HTML in `render.py`, the words in `labels.yaml`.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import gradio as gr

from config import Settings
from web import handlers
from web.admin import admin_enabled
from web.labels import examples, labels
from web.limits import Limits

LANGUAGE_CHOICES = ["中文", "English"]

# Clicking an [n] in an answer opens that citation in the side panel (the
# message's own folded copy only when the panel shows another answer); an
# opened source scrolls its page image so the marked box is in the middle.
HEAD = r"""
<script>
function juesuanCenterMarks(root) {
  root.querySelectorAll(".page-frame").forEach(function (frame) {
    var mark = frame.querySelector(".page-mark");
    if (!mark || !frame.offsetParent) return;
    frame.scrollLeft = mark.offsetLeft + mark.offsetWidth / 2 - frame.clientWidth / 2;
    frame.scrollTop = mark.offsetTop + mark.offsetHeight / 2 - frame.clientHeight / 2;
  });
}
document.addEventListener("toggle", function (ev) {
  if (ev.target.open && ev.target.querySelectorAll) juesuanCenterMarks(ev.target);
}, true);
document.addEventListener("click", function (ev) {
  var link = ev.target.closest && ev.target.closest("a.cite");
  var m = link && /#msg-(\d+-\d+)$/.exec(link.getAttribute("href") || "");
  if (!m) return;
  ev.preventDefault();
  ev.stopPropagation();
  var shown = document.getElementById("src-" + m[1]) || document.getElementById("msg-" + m[1]);
  if (!shown) return;
  shown.open = true;
  // Bring the side panel's source into view, so the answer stays where it is.
  shown.scrollIntoView({block: "nearest"});
  juesuanCenterMarks(shown);
}, true);
</script>
"""

CSS = """
.citation { margin: 4px 0; font-size: 0.92em; }
.citation summary { cursor: pointer; }
.citation .quote { margin: 4px 0 4px 6px; padding-left: 8px; border-left: 3px solid #bbb;
  white-space: pre-wrap; }
.citation mark { background: #ffe066; padding: 0 2px; }
.answer .lead { font-size: 1.05em; }
.answer .notes { margin-top: 6px; color: #555; font-size: 0.92em; }
a.cite { font-weight: 600; color: #1a56db !important; text-decoration: none; cursor: pointer; }
.source .citation-body { margin-top: 4px; }
.source .source-meta { color: #666; font-size: 0.88em; margin-top: 4px; }
.excerpt-title { margin: 2px 0; }
.table-scroll { overflow-x: auto; max-width: 100%; }
table.excerpt { border-collapse: collapse; font-size: 0.85em; margin: 4px 0 !important; width: auto; }
table.excerpt th, table.excerpt td { border: 1px solid #ccc; padding: 2px 6px !important;
  vertical-align: middle; }
table.excerpt th { background: #f3f4f6; font-weight: 600; text-align: center; }
table.excerpt th.cited-col { background: #ffe8a3; }
table.excerpt td.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
table.excerpt tr.cited-row td { background: #fff8db; font-weight: 600; }
table.excerpt td.cited-cell { outline: 2px solid #e8590c; outline-offset: -2px; }
table.excerpt tr.more td { color: #888; font-style: italic; text-align: center; }
.section-path { color: #555; font-size: 0.88em; }
.excerpt-passage .context { color: #777; }
.excerpt-passage .cited-sentence { background: #fff8db; }
.page-meta { color: #555; font-size: 0.88em; margin: 6px 0 2px; }
.page-frame { overflow: auto; max-height: 460px; border: 1px solid #ccc; background: #eee; }
.page-frame .page { position: relative; }
.page-frame img.page-image { display: block; width: 100% !important; height: auto !important;
  max-width: none !important; margin: 0 !important; }
.page-mark { position: absolute; box-sizing: border-box; border: 2px solid #e8590c;
  background: rgba(255, 208, 0, 0.25); pointer-events: none; }
table.checks td, table.checks th { padding: 2px 6px; vertical-align: top; }
tr.check-mismatch td { background: #ffe8e8; }
tr.check-unverified td { background: #fff8e0; }
tr.check-sources td { border-top: none; padding-top: 0; }
.check-sides { display: flex; gap: 10px; flex-wrap: wrap; }
.check-side { flex: 1 1 360px; min-width: 0; }
"""


def tab_label(key: str) -> str:
    """Tabs carry both languages: gradio duplicates a tab whose label is updated."""
    return f"{labels('zh')[key]} {labels('en')[key]}"


class Labelled:
    """Components whose words change with the language toggle."""

    def __init__(self) -> None:
        self.items: list[tuple[Any, str, str]] = []

    def add(self, component: Any, key: str, attr: str = "label") -> Any:
        self.items.append((component, key, attr))
        return component

    def updates(self, choice: str) -> list[Any]:
        lab = labels(handlers.lang_code(choice))
        out = []
        for _component, key, attr in self.items:
            if attr == "markdown":
                out.append(gr.update(value=f"### {lab[key]}"))
            elif attr == "heading":
                out.append(gr.update(value=f"#### {lab[key]}"))
            elif attr == "textbox":
                out.append(gr.update(label=lab[key], placeholder=lab["question_placeholder"]))
            else:
                out.append(gr.update(**{attr: lab[key]}))
        return out


def build_ui(settings: Settings, limits: Limits | None = None) -> gr.Blocks:
    """The page mounted at "/"; `settings` fixes the index it reads.

    `limits` are the app's rate and answer queue, shared with the API."""
    limits = limits or Limits(settings)
    lab = labels("zh")
    words = Labelled()
    with gr.Blocks(title=lab["title"]) as demo:
        with gr.Row():
            words.add(gr.Markdown(f"### {lab['title']}"), "title", "markdown")
            language = gr.Radio(
                LANGUAGE_CHOICES,
                value="中文",
                show_label=False,
                container=False,
                elem_id="language",
                scale=0,
                min_width=200,
            )
        words.add(gr.Markdown(lab["subtitle"]), "subtitle", "value")
        with gr.Tabs():
            chat = _chat_tab(settings, limits, words, lab, language)
            docs = _documents_tab(settings, words, lab, language)
            _upload_tab(settings, words, lab, language, docs, chat)

        async def ask(question: str, request: gr.Request) -> dict:
            """Answer a question with numbered citations (same JSON as POST /api/ask)."""
            client = handlers.client_of(request)
            return await handlers.api_ask_in_turn(limits, client, question, settings)

        gr.api(ask, api_name="ask")
        refresh_outputs = [docs["table"], *chat["filters"], docs["picker"]]
        refresh = partial(handlers.refresh, settings=settings)
        refresh_inputs = [language, docs["picker"]]
        private = {"api_visibility": "private"}
        demo.load(refresh, refresh_inputs, refresh_outputs, **private)
        language.change(
            words.updates, [language], [c for c, _k, _a in words.items], **private
        ).then(refresh, refresh_inputs, refresh_outputs, **private).then(*docs["detail"], **private)
    return demo


def _chat_tab(
    settings: Settings, limits: Limits, words: Labelled, lab: dict, language: Any
) -> dict[str, Any]:
    anything = [(lab["any"], "")]
    with gr.Tab(tab_label("tab_chat"), id="chat"):
        # The states live inside the tab: a component between two tabs counts as a
        # child of the Tabs, shifts the later tabs' order, and the page then draws a
        # second header for each of them when it is first opened.
        turns = gr.State([])
        last = gr.State(None)
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = words.add(
                    gr.Chatbot(
                        height=480, elem_id="chatbot", label=lab["chat"], sanitize_html=True
                    ),
                    "chat",
                )
                with gr.Row():
                    question = words.add(
                        gr.Textbox(
                            label=lab["question"],
                            placeholder=lab["question_placeholder"],
                            elem_id="question",
                            scale=5,
                            max_length=settings.max_question_chars,
                        ),
                        "question",
                        "textbox",
                    )
                    ask = words.add(
                        gr.Button(lab["ask"], variant="primary", scale=1), "ask", "value"
                    )
                gr.Examples(examples(), inputs=[question], label=lab["examples"])
                clear = words.add(gr.Button(lab["clear"], size="sm"), "clear", "value")
                with words.add(gr.Accordion(lab["filters"], open=False), "filters"), gr.Row():
                    department = words.add(
                        gr.Dropdown(anything, value="", label=lab["department"]), "department"
                    )
                    place = words.add(gr.Dropdown(anything, value="", label=lab["place"]), "place")
                    year = words.add(gr.Dropdown(anything, value="", label=lab["year"]), "year")
            with gr.Column(scale=2):
                words.add(gr.Markdown(f"#### {lab['sources']}"), "sources", "heading")
                sources = gr.HTML(f"<p>{lab['no_sources']}</p>", elem_id="sources")
                chart = gr.BarPlot(visible=False, elem_id="chart", sort="-y")
    inputs = [question, chatbot, turns, department, place, year, language]
    outputs = [question, chatbot, turns, last, sources, chart]

    async def respond(
        question: str,
        messages: list,
        turns: list,
        department: str,
        place: str,
        year: str,
        choice: str,
        request: gr.Request,
    ) -> tuple:
        client = handlers.client_of(request)
        inputs = (question, messages, turns, department, place, year, choice)
        return await handlers.respond_in_turn(limits, client, *inputs, settings=settings)

    for event in (ask.click, question.submit):
        event(respond, inputs, outputs, api_visibility="private", concurrency_limit=2)
    clear.click(
        lambda: ("", [], [], None, "", gr.update(visible=False)),
        None,
        outputs,
        api_visibility="private",
    )
    return {"filters": [department, place, year]}


def _documents_tab(settings: Settings, words: Labelled, lab: dict, language: Any) -> dict:
    with gr.Tab(tab_label("tab_documents"), id="documents"):
        table = words.add(
            gr.Dataframe(label=lab["documents"], interactive=False, elem_id="documents"),
            "documents",
        )
        picker = words.add(
            gr.Dropdown([], label=lab["choose_document"], elem_id="document-picker"),
            "choose_document",
        )
        tables = words.add(
            gr.Dataframe(
                headers=[lab["col_table"], lab["col_title"], lab["col_unit"], lab["col_rows"]],
                label=lab["tables"],
                interactive=False,
                elem_id="tables",
            ),
            "tables",
        )
        checks = gr.HTML(elem_id="checks")
        remove = removed = None
        if admin_enabled(settings):
            remove = words.add(gr.Button(lab["remove_button"], size="sm"), "remove_button", "value")
            removed = gr.Markdown(elem_id="remove-result")
    detail = partial(handlers.document_detail, settings=settings)
    picker.change(detail, [picker, language], [tables, checks], api_visibility="private")
    return {
        "table": table,
        "picker": picker,
        "detail": (detail, [picker, language], [tables, checks]),
        "remove": (remove, removed),
    }


def _upload_tab(
    settings: Settings, words: Labelled, lab: dict, language: Any, docs: dict, chat: dict
) -> None:
    """Upload, re-index and (on the documents tab) remove: only with the admin token."""
    if not admin_enabled(settings):
        with gr.Tab(tab_label("tab_upload"), id="upload"):
            words.add(
                gr.Markdown(lab["uploads_off"], elem_id="uploads-off"), "uploads_off", "value"
            )
        return
    with gr.Tab(tab_label("tab_upload"), id="upload"):
        token = words.add(
            gr.Textbox(label=lab["admin_token"], type="password", elem_id="admin-token"),
            "admin_token",
        )
        files = words.add(
            gr.File(
                label=lab["upload"],
                file_count="multiple",
                file_types=[".pdf", ".txt"],
                type="filepath",
            ),
            "upload",
        )
        button = words.add(
            gr.Button(lab["upload_button"], variant="primary"), "upload_button", "value"
        )
        result = gr.Markdown(elem_id="upload-result")
        again = words.add(gr.Button(lab["reindex_button"], size="sm"), "reindex_button", "value")

    def upload(
        files: list[str] | None,
        token: str,
        choice: str,
        progress: gr.Progress = gr.Progress(),  # noqa: B008
    ) -> str:
        return handlers.upload(files, token, choice, settings, progress)

    private = {"api_visibility": "private"}
    refresh = (
        partial(handlers.refresh, settings=settings),
        [language, docs["picker"]],
        [docs["table"], *chat["filters"], docs["picker"]],
    )
    button.click(upload, [files, token, language], [result], **private).then(*refresh, **private)
    reindex = partial(handlers.reindex_all, settings=settings)
    again.click(reindex, [token, language], [result], **private).then(*refresh, **private)
    remove, removed = docs["remove"]
    drop = partial(handlers.remove_document, settings=settings)
    inputs = [docs["picker"], token, language]
    remove.click(drop, inputs, [removed], **private).then(*refresh, **private)
