"""Platform-neutral reporting rules: timing, wording, the period summary and digest, working days."""
