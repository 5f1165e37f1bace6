"""The Bitrix24 REST client (no Qt): transport, auth, limits, retries, batch, paging, typed facades."""
