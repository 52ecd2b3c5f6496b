"""ReportBot application: configuration, CLI, messenger adapters, plan import and citizen guidance."""
