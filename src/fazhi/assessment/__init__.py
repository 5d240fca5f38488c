"""Assessment of units, 法治督察 and reports (issue #14): it reads every domain app through their selectors and
sits above them in the layout (tests/test_layout.py); no domain app imports it."""
