"""Forms of 依法决策: they parse and normalise input; the services decide what is allowed (their refusals go beside
the field through fazhi.core.forms.add_domain_error)."""

from django import forms

from fazhi.core.forms import BootstrapForm, FilterForm
from fazhi.rulemaking import rules
from fazhi.rulemaking.models import (
    CatalogueAdjustment,
    CleanupEntry,
    Discussion,
    IncidentalReview,
    LegalityReview,
    MajorDecision,
    NormativeDocument,
    NormativeFiling,
    PostEvaluation,
    PublicComment,
    RiskAssessment,
)
from fazhi.tracking.forms import DateField


def _area(rows=3, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


def _units(field, queryset):
    field.queryset = queryset
    field.label_from_instance = lambda u: u.name


YES_NO = [("1", "是"), ("0", "否")]


class YesNoField(forms.TypedChoiceField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", YES_NO)
        kwargs.setdefault("coerce", lambda v: v == "1")
        super().__init__(*args, **kwargs)


# ---------------------------------------------------------------- lists


class SmallFilterForm(FilterForm):
    """A list's search bar: small Bootstrap inputs; bad values are ignored (FilterForm)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("active", None)
        for field in self.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault(
                "class", "form-select form-select-sm" if is_select else "form-control form-control-sm"
            )


class DecisionFilterForm(SmallFilterForm):
    stage = forms.ChoiceField(required=False, choices=[("", "全部进度"), *MajorDecision.STAGES], label="进度")
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100, label="年度")


class NormativeFilterForm(SmallFilterForm):
    stage = forms.ChoiceField(required=False, choices=[("", "全部进度"), *NormativeDocument.STAGES], label="进度")
    state = forms.ChoiceField(required=False, choices=[("", "全部效力"), *NormativeDocument.STATES], label="效力")
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100, label="公布年度")


class YearFilterForm(SmallFilterForm):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100, label="年度")


class IncidentalFilterForm(SmallFilterForm):
    status = forms.ChoiceField(required=False, choices=[("", "全部状态"), *IncidentalReview.STATUSES], label="状态")


# ---------------------------------------------------------------- catalogue and proposals


class CatalogueForm(BootstrapForm):
    organ = forms.ModelChoiceField(label="决策机关", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(
        label="目录名称", max_length=200, required=False, help_text="留空则按“××人民政府××年度重大行政决策事项目录”命名"
    )

    def __init__(self, *args, organs, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["organ"], organs)


class ProposalForm(BootstrapForm):
    title = forms.CharField(label="决策事项", max_length=200)
    summary = forms.CharField(label="事项说明（拟解决的问题、理由和依据、初步方案）", required=False, widget=_area(4))
    category = forms.ChoiceField(label="事项类别（第三条）", choices=MajorDecision.CATEGORIES)
    organ = forms.ModelChoiceField(label="决策机关", queryset=None)
    lead_unit = forms.ModelChoiceField(label="承办单位", queryset=None)
    year = forms.IntegerField(label="拟列入目录年度", min_value=2000, max_value=2100)
    source = forms.ChoiceField(label="建议来源（第十条）", choices=MajorDecision.SOURCES)
    source_detail = forms.CharField(label="建议人或建议单位", max_length=200, required=False)
    proposal_number = forms.CharField(
        label="建议、提案编号", max_length=60, required=False, help_text="来源为人大代表建议、政协提案时填写"
    )
    proposal_title = forms.CharField(label="建议、提案标题", max_length=200, required=False)

    def __init__(self, *args, organs, units, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["organ"], organs)
        _units(self.fields["lead_unit"], units)


class IncludeForm(BootstrapForm):
    decision = forms.ModelChoiceField(label="决策事项建议", queryset=None)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = candidates


class ConsentForm(BootstrapForm):
    consent_on = DateField(label="同级党委同意日期")
    consent_ref = forms.CharField(label="同意文件或会议", max_length=200, help_text="如：市委常委会会议纪要〔2026〕3号")


class CataloguePublishForm(BootstrapForm):
    published_on = DateField(label="公布日期", required=False, help_text="留空为今天")


class AdjustForm(BootstrapForm):
    kind = forms.ChoiceField(label="调整类型", choices=CatalogueAdjustment.KINDS)
    decision = forms.ModelChoiceField(
        label="决策事项", queryset=None, help_text="增列：选择新的决策事项建议；调出、调整：选择目录中的事项"
    )
    reason = forms.CharField(label="调整理由", widget=_area(3))
    consent_ref = forms.CharField(label="党委同意情况", max_length=200, required=False)
    adjusted_on = DateField(label="调整日期", required=False)

    def __init__(self, *args, decisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = decisions


# ---------------------------------------------------------------- decision steps


class ProceduresForm(BootstrapForm):
    public_participation = YesNoField(label="公众参与：向社会公开征求意见（第十四条、第十五条）", initial="1")
    participation_omit_reason = forms.CharField(label="不公开征求意见的理由", max_length=300, required=False)
    hearing_required = YesNoField(label="召开听证会（第十六条）", initial="0")
    hearing_reason = forms.CharField(label="召开听证会的理由", max_length=300, required=False)
    expert_argument = YesNoField(label="专家论证（第十九条）", initial="1")
    expert_omit_reason = forms.CharField(label="不进行专家论证的理由", max_length=300, required=False)
    risk_assessment = YesNoField(label="风险评估（第二十二条）", initial="1")
    risk_omit_reason = forms.CharField(label="不进行风险评估的理由", max_length=300, required=False)
    exploratory = YesNoField(label="探索性改革决策事项（国家尚无明确规定，第二十五条）", initial="0")


class ConsultationForm(BootstrapForm):
    starts_on = DateField(label="开始日期（在本平台公布之日）")
    days = forms.IntegerField(
        label="征求意见期限（日）",
        initial=rules.COMMENT_MIN_DAYS,
        min_value=1,
        max_value=366,
        help_text=f"一般不少于{rules.COMMENT_MIN_DAYS}日；届满日遇休息日顺延",
    )
    shortened_reason = forms.CharField(
        label="缩短期限的理由（少于30日时必填，随草案公布）", required=False, widget=_area(2)
    )
    draft_text = forms.CharField(label="决策草案", widget=_area(8))
    explanation = forms.CharField(label="起草说明", required=False, widget=_area(4))
    how_to_comment = forms.CharField(
        label="提出意见的方式", max_length=300, required=False, initial="通过本平台提交意见"
    )


class ModerateForm(BootstrapForm):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    publish = YesNoField(label="审核结果", choices=[("1", "公开"), ("0", "不予公开")])
    reason = forms.CharField(label="不予公开的理由", max_length=300, required=False)


class AnswerForm(BootstrapForm):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.ChoiceField(label="采纳情况", choices=PublicComment.ANSWERS)
    reason = forms.CharField(label="理由", widget=_area(2))


class AnswersPublishForm(BootstrapForm):
    adoption_summary = forms.CharField(label="意见研究采纳情况综述（第十八条）", widget=_area(4))


class HearingPlanForm(BootstrapForm):
    organiser = forms.CharField(label="组织听证的单位", max_length=100)
    held_on = DateField(label="听证日期")
    place = forms.CharField(label="听证地点", max_length=200)
    selection_rules = forms.CharField(label="听证参加人遴选办法", widget=_area(3))
    rules_published_on = DateField(label="遴选办法公布日期")
    participants = forms.CharField(label="听证参加人名单（每行一人）", widget=_area(4))
    participants_published_on = DateField(label="名单公布日期")
    materials_sent_on = DateField(label="材料送达日期", help_text=f"应于听证会{rules.HEARING_MATERIALS_DAYS}日前送达")


class HearingHeldForm(BootstrapForm):
    record_confirmed = forms.BooleanField(label="听证参加人已确认听证会记录并签字（第十七条）", required=False)
    summary = forms.CharField(label="听证情况", widget=_area(3))


class ExpertAddForm(BootstrapForm):
    name = forms.CharField(label="专家或机构", max_length=100)
    organisation = forms.CharField(label="工作单位", max_length=100, required=False)
    field = forms.CharField(label="专业领域", max_length=100, required=False)
    interest = forms.CharField(label="与决策事项的利害关系（有则填写，将被排除）", max_length=300, required=False)


class ExpertOpinionForm(BootstrapForm):
    expert = forms.ModelChoiceField(label="论证专家", queryset=None)
    opinion = forms.CharField(label="论证意见", widget=_area(4))
    signed = forms.BooleanField(label="书面意见已署名、盖章（第十九条）", required=False)
    opinion_on = DateField(label="意见日期")

    def __init__(self, *args, experts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = experts


class ExpertCompleteForm(BootstrapForm):
    adoption = forms.CharField(label="专家论证意见研究采纳情况", widget=_area(3))


class RiskForm(BootstrapForm):
    assessor = forms.CharField(label="评估单位", max_length=100)
    risk_points = forms.CharField(label="风险点", widget=_area(3))
    measures = forms.CharField(label="风险防范措施和处置预案", widget=_area(3))
    level = forms.ChoiceField(label="风险等级", choices=RiskAssessment.LEVELS)
    controllable = YesNoField(label="风险是否可控（第二十四条）")
    assessed_on = DateField(label="评估日期")


class ReviewSubmitForm(BootstrapForm):
    reviewer_unit = forms.ModelChoiceField(label="负责合法性审查的部门", queryset=None)
    working_days = forms.IntegerField(
        label="审查时间（工作日）",
        initial=rules.DECISION_REVIEW_MIN_WORKING_DAYS,
        help_text=f"一般不少于{rules.DECISION_REVIEW_MIN_WORKING_DAYS}个工作日（第二十六条）",
    )
    materials_note = forms.CharField(
        label="送审材料说明（依据、履行法定程序的说明等）", required=False, widget=_area(3)
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["reviewer_unit"], reviewers)


class ReviewOpinionForm(BootstrapForm):
    opinion = forms.ChoiceField(label="审查意见", choices=LegalityReview.OPINIONS)
    opinion_text = forms.CharField(label="审查意见内容", widget=_area(4))


class ChangesForm(BootstrapForm):
    changes_text = forms.CharField(label="根据审查意见的修改情况", widget=_area(3))


SPEECH_HELP = "每行一人，按发言顺序：姓名｜成员或行政首长｜同意、不同意或弃权｜发言要点；行政首长最后发言"
ROLE_WORDS = {"行政首长": "head", "首长": "head", "成员": "member", "组成人员": "member"}
POSITION_WORDS = {v: k for k, v in rules.SPEECH_POSITIONS.items()}


def parse_speeches(text: str) -> list[dict]:
    speeches = []
    for n, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace("|", "｜").split("｜")]
        if len(parts) < 3:
            raise forms.ValidationError(f"第 {n} 行应为：姓名｜成员或行政首长｜表态｜发言要点")
        role = ROLE_WORDS.get(parts[1])
        if role is None:
            raise forms.ValidationError(f"第 {n} 行的身份应为“成员”或“行政首长”")
        position = POSITION_WORDS.get(parts[2])
        if position is None:
            raise forms.ValidationError(f"第 {n} 行的表态应为同意、不同意或弃权")
        speeches.append({"speaker": parts[0], "role": role, "position": position, "opinion": "｜".join(parts[3:])})
    return speeches


class DiscussionForm(BootstrapForm):
    meeting_kind = forms.ChoiceField(label="会议类型", choices=Discussion.MEETINGS)
    meeting_name = forms.CharField(label="会议名称", max_length=100, help_text="如：市政府第12次常务会议")
    held_on = DateField(label="会议日期")
    members_total = forms.IntegerField(label="会议组成人员总数", min_value=1, max_value=200)
    members_present = forms.IntegerField(label="出席人数", min_value=1, max_value=200)
    attendees = forms.CharField(label="出席、列席人员", widget=_area(2))
    speeches = forms.CharField(label="发言记录", widget=_area(5), help_text=SPEECH_HELP)
    dissent = forms.CharField(label="不同意见（如实载明）", required=False, widget=_area(2))
    head_reason = forms.CharField(label="行政首长决定与多数人意见不一致的理由", required=False, widget=_area(2))
    outcome = forms.ChoiceField(label="讨论结果", choices=Discussion.OUTCOMES)

    def clean_speeches(self):
        return parse_speeches(self.cleaned_data.get("speeches", ""))


class PublicationForm(BootstrapForm):
    published_on = DateField(label="公布日期")
    channels = forms.CharField(label="公布途径", max_length=200, initial="政府公报、政府网站")
    decision_text = forms.CharField(label="决策内容", widget=_area(6))
    adoption_note = forms.CharField(
        label="公众意见、专家论证意见采纳情况说明（第三十二条）", required=False, widget=_area(3)
    )
    party_report_on = DateField(label="向同级党委请示报告日期（第三十一条）")
    party_report_note = forms.CharField(label="请示报告情况", max_length=300, required=False)
    executing_unit = forms.ModelChoiceField(
        label="决策执行单位", queryset=None, required=False, empty_label="（承办单位）"
    )
    prefix = forms.CharField(label="发文机关代字（该年度首次取号时填写）", max_length=20, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["executing_unit"], units)


class ExecutionForm(BootstrapForm):
    period = forms.CharField(label="报告期", max_length=50, help_text="如：2026年上半年")
    reported_on = DateField(label="报告日期")
    content = forms.CharField(label="执行情况", widget=_area(4))
    problems = forms.CharField(label="存在问题、客观情况重大变化（第三十五条）", required=False, widget=_area(2))


class EvaluationStartForm(BootstrapForm):
    trigger = forms.ChoiceField(label="启动情形（第三十六条）", choices=PostEvaluation.TRIGGERS)
    trigger_note = forms.CharField(label="启动说明", widget=_area(2))
    evaluator_unit = forms.ModelChoiceField(label="评估单位（本系统单位）", queryset=None, required=False)
    evaluator_name = forms.CharField(label="评估单位名称（第三方机构等）", max_length=100, required=False)
    started_on = DateField(label="启动日期", required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["evaluator_unit"], units)


class EvaluationResultForm(BootstrapForm):
    result = forms.CharField(label="评估结果", widget=_area(4))
    conclusion = forms.ChoiceField(label="评估结论", choices=PostEvaluation.CONCLUSIONS)


# ---------------------------------------------------------------- normative documents


class NormativeForm(BootstrapForm):
    title = forms.CharField(label="文件名称", max_length=200)
    issuer = forms.ModelChoiceField(
        label="制定机关", queryset=None, help_text="部门规范性文件选本部门；政府规范性文件选人民政府"
    )
    drafting_unit = forms.ModelChoiceField(label="起草单位", queryset=None)
    draft_text = forms.CharField(label="草案", widget=_area(8))
    explanation = forms.CharField(label="起草说明", required=False, widget=_area(3))

    def __init__(self, *args, issuers, units, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["issuer"], issuers)
        _units(self.fields["drafting_unit"], units)


class NormativeEditForm(BootstrapForm):
    title = forms.CharField(label="文件名称", max_length=200)
    draft_text = forms.CharField(label="草案", widget=_area(8))
    explanation = forms.CharField(label="起草说明", required=False, widget=_area(3))


class NormativeSubmitForm(BootstrapForm):
    reviewing_unit = forms.ModelChoiceField(label="合法性审核机构", queryset=None)

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["reviewing_unit"], reviewers)


class ExtendForm(BootstrapForm):
    days = forms.IntegerField(label="延长（工作日）", min_value=1, max_value=60)
    reason = forms.CharField(label="延长理由", max_length=300)


class NormativeReviewForm(BootstrapForm):
    opinion = forms.ChoiceField(label="审核意见", choices=NormativeDocument.OPINIONS)
    text = forms.CharField(label="审核意见内容", widget=_area(4))


class DeliberateForm(BootstrapForm):
    meeting = forms.CharField(label="审议会议", max_length=100, help_text="常务会议或者办公会议")
    deliberated_on = DateField(label="审议日期")
    adopted = YesNoField(label="审议结果", choices=[("1", "通过"), ("0", "未通过")], initial="1")


class RegisterForm(BootstrapForm):
    text = forms.CharField(label="正文（定稿）", required=False, widget=_area(8), help_text="留空则以草案为正文")
    prefix = forms.CharField(label="发文机关代字（该年度首次取号时填写，如“示政规”）", max_length=20, required=False)
    registered_on = DateField(label="登记印发日期", required=False)


class NormativePublishForm(BootstrapForm):
    published_on = DateField(label="公布日期", required=False)
    effective_on = DateField(label="施行日期", required=False, help_text="留空为公布之日起30日后")
    early_effect_reason = forms.CharField(label="公布后不足30日施行的理由", max_length=300, required=False)
    validity_years = forms.IntegerField(
        label="有效期（年）", required=False, min_value=1, max_value=10, help_text="留空为5年（暂行、试行2年）"
    )


class FileForm(BootstrapForm):
    authority = forms.ChoiceField(label="备案机关", choices=NormativeFiling.AUTHORITIES)
    filed_on = DateField(label="报备日期")
    proper = YesNoField(label="报备材料齐全规范")
    receipt = forms.CharField(label="备案登记号或回执", max_length=100, required=False)
    note = forms.CharField(label="说明", max_length=300, required=False)


class RepealForm(BootstrapForm):
    reason = forms.CharField(label="废止理由", widget=_area(2))
    repealed_on = DateField(label="废止日期", required=False)


class CleanupForm(BootstrapForm):
    title = forms.CharField(label="清理名称", max_length=200)
    organiser = forms.ModelChoiceField(label="组织单位", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    basis = forms.CharField(label="清理依据", max_length=200, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        _units(self.fields["organiser"], units)


class DecideForm(BootstrapForm):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(label="清理结果", choices=CleanupEntry.RESULTS)
    reason = forms.CharField(label="理由", widget=_area(2))


# ---------------------------------------------------------------- incidental reviews


class IncidentalForm(BootstrapForm):
    document = forms.ModelChoiceField(label="规范性文件（本系统中的）", queryset=None, required=False)
    document_ref = forms.CharField(label="或：规范性文件名称、文号", max_length=300, required=False)
    maker_unit = forms.ModelChoiceField(label="制定机关（非本系统文件时）", queryset=None, required=False)
    clauses = forms.CharField(label="申请审查的条款", max_length=300, required=False)
    reconsideration_label = forms.CharField(label="行政复议案件", max_length=200)
    reconsideration_url = forms.CharField(label="复议案件链接", max_length=300, required=False)
    received_on = DateField(label="收到日期")
    suspended_on = DateField(label="行政复议中止日期（书面通知制定机关的三日自此起算）", required=False)
    requested_by_unit = forms.ModelChoiceField(label="处理机关（行政复议机构）", queryset=None)
    path = forms.ChoiceField(label="处理方式", choices=IncidentalReview.PATHS, required=False)

    def __init__(self, *args, documents, units, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = documents
        self.fields["document"].label_from_instance = lambda d: f"{d.title}（{d.number}）"
        _units(self.fields["maker_unit"], units)
        _units(self.fields["requested_by_unit"], handlers)


class RouteForm(BootstrapForm):
    path = forms.ChoiceField(label="处理方式", choices=IncidentalReview.PATHS[1:])


class NotifyForm(BootstrapForm):
    notified_on = DateField(label="书面通知日期")


class MakerAnswerForm(BootstrapForm):
    answer = forms.CharField(label="书面答复", widget=_area(4))
    answered_on = DateField(label="答复日期")


class ConcludeForm(BootstrapForm):
    conclusion = forms.ChoiceField(label="处理结论", choices=IncidentalReview.CONCLUSIONS)
    text = forms.CharField(label="处理意见", widget=_area(3))
    concluded_on = DateField(label="处理日期", required=False)


class ForwardForm(BootstrapForm):
    forwarded_to = forms.CharField(label="转送机关", max_length=100)
    forwarded_on = DateField(label="转送日期")


class ReplyForm(BootstrapForm):
    conclusion = forms.ChoiceField(label="处理结论", choices=IncidentalReview.CONCLUSIONS)
    text = forms.CharField(label="回复的处理意见", widget=_area(3))
    replied_on = DateField(label="回复日期")


# ---------------------------------------------------------------- the portal


class CommentForm(forms.Form):
    content = forms.CharField(
        label="您的意见",
        widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}),
        max_length=rules.COMMENT_MAX_CHARS,
    )
    name = forms.CharField(
        label="姓名或单位（可不填，不公开）",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    contact = forms.CharField(
        label="联系方式（可不填，不公开）",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)
    # A honeypot: hidden from people by CSS, filled by bots.
    website = forms.CharField(required=False, widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))


class LookupForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20, widget=forms.TextInput(attrs={"class": "form-control"}))


class PortalSearchForm(forms.Form):
    q = forms.CharField(label="关键词", max_length=50, required=False)
    kind = forms.ChoiceField(
        label="类别", required=False, choices=[("", "全部"), ("normative", "规范性文件"), ("decision", "重大行政决策")]
    )
    state = forms.ChoiceField(
        label="效力",
        required=False,
        choices=[("", "全部"), ("in_force", "有效"), ("repealed", "已废止"), ("expired", "已失效")],
    )

    def value(self, name: str) -> str:
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return (getattr(self, "cleaned_data", {}) or {}).get(name) or ""
