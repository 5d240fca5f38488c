"""Test helpers of the calendar.

`UNSCHEDULED_YEAR` is a year with no official State Council schedule, neither in chinese-calendar nor in the
override table: its dates follow the plain Monday–Friday rule and are never "confirmed". 2055 has the same
weekdays as 2027 (1 January a Friday, not a leap year), lies inside the calendar's range
(`calendar.RANGE_START`..`RANGE_END`, also the years an override may name) and is decades beyond anything the
package will carry. Tests that need such a year take this constant (or the `unscheduled_year` fixture, which
checks it), never a near year that the package will one day ship.
"""

UNSCHEDULED_YEAR = 2055
