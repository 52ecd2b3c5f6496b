"""The Zalo Bot API adapter (bots made with Zalo Bot Creator), for ward staff on Zalo.

Wire facts, from the platform's documentation (bot.zaloplatforms.com/docs, copied in
XuanNguyenNB/QuanLyThuChi_Bot_Telegram_Zalom docs/ZALO_BOT_API.md, updated 10/12/2025) and the
clients that use it (the openclaw Zalo extension, extensions/zalo/src/api.ts): every method is
`POST {base}/bot<TOKEN>/<method>` with a JSON body, answered `{ok, result}` or
`{ok: false, error_code, description}`. No buttons, no documents, no edits.
"""
