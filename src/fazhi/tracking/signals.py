"""What tracking tells the apps above it (design.md §3: arrows point down, so it offers signals)."""

from django.dispatch import Signal

# Sent inside the transaction of a calendar recompute that moved some open clocks, once per batch, with
# `item_ids`: the items whose clocks were refolded. Apps that keep a copy of a clock's deadline on their own
# records (lists, exports and statistics read it) refresh the copy from the clock.
clocks_moved = Signal()
