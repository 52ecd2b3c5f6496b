"""The Telegram adapter (aiogram 3): updates in as neutral events, neutral messages out as Bot
API calls. aiogram's types never leave this package."""
