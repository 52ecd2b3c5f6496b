"""Persistence: models, repositories and migrations. Flows reach the database only through here."""
