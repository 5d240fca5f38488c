"""Pages of 依法决策 and its portal: lists with search, paging and export; objects with steps, clocks, documents and
timeline; a refused step comes back beside its field (422); the decision file; the public comment form and lookup."""

import datetime as dt
import hashlib
import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.rulemaking import antibot, services
from fazhi.rulemaking.models import Hearing, PublicComment
from fazhi.rulemaking.tests import factories as fx

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_lists_search_page_and_export(users, login_as):
    fx.decision(users, to="listed")
    fx.normative(users, to="published")
    client = login_as("agency")
    for url, marker in (
        ("/rulemaking/decisions/?q=农贸", "示例市农贸市场升级改造实施方案"),
        ("/rulemaking/catalogues/", "年度重大行政决策事项目录"),
        ("/rulemaking/normative/?q=裁量", "行政处罚裁量基准适用规定"),
        ("/rulemaking/normative/stats/", "报备率"),
        ("/rulemaking/cleanups/", "规范性文件清理"),
        ("/rulemaking/incidental/", "附带审查"),
    ):
        r = client.get(url)
        assert r.status_code == 200 and marker in r.content.decode(), url
        assert client.get(url + ("&" if "?" in url else "?") + "format=xlsx")["Content-Type"] == XLSX, url
    assert "示例市农贸市场" not in login_as("agency2").get("/rulemaking/decisions/").content.decode()


def test_the_decision_page_shows_steps_clocks_documents_and_timeline(users, login_as):
    d = fx.decision(users, to="published")
    page = login_as("agency").get(f"/rulemaking/decisions/{d.pk}/").content.decode()
    for marker in (
        'id="decision-steps"',
        "第十五条",
        "第三十条",
        'id="clocks"',
        'id="timeline"',
        d.number,
        'id="documents"',
        "下载决策档案",
        'id="action-execution"',
    ):
        assert marker in page, marker
    assert 'id="action-evaluation_start"' not in page  # the organ's step, not the lead unit's
    assert login_as("agency2").get(f"/rulemaking/decisions/{d.pk}/").status_code == 404


def test_a_refused_step_comes_back_beside_its_field(users, login_as):
    d = fx.decision(users, to="consultation")
    client = login_as("agency")
    r = client.post(
        f"/rulemaking/decisions/{d.pk}/step/consultation_open/",
        {"starts_on": fx.today().isoformat(), "days": "15", "draft_text": "草案"},
    )
    assert r.status_code == 422
    page = r.content.decode()
    assert "须说明缩短期限的理由" in page and "第十五条" in page
    assert 'id="action-consultation_open" open' in page
    r = client.post(
        f"/rulemaking/decisions/{d.pk}/step/consultation_open/",
        {
            "starts_on": fx.today().isoformat(),
            "days": "30",
            "draft_text": "草案",
            "attachments": SimpleUploadedFile("起草说明.pdf", b"%PDF-1.4 x"),
        },
    )
    assert r.status_code == 302
    assert d.item.events.get(action="consultation_opened").attachments.get().name == "起草说明.pdf"
    assert client.post(f"/rulemaking/decisions/{d.pk}/step/nonsense/").status_code == 404
    assert login_as("leader").post(f"/rulemaking/decisions/{d.pk}/step/risk/").status_code == 403


def test_discussion_page_refuses_without_a_review(users, login_as):
    d = fx.decision(users, to="review")
    speeches = "市长｜行政首长｜同意｜同意"
    r = login_as("supervisor").post(
        f"/rulemaking/decisions/{d.pk}/step/discussion/",
        {
            "meeting_kind": "executive",
            "meeting_name": "常务会议",
            "held_on": fx.today().isoformat(),
            "members_total": "9",
            "members_present": "8",
            "attendees": "全体",
            "speeches": speeches,
            "outcome": "adopted",
        },
    )
    assert r.status_code == 422 and "须先完成合法性审查" in r.content.decode()


def test_comments_moderated_and_answered_on_the_decision_page(users, login_as):
    d = fx.decision(users, to="consultation")
    c = services.consultation_open(
        by=users["agency"], decision=d, starts_on=fx.today(), days=30, draft_text="草案", today=fx.today()
    )
    comment, _ = services.comment_submit(consultation=c, content="建议设置临时摊位。", contact="13800138000")
    client = login_as("agency")
    page = client.get(f"/rulemaking/decisions/{d.pk}/").content.decode()
    assert "138****8000" in page and "13800138000" not in page
    r = client.post(
        f"/rulemaking/decisions/{d.pk}/step/moderate/", {"comment": comment.pk, "publish": "0", "reason": ""}
    )
    assert r.status_code == 422 and "不予公开的理由不能为空" in r.content.decode()
    assert (
        client.post(f"/rulemaking/decisions/{d.pk}/step/moderate/", {"comment": comment.pk, "publish": "1"}).status_code
        == 302
    )
    r = client.post(
        f"/rulemaking/decisions/{d.pk}/step/answer/", {"comment": comment.pk, "answer": "adopted", "reason": "已采纳"}
    )
    assert r.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "published" and comment.answer == "adopted"


