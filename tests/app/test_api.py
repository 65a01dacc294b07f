"""The JSON API on the real index of data/: answers, documents, checks, limits."""

from __future__ import annotations

import json
from dataclasses import fields

from fastapi.testclient import TestClient

from config import Settings
from indexing.pipeline import discover
from retrieval.records import Filters

ZH_QUESTION = "枣庄市人民政府办公室2024年公务接待费是多少？"
EN_QUESTION = "how much was 公务接待费 in Zaozhuang"
ZAOZHUANG = "001_f4ec1982bbb312b3"


def ask(client: TestClient, question: str, **extra: object):
    return client.post("/api/ask", json={"question": question, **extra})


def test_ask_in_chinese_answers_32_73_with_a_zaozhuang_citation(client: TestClient):
    body = ask(client, ZH_QUESTION).json()
    assert "32.73" in body["answer"]
    assert body["language"] == "zh"
    assert body["declined"] is False
    assert any(c["doc_id"] == ZAOZHUANG for c in body["citations"])
    assert "[1]" in body["answer"]


def test_ask_in_english_answers_32_73_with_a_citation_quoting_it(client: TestClient):
    body = ask(client, EN_QUESTION).json()
    assert "32.73" in body["answer"]
    assert body["language"] == "en"
    cited = [c for c in body["citations"] if c["doc_id"] == ZAOZHUANG]
    assert cited and cited[0]["line_start"] > 0
    assert any(f["value"] == 32.73 for f in body["figures"])


def test_ask_follow_up_uses_history_for_the_department(client: TestClient):
    first = ask(client, ZH_QUESTION).json()
    history = [{"q": ZH_QUESTION, "a": first["answer"]}]
    body = ask(client, "那高平市人民政府办公室呢？", history=history).json()
    assert body["declined"] is False
    assert any(c["doc_id"].startswith("002_") for c in body["citations"])


def test_ask_with_script_question_returns_json_not_markup(client: TestClient):
    response = ask(client, "<script>alert(1)</script> 公务接待费")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"


def test_ask_empty_question_is_422_with_message(client: TestClient):
    response = ask(client, "   ")
    assert response.status_code == 422
    assert "question is empty" in response.json()["detail"]


def test_ask_question_over_the_limit_is_413_with_message(
    client: TestClient, app_settings: Settings
):
    response = ask(client, "公" * (app_settings.max_question_chars + 1))
    assert response.status_code == 413
    assert f"the limit is {app_settings.max_question_chars}" in response.json()["detail"]


