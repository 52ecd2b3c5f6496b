"""The monthly check-in: periods, task-by-task answers, one-message reports, review."""
