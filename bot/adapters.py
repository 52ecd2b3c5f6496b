"""The platforms `reportbot run` can drive, each by its adapter's runner."""

from __future__ import annotations

from bot.channels import Platform
from bot.runner import RunnerFactory
from bot.telegram.runner import telegram_runner
from bot.zalo_bot.runner import zalo_bot_runner
from bot.zalo_oa.runner import ZaloOaRunner

# The console is not run by `reportbot run`: it is a terminal (`reportbot console`).
RUNNERS: dict[Platform, RunnerFactory] = {
    Platform.TELEGRAM: telegram_runner,
    Platform.ZALO_BOT: zalo_bot_runner,
    Platform.ZALO_OA: ZaloOaRunner,
}
