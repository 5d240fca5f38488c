"""The built-in computed indicators, each reading a domain app through its selectors (imported lazily: an app
that is not installed makes its indicators unavailable, nothing else)."""

from django.urls import reverse

from fazhi.assessment.scoring.indicators import Evidence, Source, register


def _once(memo: dict, key: str, fn):
    if key not in memo:
        memo[key] = fn()
    return memo[key]


# ---------------------------------------------------------------- complaints


def _complaints(start, end, memo):
    from fazhi.complaints.selectors import complaint_handling_by_agency

    return _once(memo, "complaints", lambda: complaint_handling_by_agency(date_from=start, date_to=end))


def complaints_on_time(start, end, memo):
    return {u: (r["on_time"], r["answered"]) for u, r in _complaints(start, end, memo).items()}


def complaints_satisfied(start, end, memo):
    return {u: (r["satisfied"], r["rated"]) for u, r in _complaints(start, end, memo).items()}


def complaint_records(unit_ids, start, end):
    from fazhi.complaints.selectors import complaints_answered_of

    labels = {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意", "": "未评价"}
    return [
        Evidence(
            code,
            reverse("complaints:detail", args=[pk]),
            f"{'按期' if on_time else '逾期' if on_time is False else '—'}答复；{labels.get(sat, sat)}",
        )
        for pk, code, on_time, sat in complaints_answered_of(unit_ids=unit_ids, date_from=start, date_to=end)
    ]


# ---------------------------------------------------------------- cases


def cases_compliant(start, end, memo):
    from fazhi.cases.selectors import case_compliance_by_unit

    return case_compliance_by_unit(date_from=start, date_to=end)


def _case_rule(rule: str):
    """The (counts, records) pair of one statutory rule's own indicator."""

    def counts(start, end, memo):
        from fazhi.cases.selectors import case_rule_compliance_by_unit

        return case_rule_compliance_by_unit(rule=rule, date_from=start, date_to=end)

    def records(unit_ids, start, end):
        from fazhi.cases.selectors import case_rule_checked_of

        return [
            Evidence(number, reverse("cases:case_detail", args=[pk]), "预警" if failed else "符合")
            for pk, number, failed in case_rule_checked_of(rule=rule, unit_ids=unit_ids, date_from=start, date_to=end)
        ]

    return counts, records


def case_records(unit_ids, start, end):
    from fazhi.cases.selectors import cases_checked_of

    return [
        Evidence(number, reverse("cases:case_detail", args=[pk]), f"预警 {errors} 项" if errors else "无预警")
        for pk, number, errors in cases_checked_of(unit_ids=unit_ids, date_from=start, date_to=end)
    ]


# ---------------------------------------------------------------- supervision


def review_mean(start, end, memo):
    from fazhi.supervision.reviews.selectors import review_scores_by_unit

    return {
        r["unit_id"]: (r["mean"] * r["files"], r["files"])
        for r in review_scores_by_unit(date_from=start, date_to=end)
        if r["mean"] is not None
    }


def instruments_on_time(start, end, memo):
    from fazhi.supervision.instruments.selectors import instrument_reply_stats

    return {
        r.unit_id: (r.replied_on_time, r.issued)
        for r in instrument_reply_stats(date_from=start, date_to=end, user=None, today=end)
    }


# ---------------------------------------------------------------- disputes


def _disputes(start, end, memo):
    from fazhi.disputes.selectors import dispute_figures_by_unit

    return _once(memo, "disputes", lambda: dispute_figures_by_unit(date_from=start, date_to=end))


def reconsideration_corrected(start, end, memo):
    return _disputes(start, end, memo)["corrected"]


def litigation_lost(start, end, memo):
    return _disputes(start, end, memo)["lost"]


def heads_appeared(start, end, memo):
    return _disputes(start, end, memo)["appeared"]


def suggestions_replied(start, end, memo):
    return _disputes(start, end, memo)["suggestions"]


# ---------------------------------------------------------------- inspections (双随机、一公开)


def _inspections(start, end, memo):
    from fazhi.inspections.selectors import inspection_figures_by_unit

    return _once(memo, "inspections", lambda: inspection_figures_by_unit(date_from=start, date_to=end))


def inspections_random(start, end, memo):
    return _inspections(start, end, memo)["random"]


def inspections_published(start, end, memo):
    return _inspections(start, end, memo)["published"]


def inspections_over(start, end, memo):
    return _inspections(start, end, memo)["over"]


# ---------------------------------------------------------------- rule-making (normative documents)


def _filings(start, end, memo):
    from fazhi.rulemaking.selectors import filing_figures_by_unit

    # Filings are counted by the year the document was published in: the year the period ends in.
    return _once(memo, "filings", lambda: filing_figures_by_unit(year=end.year))


def normative_filed(start, end, memo):
    return _filings(start, end, memo)["filed"]


def normative_timely(start, end, memo):
    return _filings(start, end, memo)["timely"]


# ---------------------------------------------------------------- requests and registry


def _replies(start, end, memo):
    from fazhi.requests.selectors import reply_figures_by_unit

    return _once(memo, "requests", lambda: reply_figures_by_unit(date_from=start, date_to=end))


def proposals_on_time(start, end, memo):
    return _replies(start, end, memo)["proposals"]


def disclosures_on_time(start, end, memo):
    return _replies(start, end, memo)["disclosures"]


def _officers(start, end, memo):
    from fazhi.registry.selectors import officer_figures_by_unit

    return _once(memo, "officers", lambda: officer_figures_by_unit(year=end.year, day=end))


def officers_certified(start, end, memo):
    return _officers(start, end, memo)["certified"]


def officers_trained(start, end, memo):
    return _officers(start, end, memo)["trained"]


# ---------------------------------------------------------------- 法治督察 (assessment.oversight)


def problems_rectified(start, end, memo):
    from fazhi.assessment.oversight.selectors import problem_counts_for_units

    # The contract answers (due, signed off by the deadline) per unit: the rate is signed off / due.
    counts = problem_counts_for_units(unit_ids=memo.get("unit_ids", []), start=start, end=end)
    return {uid: (done, due) for uid, (due, done) in counts.items()}


def register_builtin() -> None:
    for source in (
        Source(
            "complaints_on_time",
            "投诉举报按期答复率",
            "投诉举报",
            "fazhi.complaints.selectors",
            "complaint_handling_by_agency",
            complaints_on_time,
            complaint_records,
            description="考核期内答复的投诉举报中按期答复的比例（按承办单位）",
        ),
        Source(
            "complaints_satisfied",
            "投诉举报满意率",
            "投诉举报",
            "fazhi.complaints.selectors",
            "complaint_handling_by_agency",
            complaints_satisfied,
            complaint_records,
            description="考核期内答复并评价的投诉举报中“满意”“基本满意”的比例",
        ),
        Source(
            "cases_compliant",
            "行政处罚案件法定规则校验合规率",
            "行政执法案件",
            "fazhi.cases.selectors",
            "case_compliance_by_unit",
            cases_compliant,
            case_records,
            description="考核期内立案并经法定规则校验（公示时限、法制审核、持证执法等）无预警的案件比例",
        ),
        Source(
            "cases_disclosed_on_time",
            "行政处罚决定按期公示率",
            "行政执法案件",
            "fazhi.cases.selectors",
            "case_rule_compliance_by_unit",
            *_case_rule("disclosure_late"),
            description="考核期内立案、已作出决定并公示的案件中按期公示的比例（法定规则“执法决定按期公示”）",
        ),
        Source(
            "cases_legal_reviewed",
            "重大执法决定法制审核率",
            "行政执法案件",
            "fazhi.cases.selectors",
            "case_rule_compliance_by_unit",
            *_case_rule("legal_review_missing"),
            description="考核期内立案并作出决定的重大执法案件中决定前经法制审核的比例（法定规则“重大执法决定法制审核”）",
        ),
        Source(
            "cases_certified_handlers",
            "执法人员持证办案率",
            "行政执法案件",
            "fazhi.cases.selectors",
            "case_rule_compliance_by_unit",
            *_case_rule("handler_certificate_invalid"),
            description="考核期内立案并经校验的案件中执法人员均持有效执法证的比例（法定规则“执法人员持有效执法证”）",
        ),
        Source(
            "review_mean",
            "案卷评查平均分",
            "执法监督",
            "fazhi.supervision.reviews.selectors",
            "review_scores_by_unit",
            review_mean,
            kind="mean",
            unit="分",
            description="考核期内公布结果的案卷评查中本单位案卷的平均分",
        ),
        Source(
            "instruments_on_time",
            "监督文书按期回复率",
            "执法监督",
            "fazhi.supervision.instruments.selectors",
            "instrument_reply_stats",
            instruments_on_time,
            description="考核期内签发、要求回复的监督文书中按期回复并通过审核的比例",
        ),
        Source(
            "reconsideration_corrected",
            "行政复议纠错率",
            "行政复议",
            "fazhi.disputes.selectors",
            "dispute_figures_by_unit",
            reconsideration_corrected,
            higher_is_better=False,
            description="考核期内作出决定的行政复议案件中被变更、撤销、确认违法、确认无效、责令履行的比例",
        ),
        Source(
            "litigation_lost",
            "行政应诉败诉率",
            "行政应诉",
            "fazhi.disputes.selectors",
            "dispute_figures_by_unit",
            litigation_lost,
            higher_is_better=False,
            description="考核期内裁判的行政诉讼案件中败诉的比例",
        ),
        Source(
            "heads_appeared",
            "行政机关负责人出庭应诉率",
            "行政应诉",
            "fazhi.disputes.selectors",
            "dispute_figures_by_unit",
            heads_appeared,
            description="考核期内开庭审理的行政诉讼中行政机关负责人出庭的比例",
        ),
        Source(
            "suggestions_replied",
            "司法建议、检察建议按期回复率",
            "行政应诉",
            "fazhi.disputes.selectors",
            "dispute_figures_by_unit",
            suggestions_replied,
            description="回复期限在考核期内的司法建议、检察建议中按期回复的比例（按被建议单位）",
        ),
        Source(
            "inspections_random",
            "双随机抽查占比",
            "双随机、一公开",
            "fazhi.inspections.selectors",
            "inspection_figures_by_unit",
            inspections_random,
            description="考核期内涉企检查中通过双随机抽取实施的比例",
        ),
        Source(
            "inspections_published",
            "抽查检查结果按期公示率",
            "双随机、一公开",
            "fazhi.inspections.selectors",
            "inspection_figures_by_unit",
            inspections_published,
            description="公示期限（产生之日起 20 个工作日）在考核期内的检查结果中按期公示的比例",
        ),
        Source(
            "inspections_over",
            "超频次涉企检查占比",
            "双随机、一公开",
            "fazhi.inspections.selectors",
            "inspection_figures_by_unit",
            inspections_over,
            higher_is_better=False,
            description="本单位涉企检查中，检查对象在考核期内被各部门检查次数超过频次上限的比例（检查负担）",
        ),
        Source(
            "normative_filed",
            "规范性文件报备率",
            "依法决策",
            "fazhi.rulemaking.selectors",
            "filing_figures_by_unit",
            normative_filed,
            description="考核年度公布的行政规范性文件中已报备的比例（按报备单位）",
        ),
        Source(
            "normative_timely",
            "规范性文件报备及时率",
            "依法决策",
            "fazhi.rulemaking.selectors",
            "filing_figures_by_unit",
            normative_timely,
            description="考核年度公布的行政规范性文件中在报备期限内报备的比例",
        ),
        Source(
            "proposals_on_time",
            "建议提案按期答复率",
            "建议提案",
            "fazhi.requests.selectors",
            "reply_figures_by_unit",
            proposals_on_time,
            description="答复期限在考核期内的人大代表建议、政协提案中按期答复的比例（按主办单位）",
        ),
        Source(
            "disclosures_on_time",
            "政府信息公开申请按期答复率",
            "依申请公开",
            "fazhi.requests.selectors",
            "reply_figures_by_unit",
            disclosures_on_time,
            description="考核期内答复的政府信息公开申请中按期答复的比例",
        ),
        Source(
            "officers_certified",
            "执法人员持证率",
            "执法主体与人员",
            "fazhi.registry.selectors",
            "officer_figures_by_unit",
            officers_certified,
            description="在岗执法人员中考核期末持有效执法证的比例",
        ),
        Source(
            "officers_trained",
            "执法人员培训学时达标率",
            "执法主体与人员",
            "fazhi.registry.selectors",
            "officer_figures_by_unit",
            officers_trained,
            description="在岗执法人员中考核年度培训学时达到规定学时的比例",
        ),
        Source(
            "problems_rectified",
            "督察问题按期整改率",
            "法治督察",
            "fazhi.assessment.oversight.selectors",
            "problem_counts_for_units",
            problems_rectified,
            description="整改期限在考核期内的督察问题中按期对账销号的比例",
        ),
    ):
        register(source)