def test_the_decision_file_bundles_attachments_documents_index_and_sm3_manifest(users, login_as):
    d = fx.decision(users, to="risk")
    day = fx.today()
    services.risk_assess(
        by=users["agency"],
        decision=d,
        assessor="中心",
        risk_points="点",
        measures="措施",
        level="low",
        controllable=True,
        assessed_on=day,
        today=day,
        files=[SimpleUploadedFile("风险评估报告.pdf", b"%PDF-1.4 risk")],
    )
    r = login_as("supervisor").get(f"/rulemaking/decisions/{d.pk}/file/")
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    zf = zipfile.ZipFile(io.BytesIO(r.content))
    names = zf.namelist()
    assert "索引.xlsx" in names and "SM3清单.txt" in names
    report = next(n for n in names if n.endswith("风险评估报告.pdf"))
    assert zf.read(report) == b"%PDF-1.4 risk"
    manifest = zf.read("SM3清单.txt").decode()
    for line in manifest.splitlines():
        if line.startswith("#"):
            continue
        digest, path = line.split("  ", 1)
        assert hashlib.new("sm3", zf.read(path)).hexdigest() == digest
    assert d.item.events.order_by("-seq").first().hash in manifest
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(zf.read("索引.xlsx")))
    assert book.sheetnames == ["时间线", "决策程序", "公众意见"]
    rows = list(book["时间线"].iter_rows(values_only=True))
    assert any(row[4] and row[4].startswith("风险评估") and "风险评估报告.pdf" in (row[7] or "") for row in rows)
    assert login_as("agency2").get(f"/rulemaking/decisions/{d.pk}/file/").status_code == 404


def test_normative_pages_from_review_to_filing(users, login_as):
    doc = fx.normative(users, to="deliberated")
    agency, sup = login_as("agency"), login_as("supervisor")
    r = agency.post(f"/rulemaking/normative/{doc.pk}/publish/", {})
    assert r.status_code == 422 and "未经统一登记、统一编号的规范性文件不得公布" in r.content.decode()
    assert agency.post(f"/rulemaking/normative/{doc.pk}/register/", {"prefix": "示市监规"}).status_code == 403
    page = sup.get(f"/rulemaking/normative/{doc.pk}/").content.decode()
    assert 'id="action-register"' in page and 'id="clocks"' in page
    assert sup.post(f"/rulemaking/normative/{doc.pk}/register/", {"prefix": "示市监规"}).status_code == 302
    assert agency.post(f"/rulemaking/normative/{doc.pk}/publish/", {}).status_code == 302
    doc.refresh_from_db()
    page = agency.get(f"/rulemaking/normative/{doc.pk}/").content.decode()
    assert doc.number in page and 'id="filing-table"' in page and "备案" in page and 'id="documents"' in page
    r = agency.post(
        f"/rulemaking/normative/{doc.pk}/file/", {"authority": "gov", "filed_on": fx.today().isoformat(), "proper": "1"}
    )
    assert r.status_code == 302
    assert doc.filings.get().filed_on == fx.today()


def test_incidental_review_pages(users, login_as):
    doc = fx.normative(users, to="published")
    client = login_as("supervisor")
    r = client.post(
        "/rulemaking/incidental/new/",
        {
            "document": doc.pk,
            "reconsideration_label": "复议案件",
            "received_on": fx.today().isoformat(),
            "requested_by_unit": fx.unit(fx.JUSTICE).pk,
            "path": "handle",
        },
    )
    assert r.status_code == 302, r.content.decode()
    detail = client.get(r["Location"]).content.decode()
    assert "书面通知制定机关" in detail and "第五十八条" in detail and 'id="clocks"' in detail
    r = client.post(
        "/rulemaking/incidental/new/",
        {
            "reconsideration_label": "复议案件",
            "received_on": fx.today().isoformat(),
            "requested_by_unit": fx.unit(fx.JUSTICE).pk,
        },
    )
    assert r.status_code == 422 and "规范性文件名称、文号不能为空" in r.content.decode()


# ---------------------------------------------------------------- the portal


