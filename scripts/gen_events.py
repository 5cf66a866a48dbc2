#!/usr/bin/env python3
"""Writes N events as JSON Lines for `ledger append --batch`, deterministic (seeded).
Usage: gen_events.py N [START] > events.jsonl   (note.recorded events, about 150 bytes each)"""
import random, sys
n, start = int(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 0
rng = random.Random(20261128 + start)
words = ["réunion", "comité", "projet", "territoire", "versement", "assemblée", "relevé", "contrôle"]
out = sys.stdout
for i in range(start, start + n):
    text = f"note {i}: " + " ".join(rng.choice(words) for _ in range(rng.randint(2, 8)))
    out.write('{"type":"note.recorded","payload":{"text":"%s"},"idem":"N-%d"}\n' % (text, i))
