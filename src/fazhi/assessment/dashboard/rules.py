"""Rules of 领导驾驶舱: when a figure is red. No I/O."""

from decimal import Decimal

# How long the dashboard's figures are kept before they are read again (seconds): the trend queries scan the
# year's cases; a leader's page must answer at once (bench: ≤ 300 ms) and the figures move slowly.
CACHE_SECONDS = 900
# The worker rebuilds the page of every user who may see it this often, inside CACHE_SECONDS, so that no leader
# waits, whatever his scope.
WARM_MINUTES = 10


# 红色: a key indicator that misses its target (the framework's 目标值), in the direction the indicator counts.
def is_red(value: Decimal | None, target: Decimal | None, *, higher_is_better: bool) -> bool:
    if value is None or target is None:
        return False
    return value < target if higher_is_better else value > target