def _open_consultation(users):
    d = fx.decision(users, to="consultation")
    return services.consultation_open(
        by=users["agency"],
        decision=d,
        starts_on=fx.today(),
        days=30,
        draft_text="第一条 草案内容",
        today=fx.today(),
        files=[SimpleUploadedFile("草案说明.pdf", b"%PDF-1.4 draft")],
    )


def test_a_citizen_comments_and_later_reads_the_answer(users, client):
    c = _open_consultation(users)
    page = client.get(f"/portal/rulemaking/consultations/{c.pk}/").content.decode()
    assert "第一条 草案内容" in page and 'id="comment-form"' in page and "草案说明.pdf" in page
    token = antibot.issue_token(now=time.time() - 10)
    r = client.post(
        f"/portal/rulemaking/consultations/{c.pk}/", {"content": "建议分批施工，保留临时摊位。", "form_token": token}
    )
    assert r.status_code == 302
    code = client.session["rulemaking_comment_receipt"]["code"]
    assert code in client.get(r["Location"]).content.decode()
    comment = PublicComment.objects.get()
    d = c.decision
    services.comment_moderate(by=users["agency"], decision=d, comment=comment, publish=True)
    services.comment_answer(by=users["agency"], decision=d, comment=comment, answer="adopted", reason="已改为分批施工")
    r = client.post("/portal/rulemaking/comments/lookup/", {"code": code})
    assert "征求意见期满后公布采纳情况" in r.content.decode()
    services.consultation_publish_answers(
        by=users["agency"], decision=d, adoption_summary="采纳1条", today=c.ends_on + dt.timedelta(days=1)
    )
    r = client.post("/portal/rulemaking/comments/lookup/", {"code": code})
    page = r.content.decode()
    assert 'id="lookup-answer"' in page and "采纳" in page and "已改为分批施工" in page
    assert client.post("/portal/rulemaking/comments/lookup/", {"code": "YJWRONGCODE2"}).status_code == 422
    material = c.materials.get()
    assert client.get(f"/portal/rulemaking/materials/{material.pk}/").status_code == 200


def test_bots_and_stale_forms_are_refused(users, client):
    c = _open_consultation(users)
    url = f"/portal/rulemaking/consultations/{c.pk}/"
    r = client.post(
        url,
        {"content": "机器人提交的意见内容", "form_token": antibot.issue_token(now=time.time() - 10), "website": "x"},
    )
    assert r.status_code == 422
    r = client.post(url, {"content": "提交太快的意见内容", "form_token": antibot.issue_token()})
    assert r.status_code == 422 and "提交过快" in r.content.decode()
    r = client.post(url, {"content": "短", "form_token": antibot.issue_token(now=time.time() - 10)})
    assert r.status_code == 422 and "不少于" in r.content.decode()
    assert not PublicComment.objects.exists()


def test_portal_search_and_document_states(users, client):
    keep = fx.normative(users, to="published")
    gone = fx.normative(users, to="published", title="示例市市场监督管理局广告监管暂行规定")
    services.normative_repeal(by=users["supervisor"], document=gone, reason="已被取代")
    r = client.get("/portal/rulemaking/search/", {"q": "广告"})
    page = r.content.decode()
    assert "广告监管暂行规定" in page and "已废止" in page and "裁量基准" not in page
    assert "已废止" in client.get(f"/portal/rulemaking/documents/{gone.pk}/").content.decode()
    assert "有效" in client.get(f"/portal/rulemaking/documents/{keep.pk}/").content.decode()
    assert client.get("/portal/rulemaking/").status_code == 200
    draft = fx.normative(users, to="review", title="未公布的草案")
    assert client.get(f"/portal/rulemaking/documents/{draft.pk}/").status_code == 404


def test_portal_catalogue_and_hearing_notice(users, client):
    d = fx.decision(users, to="hearing", hearing=True)
    page = client.get(f"/portal/rulemaking/catalogues/{d.catalogue_id}/").content.decode()
    assert d.title in page and "同级党委同意" in page
    day = fx.today()
    services.hearing_plan(
        by=users["agency"],
        decision=d,
        organiser="市场监管局",
        held_on=day + dt.timedelta(days=10),
        place="会议室",
        selection_rules="随机抽取",
        rules_published_on=day - dt.timedelta(days=5),
        participants="甲（经营户）",
        participants_published_on=day,
        materials_sent_on=day + dt.timedelta(days=2),
        today=day,
    )
    assert Hearing.objects.filter(decision=d).exists()
    consultation = d.consultation
    page = client.get(f"/portal/rulemaking/consultations/{consultation.pk}/").content.decode()
    assert 'id="hearing-notice"' in page and "甲（经营户）" in page and "随机抽取" in page
