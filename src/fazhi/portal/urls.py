from django.urls import path

from fazhi.portal import (
    agencies,
    annual_reports,
    complaints,
    disclosures,
    inspections,
    reconsideration,
    rulemaking,
    supervisors,
    typical_cases,
    views,
)
from fazhi.portal import requests as portal_requests

app_name = "portal"

urlpatterns = [
    path("", views.portal_home_view, name="home"),
    # registry
    path("agencies/", agencies.portal_agency_list_view, name="agency_list"),
    path("agencies/<int:pk>/", agencies.portal_agency_detail_view, name="agency_detail"),
    # cases / disclosure
    path("disclosures/", disclosures.portal_disclosure_list_view, name="disclosure_list"),
    # 双随机、一公开
    path("inspections/plans/", inspections.plan_list_view, name="inspection_plans"),
    path("inspections/plans/<int:pk>/", inspections.plan_detail_view, name="inspection_plan"),
    path("inspections/draws/<int:pk>/", inspections.draw_detail_view, name="inspection_draw"),
    path("inspections/results/", inspections.record_list_view, name="inspection_results"),
    path("inspections/feedback/<str:token>/", inspections.feedback_view, name="inspection_feedback"),
    # 典型案例通报 (supervision.accountability)
    path("typical-cases/", typical_cases.typical_case_list_view, name="typical_case_list"),
    path("typical-cases/<int:pk>/", typical_cases.typical_case_detail_view, name="typical_case_detail"),
    # 建议提案答复公开、依申请公开
    path("requests/disclosure/new/", portal_requests.disclosure_form_view, name="disclosure_form"),
    path("requests/disclosure/receipt/", portal_requests.disclosure_receipt_view, name="disclosure_receipt"),
    path("requests/disclosure/status/", portal_requests.disclosure_status_view, name="disclosure_status"),
    path("requests/proposals/", portal_requests.proposal_list_view, name="proposal_list"),
    path("requests/proposals/<int:pk>/", portal_requests.proposal_detail_view, name="proposal_detail"),
    path(
        "requests/proposals/<int:pk>/rating/<str:token>/", portal_requests.proposal_rating_view, name="proposal_rating"
    ),
    # 依法决策
    path("rulemaking/", rulemaking.home_view, name="rulemaking_home"),
    path("rulemaking/search/", rulemaking.search_view, name="rulemaking_search"),
    path("rulemaking/catalogues/<int:pk>/", rulemaking.catalogue_view, name="rulemaking_catalogue"),
    path("rulemaking/consultations/", rulemaking.consultation_list_view, name="rulemaking_consultations"),
    path("rulemaking/consultations/<int:pk>/", rulemaking.consultation_view, name="rulemaking_consultation"),
    path("rulemaking/comments/receipt/", rulemaking.comment_receipt_view, name="rulemaking_comment_receipt"),
    path("rulemaking/comments/lookup/", rulemaking.comment_lookup_view, name="rulemaking_comment_lookup"),
    path("rulemaking/documents/<int:pk>/", rulemaking.document_view, name="rulemaking_document"),
    path("rulemaking/decisions/<int:pk>/", rulemaking.decision_view, name="rulemaking_decision"),
    path("rulemaking/cleanups/<int:pk>/", rulemaking.cleanup_view, name="rulemaking_cleanup"),
    path("rulemaking/materials/<int:pk>/", rulemaking.material_view, name="rulemaking_material"),
    # 行政复议: apply online, follow the case, read the published decisions
    path("reconsideration/", reconsideration.apply_view, name="reconsideration_apply"),
    path("reconsideration/receipt/", reconsideration.receipt_view, name="reconsideration_receipt"),
    path("reconsideration/status/", reconsideration.status_view, name="reconsideration_status"),
    path("reconsideration/decisions/", reconsideration.decision_list_view, name="reconsideration_decisions"),
    path("reconsideration/decisions/<int:pk>/", reconsideration.decision_detail_view, name="reconsideration_decision"),
    # 法治政府建设年度报告 (assessment.reports)
    path("annual-reports/", annual_reports.annual_report_list_view, name="annual_report_list"),
    path("annual-reports/<int:pk>/", annual_reports.annual_report_detail_view, name="annual_report_detail"),
    # 特邀行政执法监督员
    path("invited/", supervisors.invited_list_view, name="invited_list"),
    path("invited/<int:pk>/", supervisors.invited_campaign_view, name="invited_campaign"),
    path("invited/<int:pk>/apply/", supervisors.invited_apply_view, name="invited_apply"),
    path("invited/<int:pk>/objection/", supervisors.invited_objection_view, name="invited_objection"),
    path("invited/receipt/", supervisors.invited_receipt_view, name="invited_receipt"),
    path("invited/status/", supervisors.invited_status_view, name="invited_status"),
    path("invited/roster/", supervisors.invited_roster_view, name="invited_roster"),
]

# The public complaint pages keep their own namespace and addresses (/portal/complaints/…): mounted by fazhi.urls.
complaint_urls = (
    [
        path("new/", complaints.complaint_form_view, name="form"),
        path("receipt/", complaints.complaint_receipt_view, name="receipt"),
        path("status/", complaints.complaint_status_view, name="status"),
        path("rate/", complaints.complaint_rate_view, name="rate"),
    ],
    "complaints_public",
)
