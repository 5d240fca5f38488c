"""依法决策 at province scale (PostgreSQL; rows by INSERT … SELECT generate_series).

1. Portal full-text search over 200,000 published normative documents and decisions (`PortalEntry`: title, number,
   issuer and a body of 6–10 sentences, some 300–600 characters, tokenised by core/search.py): p95 of the first page of
   `selectors.portal_search` for two-, three- and four-character queries (common and rare terms mixed; target ≤ 50 ms),
   each with its ratio to the floor — the newest page with no keyword, measured in the same run.
2. Filing statistics (报备率、及时率、规范率 per unit for one year) over 200,000 normative documents and their ~260,000
   filings: max of 5 runs of `selectors.filing_stats` for a year and its ratio to the floor, a plain COUNT(*) of that
   year's filings in the same run (target ≤ 300 ms).
"""

import datetime as dt
import random
import statistics
import time

N_ENTRIES = 200_000
N_DOCUMENTS = 200_000
SEARCHES_PER_KIND = 100
YEARS = (2022, 2023, 2024, 2025, 2026)

SUBJECTS = [
    "农贸市场管理", "食品安全监督", "生态环境保护", "扬尘污染防治", "营商环境优化", "安全生产责任", "城市管理执法",
    "网约车经营服务", "养老服务补贴", "住房公积金缴存", "建筑垃圾处置", "校外培训机构", "药品零售监管", "燃气安全管理",
    "物业服务收费", "户外广告设置", "河道采砂管理", "农村宅基地审批", "公共停车场建设", "电动自行车管理",
    "旅游市场秩序", "医疗保障基金", "就业创业补贴", "水资源保护", "森林防火", "社区矫正", "消防安全检查",
    "特种设备安全", "价格监督检查", "知识产权保护",
]  # fmt: skip
KINDS = ["管理办法", "实施细则", "暂行规定", "若干措施", "实施意见", "管理规定", "试行办法", "工作规则"]
SENTENCES = [
    "为了规范管理，保障公民、法人和其他组织的合法权益，根据有关法律法规，结合本市实际，制定本办法。",
    "本办法适用于本市行政区域内的相关管理活动。",
    "市人民政府有关部门按照各自职责做好相关工作。",
    "县级人民政府应当加强组织领导，建立健全工作机制。",
    "经营者应当建立进货查验和销售记录制度，如实记录相关信息。",
    "施工单位应当设置围挡，采取覆盖、洒水等防尘措施。",
    "违反本办法规定的，由有关部门依法责令改正。",
    "行政机关实施监督检查，不得妨碍正常的生产经营活动。",
    "对首次违法且危害后果轻微并及时改正的，可以依法不予行政处罚。",
    "鼓励社会力量参与，引导行业协会加强自律。",
    "有关部门应当依托信用信息平台实施分级分类监管。",
    "申请人应当提交申请书、身份证明和相关材料。",
    "补贴资金实行专款专用，任何单位和个人不得截留挪用。",
    "建立投诉举报处理机制，公布投诉举报电话。",
    "本办法自公布之日起三十日后施行，有效期五年。",
    "燃气经营企业应当定期对用户设施进行安全检查。",
    "物业服务企业应当公示收费项目和标准。",
    "网络预约出租汽车经营者应当依法取得经营许可。",
    "养老服务机构应当配备符合要求的护理人员。",
    "河道管理范围内禁止擅自采砂。",
    "森林防火期内，禁止在森林防火区野外用火。",
    "特种设备使用单位应当建立岗位责任制度。",
    "价格主管部门应当加强价格监督检查。",
    "知识产权行政部门依法查处侵犯知识产权的行为。",
    "社区矫正机构应当根据矫正对象的情况制定矫正方案。",
    "消防救援机构依法开展消防监督检查。",
    "医疗保障部门应当加强基金监管，防范欺诈骗保。",
    "人力资源社会保障部门负责就业创业补贴的审核发放。",
    "住房公积金管理中心应当及时办理缴存和提取业务。",
    "城市管理执法部门应当规范执法行为，公开执法信息。",
    "校外培训机构不得超前超标培训。",
    "药品零售企业应当凭处方销售处方药。",
    "电动自行车应当登记上牌后方可上道路行驶。",
    "旅游经营者不得指定具体购物场所。",
    "农村村民一户只能拥有一处宅基地。",
    "公共停车场应当设置新能源汽车充电设施。",
    "户外广告设施应当符合城市容貌标准。",
    "建筑垃圾应当运至指定的消纳场所。",
    "水行政主管部门应当加强水资源保护。",
    "生态环境主管部门对排污单位实施监督管理。",
]
QUERIES = {
    "two": ["管理", "食品", "扬尘", "燃气", "宅基", "采砂", "农贸", "养老", "社区", "消防"],
    "three": ["农贸市", "营商环", "网约车", "宅基地", "公积金", "电动自", "停车场", "防火期"],
    "four": ["营商环境", "安全生产", "扬尘污染", "食品安全", "特种设备", "知识产权", "户外广告", "养老服务"],
}


