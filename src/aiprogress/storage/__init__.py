"""Storage: SQLAlchemy Core tables, async engines, repositories returning `core` types,
migrations.

A module per domain, as lemon24/reader's `_storage` package: `tables` (the schema, one Core
`Table` each), `transactions` (short transactions over Core connections), `sources`,
`fetch_log` (the collector's batched writes), `items`, `digests`, `models` (facts, aliases,
events), `channels`, `outbox` (deliveries), `llm` (calls, cache) and `notices`;
`store.SqlStore` is the one composition of them over one engine. `sqlite_collect` is the
collector's part of the store again on the standard library's sqlite3, for `aiprogress collect`
on a SQLite file at head; what both make of rows is `rows`'s (docs/architecture.md).
"""
