"""Models of 领导驾驶舱."""