def _setup_org() -> None:
    from fazhi.core.demo.build import build_org, build_users

    build_org()
    build_users()


def _p95(times: list[float]) -> float:
    times = sorted(times)
    return round(times[max(int(len(times) * 0.95) - 1, 0)], 2)


def _sql_array(values) -> str:
    return "(ARRAY[" + ",".join(str(v) for v in values) + "])"


def _fill_portal_entries() -> int:
    """200k entries: 3 of 4 normative documents, 1 of 4 decisions; title = issuer + 关于 + subject + 的 + kind (6,000
    distinct titles), body = 6–10 sentences chosen by the row number. Tokens are made in Python per distinct title and
    sentence (a sentence ends with 。, so no bigram spans two) and joined per row in SQL, as index_tokens would."""
    from django.db import connection, transaction

    from fazhi.core.models import Unit
    from fazhi.core.search import index_tokens
    from fazhi.rulemaking.models import PortalEntry

    have = PortalEntry.objects.filter(number__startswith="BENCH").count()
    if have >= N_ENTRIES:
        return have
    PortalEntry.objects.filter(number__startswith="BENCH").delete()
    issuers = list(Unit.objects.filter(kind__in=("agency", "government")).values_list("name", flat=True))
    titles = [f"{i}关于{s}的{k}" for i in issuers for s in SUBJECTS for k in KINDS]
    table = PortalEntry._meta.db_table
    # Issuer, subject and kind by multiplicative hashes of the row number, so that no topic clusters in time (a
    # topic absent from the newest rows but common overall would measure the probe's blind spot, not the index).
    n_i, n_s, n_k = len(issuers), len(SUBJECTS), len(KINDS)
    title_index = (
        f"1 + ((g::bigint * 2654435761) %% 4294967291 %% {n_i}) * {n_s * n_k}"
        f" + ((g::bigint * 40503) %% 65521 %% {n_s}) * {n_k} + ((g::bigint * 69069) %% 1048573 %% {n_k})"
    )
    body = f"ARRAY(SELECT s.{{col}}[1 + ((g::bigint * k * 7919) %% {len(SENTENCES)})] FROM generate_series(1, 6 + g %% 5) k)"
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO {table} (kind, object_id, title, number, issuer, published_on, effective_on, valid_until, state,
                                 search, search_tokens)
            SELECT CASE WHEN g %% 4 = 0 THEN 'decision' ELSE 'normative' END, 1000000 + g,
                   ti.t[{title_index}], 'BENCH〔' || (2022 + g %% 5) || '〕' || g || '号', iss.t[1 + ((g::bigint * 2654435761) %% 4294967291 %% {n_i})],
                   day, day + 30, CASE WHEN g %% 4 = 0 THEN NULL ELSE day + 30 + interval '5 years' END,
                   CASE WHEN g %% 23 = 0 THEN 'repealed' ELSE 'in_force' END,
                   ti.t[{title_index}] || ' ' || array_to_string({body.format(col="t")}, ''),
                   concat_ws(' ', ti.k[{title_index}], array_to_string({body.format(col="k")}, ' '))
            FROM (SELECT g, date '2022-01-01' + (g %% 1800) AS day FROM generate_series(1, %(n)s) AS g) rows,
                 (SELECT %(iss)s::text[] AS t) iss,
                 (SELECT %(ti)s::text[] AS t, %(tik)s::text[] AS k) ti,
                 (SELECT %(s)s::text[] AS t, %(sk)s::text[] AS k) s
            """,
            {
                "n": N_ENTRIES,
                "iss": issuers,
                "ti": titles,
                "tik": [index_tokens(x) for x in titles],
                "s": SENTENCES,
                "sk": [index_tokens(x) for x in SENTENCES],
            },
        )
    with connection.cursor() as cur:
        cur.execute(f"VACUUM ANALYZE {table}")
    return PortalEntry.objects.filter(number__startswith="BENCH").count()


def _bench_search() -> dict:
    from django.db import connection

    from fazhi.rulemaking.selectors import portal_search

    if connection.vendor != "postgresql":
        return {"skipped": "检索基准需要 PostgreSQL"}
    rows = _fill_portal_entries()
    rng = random.Random(2026)
    today = dt.date(2027, 1, 1)
    out: dict = {"entries": rows}
    every = []
    for kind, terms in QUERIES.items():
        times, hits = [], 0
        for _ in range(SEARCHES_PER_KIND):
            q = rng.choice(terms)
            t = time.perf_counter()
            page = portal_search(q=q, today=today)
            times.append((time.perf_counter() - t) * 1000)
            hits += len(page.rows)
        every += times
        out[f"{kind}_char_p95_ms"] = _p95(times)
        out[f"{kind}_char_p50_ms"] = round(statistics.median(times), 2)
        out[f"{kind}_char_rows"] = hits
    floor = []
    for _ in range(SEARCHES_PER_KIND):
        t = time.perf_counter()
        portal_search(today=today)
        floor.append((time.perf_counter() - t) * 1000)
    out["floor_newest_page_p95_ms"] = _p95(floor)
    for kind in QUERIES:
        out[f"ratio_{kind}_char_to_floor_p95"] = round(
            out[f"{kind}_char_p95_ms"] / max(out["floor_newest_page_p95_ms"], 1e-6), 1
        )
    out["search_p95_ms"] = _p95(every)
    out["search_max_ms"] = round(max(every), 2)
    # A later page of a common term costs the same (keyset on published_on, id).
    first = portal_search(q="管理", today=today)
    t = time.perf_counter()
    portal_search(q="管理", cursor=first.next_cursor, today=today)
    out["two_char_second_page_ms"] = round((time.perf_counter() - t) * 1000, 2)
    return out


def _fill_documents() -> int:
    """200k published normative documents over five years and ~25 issuing units, with their filings: government
    documents with two filing bodies, department documents with one; filed, late, improper and missing mixed."""
    from django.db import connection, transaction

    from fazhi.core.models import Unit
    from fazhi.rulemaking.models import NormativeDocument, NormativeFiling

    have = NormativeDocument.objects.filter(number__startswith="BENCHDOC").count()
    if have >= N_DOCUMENTS:
        return have
    units = list(Unit.objects.filter(kind__in=("agency", "government")).values_list("pk", "kind"))
    ids = _sql_array(u for u, _ in units)
    gov = _sql_array("true" if k == "government" else "false" for _, k in units)
    docs, filings = NormativeDocument._meta.db_table, NormativeFiling._meta.db_table
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"""
            INSERT INTO {docs} (title, kind, issuer_id, drafting_unit_id, provisional, draft_text, explanation, stage,
                review_opinion, review_text, changes_text, deliberation_meeting, number, text, published_on,
                effective_on, early_effect_reason, validity_years, valid_until, state, repeal_reason, amend_note,
                suspended_clauses, created_at)
            SELECT '基准文件' || g, CASE WHEN {gov}[1 + g % {len(units)}] THEN 'government' ELSE 'department' END,
                   {ids}[1 + g % {len(units)}], {ids}[1 + g % {len(units)}], false, '', '', 'published', 'lawful', '',
                   '', '', 'BENCHDOC' || g, '', day, day + 30, '', 5, day + 30 + interval '5 years', 'in_force', '', '',
                   '', now()
            FROM (SELECT g, date '{YEARS[0]}-01-01' + (g % 1825) AS day FROM generate_series(1, {N_DOCUMENTS}) AS g) s
        """)
        cur.execute(f"""
            INSERT INTO {filings} (document_id, authority, authority_name, unit_id, year, due_on, filed_on, proper,
                                   receipt, note)
            SELECT d.id, a.authority, '', d.issuer_id, extract(year FROM d.published_on)::int, d.published_on + 30,
                   CASE WHEN d.id % 17 = 0 THEN NULL WHEN d.id % 9 = 0 THEN d.published_on + 40 ELSE d.published_on + 20 END,
                   CASE WHEN d.id % 17 = 0 THEN NULL ELSE d.id % 11 <> 0 END, '', ''
            FROM {docs} d
            CROSS JOIN LATERAL (SELECT unnest(CASE WHEN d.kind = 'government' THEN ARRAY['higher_gov', 'congress']
                                                   ELSE ARRAY['gov'] END) AS authority) a
            WHERE d.number LIKE 'BENCHDOC%'
        """)
    with connection.cursor() as cur:
        cur.execute(f"VACUUM ANALYZE {docs}")
        cur.execute(f"VACUUM ANALYZE {filings}")
    return NormativeDocument.objects.filter(number__startswith="BENCHDOC").count()


def _bench_stats(user) -> dict:
    from django.db import connection

    from fazhi.rulemaking.models import NormativeFiling
    from fazhi.rulemaking.selectors import filing_stats

    if connection.vendor != "postgresql":
        return {"skipped": "统计基准需要 PostgreSQL"}
    out = {"documents": _fill_documents(), "filings": NormativeFiling.objects.count()}
    year = YEARS[-2]
    runs, floor = [], []
    for _ in range(5):
        t = time.perf_counter()
        stats = filing_stats(user=user, year=year, today=dt.date(year + 1, 3, 1))
        runs.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        NormativeFiling.objects.filter(year=year).count()
        floor.append((time.perf_counter() - t) * 1000)
    out |= {
        "year": year,
        "units": len(stats.rows),
        "filings_in_year": stats.total.due,
        "rates_total": [stats.total.filing_rate, stats.total.timely_rate, stats.total.proper_rate],
        "stats_max_ms": round(max(runs), 1),
        "floor_count_max_ms": round(max(floor), 1),
        "ratio_stats_to_floor": round(max(runs) / max(max(floor), 1e-6), 1),
    }
    return out


def run() -> dict:
    from fazhi.core.models import User

    _setup_org()
    return {"search": _bench_search(), "filing_statistics": _bench_stats(User.objects.get(username="supervisor"))}
