"""The sandbox portal: a faithful local Bitrix24 for tests, benchmarks and the demo mode. No Qt."""
