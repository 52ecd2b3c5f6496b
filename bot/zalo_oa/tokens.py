"""The Official Account's token pair, shared by every process through the database.

The refresh token is single-use (lasting 3 months) and an access token about 25 hours
(developers.zalo.me "xac-thuc-va-uy-quyen-cho-ung-dung-new", as quoted in the issue): two
processes refreshing with the same refresh token would leave one of them with a spent pair.
So a refresh takes the row lock, reads the pair again, and refreshes only if the stored pair is
still the one that failed; the new pair is committed before anyone uses it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

import aiohttp

from bot.logs import also_redact
from bot.zalo_oa.api import OaApi
from storage.repositories import Repositories
from storage.repositories.oa_tokens import TokenPair

log = logging.getLogger(__name__)


class TokenKeeper:
    def __init__(
        self,
        channel: str,
        api: OaApi,
        transaction: Callable[[], AbstractAsyncContextManager[Repositories]],
    ) -> None:
        self._channel = channel
        self._api = api
        self._transaction = transaction

    async def seed(self, configured: TokenPair | None) -> None:
        """The configured pair goes in only while the database holds none."""
        if configured is None:
            return
        async with self._transaction() as repositories:
            await repositories.oa_tokens.seed(self._channel, configured)

    async def current(self) -> TokenPair | None:
        async with self._transaction() as repositories:
            pair = await repositories.oa_tokens.current(self._channel)
        if pair is not None:
            also_redact(pair.access_token, pair.refresh_token)
        return pair

    async def refresh(self, session: aiohttp.ClientSession, failed: TokenPair) -> TokenPair:
        """A pair that works in place of `failed`: another process's fresh one if it already
        refreshed, else a new one from Zalo, committed before it is returned."""
        async with self._transaction() as repositories:
            stored = await repositories.oa_tokens.current(self._channel, lock=True)
            if stored is not None and stored != failed:
                return stored
            new = await self._api.refresh(session, failed.refresh_token)
            also_redact(new.access_token, new.refresh_token)
            await repositories.oa_tokens.replace(self._channel, new)
        log.info("the access token of %s was refreshed", self._channel)
        return new
