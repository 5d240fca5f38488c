"""What workdays tells the apps above it (design.md §3: arrows point down, so it offers signals)."""

from django.dispatch import Signal

# Sent once per committed transaction that changed the calendar (overrides or confirmed years), after the
# calendar of this process has been recompiled. Receivers recompute what they derived from it (tracking: every
# stored deadline).
calendar_changed = Signal()
