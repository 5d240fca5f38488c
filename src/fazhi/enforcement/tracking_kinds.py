"""Kinds of 督办 item that the enforcement app opens (imported at start-up by `EnforcementConfig.ready`)."""

from fazhi.tracking.registry import ItemKind, register

# ---------------------------------------------------------------- registry
# A legal officer (registry.manage) of the agency renews the certificate; the item closes itself on renewal.
CERTIFICATE_EXPIRY = register(ItemKind("certificate_expiry", "执法证到期", "registry.manage", "registry.manage"))

# ---------------------------------------------------------------- cases
# An open penalty case: handled by the agency's officers (case.handle) on the 90-day limit of 第六十条.
CASE = register(ItemKind("case", "行政处罚案件", "case.handle", "case.supervise"))
# A statutory check of a case found an error: the agency corrects it, the Justice Bureau supervises.
CASE_WARNING = register(ItemKind("case_warning", "风险预警", "case.handle", "case.supervise"))
