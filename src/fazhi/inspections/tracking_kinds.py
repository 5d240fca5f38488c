"""Kinds of 督办 item that the inspections app opens (imported at start-up by `InspectionsConfig.ready`)."""

from fazhi.tracking.registry import ItemKind, register

# An inspection result is published within 20 working days of being produced (国发〔2019〕5号); the item
# closes itself when the record is published, and turns yellow/red like every other deadline.
INSPECTION_PUBLICATION = register(
    ItemKind("inspection_publication", "检查结果公示", "inspection.manage", "inspection.manage")
)
