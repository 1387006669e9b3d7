#!/usr/bin/env python3
"""The ingest benchmark's fixture generator and its Python equivalent (json + sqlite3, same work)."""
import json
import os
import random
import resource
import sqlite3
import sys
import time


def generate(path, count=10_000):
    rng = random.Random(7)
    chains = ["solana", "base", "ethereum", "bsc"]
    pairs = []
    for i in range(count):
        chain = chains[i % len(chains)]
        address = f"0x{i:040x}" if chain != "solana" else f"So{i:040d}"
        pairs.append({
            "chainId": chain, "dexId": "raydium", "url": f"https://dexscreener.com/{chain}/p{i}", "pairAddress": f"p{i}",
            "baseToken": {"address": address, "name": f"Token {i}", "symbol": f"T{i}"},
            "quoteToken": {"address": "q", "name": "Quote", "symbol": "SOL"},
            "priceNative": f"{rng.random():.9f}", "priceUsd": f"{rng.random() * 10:.12f}",
            "txns": {w: {"buys": rng.randrange(1000), "sells": rng.randrange(1000)} for w in ("m5", "h1", "h6", "h24")},
            "volume": {w: round(rng.random() * 1e6, 2) for w in ("h24", "h6", "h1", "m5")},
            "priceChange": {w: round(rng.uniform(-50, 50), 2) for w in ("m5", "h1", "h6", "h24")},
            "liquidity": {"usd": round(rng.random() * 1e6, 2), "base": rng.randrange(10**9), "quote": round(rng.random() * 1e3, 4)},
            "fdv": rng.randrange(10**9), "marketCap": rng.randrange(10**9), "pairCreatedAt": 1_700_000_000_000 + i * 1000,
        })
    with open(path, "w") as out:
        json.dump({"schemaVersion": "1.0.0", "pairs": pairs}, out)


def ingest(path, passes):
    data = open(path, "rb").read()
    db_path = f"/tmp/osprey-ingest-py-{os.getpid()}.db"
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript("""
        CREATE TABLE token (chain TEXT NOT NULL, address TEXT NOT NULL, symbol TEXT NOT NULL, name TEXT NOT NULL,
            pair_address TEXT NOT NULL, dex TEXT NOT NULL, quote_symbol TEXT NOT NULL, price_usd TEXT, liquidity_usd TEXT,
            volume_h24_usd TEXT, created_at REAL, first_seen REAL NOT NULL, updated_at REAL NOT NULL, source TEXT NOT NULL,
            PRIMARY KEY (chain, address)) WITHOUT ROWID;
        CREATE TABLE token_snapshot (chain TEXT NOT NULL, address TEXT NOT NULL, at REAL NOT NULL, price_usd TEXT,
            liquidity_usd TEXT, PRIMARY KEY (chain, address, at)) WITHOUT ROWID;
        CREATE INDEX token_snapshot_by_time ON token_snapshot (at);
    """)
    tracked = {}
    timings = []
    for n in range(passes):
        now = 1_800_000_000.0 + n * 30
        started = time.process_time()
        # parse_float=str keeps amounts exact, as Osprey does (no binary floats for money).
        document = json.loads(data, parse_float=str, parse_int=str)
        best = {}
        for pair in document["pairs"]:
            base = pair.get("baseToken") or {}
            if not pair.get("chainId") or not base.get("address") or "symbol" not in base:
                continue
            key = (pair["chainId"], base["address"].lower() if base["address"].startswith("0x") else base["address"])
            liquidity = (pair.get("liquidity") or {}).get("usd")
            current = best.get(key)
            if current is None or float(liquidity or 0) > float((current.get("liquidity") or {}).get("usd") or 0):
                best[key] = pair
        db.execute("BEGIN IMMEDIATE")
        for key, pair in best.items():
            entry = tracked.setdefault(key, {"first_seen": now, "history": []})
            entry["latest"] = pair
            entry["history"] = (entry["history"] + [(now, pair.get("priceUsd"))])[-720:]
            db.execute("""INSERT INTO token VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT (chain, address) DO UPDATE SET
                symbol=excluded.symbol, name=excluded.name, pair_address=excluded.pair_address, dex=excluded.dex,
                quote_symbol=excluded.quote_symbol, price_usd=excluded.price_usd, liquidity_usd=excluded.liquidity_usd,
                volume_h24_usd=excluded.volume_h24_usd, created_at=excluded.created_at, updated_at=excluded.updated_at,
                source=excluded.source""",
                (key[0], key[1], pair["baseToken"]["symbol"], pair["baseToken"].get("name", ""), pair.get("pairAddress", ""),
                 pair.get("dexId", ""), (pair.get("quoteToken") or {}).get("symbol", ""), pair.get("priceUsd"),
                 (pair.get("liquidity") or {}).get("usd"), (pair.get("volume") or {}).get("h24"),
                 int(pair["pairCreatedAt"]) / 1000 if pair.get("pairCreatedAt") else None, entry["first_seen"], now, "dexscreener"))
            db.execute("INSERT OR IGNORE INTO token_snapshot VALUES (?,?,?,?,?)",
                       (key[0], key[1], now, pair.get("priceUsd"), (pair.get("liquidity") or {}).get("usd")))
        db.execute("DELETE FROM token_snapshot WHERE at < ?", (now - 21600,))
        db.execute("COMMIT")
        timings.append((time.process_time() - started) * 1000)
    db.close()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db_path + suffix):
            os.remove(db_path + suffix)
    timings.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"python: {passes} passes of 10000 pairs: CPU ms per pass median {int(timings[len(timings) // 2])}; peak RSS {rss} MB")


if __name__ == "__main__":
    if sys.argv[1] == "generate":
        generate(sys.argv[2])
    else:
        ingest(sys.argv[2], int(sys.argv[3]))
