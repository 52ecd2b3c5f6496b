"""The ward's schedule, left alone: periods open, nudges, overdue notices, blocker reminders
and digests, each queued once (rules in `rules.py`, pure; queueing in `due.py`)."""
