"""Public legal services and legal education (issue #15): mediation, legal advisers, 谁执法谁普法 and cadres' law study.
Its figures reach the assessment app through its selectors."""
