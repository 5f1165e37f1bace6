"""The runtime: the network lane (asyncio thread), the Qt bridge, the CPU pool (DESIGN §4)."""