def test_ask_ten_megabyte_body_is_refused_with_413(client: TestClient):
    payload = json.dumps({"question": "x" * (10 * 1024 * 1024)})
    response = client.post(
        "/api/ask", content=payload, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert "request body is over 64 KB" in response.json()["detail"]


def test_ask_streamed_body_without_length_is_refused_with_413(client: TestClient):
    def chunks():
        yield b'{"question": "'
        for _ in range(100):
            yield b"x" * 1024
        yield b'"}'

    response = client.post(
        "/api/ask", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


def test_documents_lists_every_corpus_document(client: TestClient, app_settings: Settings):
    docs = client.get("/api/documents").json()
    assert len(docs) == len(discover([app_settings.data_dir])) == 6
    assert {d["source"] for d in docs} >= {f"{ZAOZHUANG}.txt"}
    assert any(d["department"] == "枣庄市人民政府办公室" for d in docs)


def test_checks_of_a_document_list_mismatches_first(client: TestClient):
    checks = client.get(f"/api/documents/{ZAOZHUANG}/checks").json()
    assert checks
    order = {"mismatch": 0, "unverified": 1, "passed": 2}
    ranks = [order[c["status"]] for c in checks]
    assert ranks == sorted(ranks)
    assert all(c["doc_id"] == ZAOZHUANG for c in checks)


def test_checks_of_an_unknown_document_is_404(client: TestClient):
    response = client.get("/api/documents/no-such-doc/checks")
    assert response.status_code == 404
    assert "no-such-doc" in response.json()["detail"]


def test_health_reports_the_documents_and_the_model(client: TestClient, app_settings: Settings):
    body = client.get("/api/health").json()
    assert body["status"] == "ok"
    assert body["documents"] == len(discover([app_settings.data_dir]))
    assert body["generation"] >= 1
    assert body["model"] == app_settings.embed_model


def test_openapi_docs_describe_the_ask_route(client: TestClient):
    assert client.get("/docs").status_code == 200
    assert "/api/ask" in client.get("/openapi.json").json()["paths"]


def test_openapi_describes_the_filters_of_an_ask_as_the_record_defines_them(client: TestClient):
    request = client.get("/openapi.json").json()["components"]["schemas"]["AskRequest"]
    described = request["properties"]["filters"]["anyOf"][0]
    assert list(described["properties"]) == [f.name for f in fields(Filters)]
    assert described["properties"]["year"]["anyOf"][0] == {"type": "integer"}
    assert described["additionalProperties"] is False  # an unknown key is refused


def test_ask_returns_page_and_bbox_of_a_pdf_table_cell(client: TestClient):
    body = ask(client, "普陀区财政局2024年本年支出合计是多少？").json()
    c = next(c for c in body["citations"] if c["table_id"] == "03")
    assert (c["page"], c["value"], c["column"]) == (10, 2940.05, "本年支出合计")
    x0, top, x1, bottom = c["bbox"]
    # "2,940.05" as pdfplumber finds it on page 10 lies inside the cell's box
    assert x0 <= 389.2 and top <= 222.8 and x1 >= 431.2 and bottom >= 234.8
    assert x1 - x0 < 100 and bottom - top < 40  # one cell, not the row


def test_ask_returns_no_page_or_bbox_for_a_text_citation(client: TestClient):
    body = ask(client, ZH_QUESTION).json()
    assert all(c["page"] is None and c["bbox"] is None for c in body["citations"])


def test_openapi_documents_page_and_bbox_of_a_citation(client: TestClient):
    schema = client.get("/openapi.json").json()
    citation = schema["components"]["schemas"]["Citation"]["properties"]
    assert {"page", "bbox", "boxes", "table_id", "column"} <= set(citation)
    ask_response = schema["components"]["schemas"]["AskResponse"]["properties"]
    assert "PDF points" in ask_response["citations"]["description"]
    assert "/api/documents/{doc_id}/pages/{page}.png" in schema["paths"]


def test_checks_list_both_sides_of_a_pdf_check_with_page_and_box(client: TestClient):
    from urllib.parse import quote

    checks = client.get(f"/api/documents/{quote('上海市普陀区_财政局_2024-pdf')}/checks").json()
    check = next(
        c for c in checks if c["description"] == "社会保障和就业支出：公开01表与公开03表一致"
    )
    assert check["status"] == "mismatch"
    assert [(s["page"], s["value"]) for s in check["sides"]] == [(6, 326.71), (10, 326.72)]
    assert all(len(s["bbox"]) == 4 for s in check["sides"])


def test_embed_page_may_be_framed_by_configured_origins_only(client: TestClient):
    response = client.get("/embed")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'self' https://news.example.org" in csp
    assert "script-src 'self'" in csp
    assert client.get("/embed/embed.js").status_code == 200


def test_cors_allows_configured_origin_and_not_others(client: TestClient):
    allowed = client.options(
        "/api/ask",
        headers={"Origin": "https://news.example.org", "Access-Control-Request-Method": "POST"},
    )
    assert allowed.headers["access-control-allow-origin"] == "https://news.example.org"
    other = client.options(
        "/api/ask",
        headers={"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in other.headers


def test_chat_page_is_served_at_the_root(client: TestClient):
    response = client.get("/")
    assert response.status_code == 200
    assert "决算问答" in response.text


def test_documents_report_how_much_of_each_was_understood(client: TestClient):
    docs = {d["source"]: d for d in client.get("/api/documents").json()}
    real = docs["上海市普陀区_财政局_2024.pdf"]["extraction"]
    assert real["standard_found"] == ["01", "02", "03", "04", "05", "06", "07", "08", "09"]
    assert set(real["standard_empty"]) == {"07", "08"} and real["missing"] == []
    assert real["checks_failed"] >= 2 and real["table_figures"] > 150
    assert "standard tables 9/9" in docs["上海市普陀区_财政局_2024.pdf"]["extraction_summary"]


def test_a_standard_table_not_found_is_named_by_its_title():
    from indexing.pipeline import missing_tables
    from indexing.records import ExtractionReport

    report = ExtractionReport("d", ("01", "02"), (), ("03",), (), 10, 0, 0, 1, 0, 0)
    assert missing_tables(report) == ["支出决算表"]
