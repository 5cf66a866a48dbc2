"""The rule vectors of Specs/vectors/rules/ (Specs/vectors.md): one small signed version-2 log per
case, each a setup history that passes every rule of Specs/events.md followed by one append that
breaks exactly one rule, at a record the generator knows. Imported by make_vectors.py.

The setup histories are those of scripts/campaigns/hostile_rules.json ("fund", written for
unsigned version-1 ledgers), given keys: every operator is registered with a test key of
Specs/vectors/keys/ and every append is signed. `ledger` writes the two bases itself (the same
way make_vectors.py writes `valid`), and this script's writer must reproduce them byte for byte.
The breaking appends are written here. The expected verdict of each case is the record the
generator broke and the rule the case was made to break, read from the spec's order of checks
(events.md section 1) and the event's own rule list, never from running a verifier."""
import base64, json, os, shutil, subprocess, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
RULES_FILE = os.path.join(HERE, "campaigns", "hostile_rules.json")
ORIGIN, NAME, DAY = "vectors.example/rules", "Fonds des règles", "2026-01-15"
# Operators of the campaign's setup -> the test key (Specs/vectors/keys/<file>) they sign with.
OPERATOR_KEYS = {"OP-CAMPAIGN": "founder", "OP-TRES": "treasurer", "OP-SEC": "secretary", "OP-CLERK": "clerk",
                 "OP-AUD": "auditor", "OP-GONE": "intern", "OP-NOBODY": "stranger"}
TALLY2 = {"abstain": 0, "against": 0, "blank": 0, "by_proxy": 0, "electorate": 2, "for": 2, "recused": 0}

def ballot(name, motion, decision):
    """A BOARD ballot adopted by both members (P-0001, P-0002), closed, with its decision: OP-SEC's events."""
    return [{"type": "ballot.opened", "payload": {"ballot": name, "body": "BOARD", "motion": motion}},
            {"type": "vote.cast", "payload": {"ballot": name, "choice": "for", "voter": "P-0001"}},
            {"type": "vote.cast", "payload": {"ballot": name, "choice": "for", "voter": "P-0002"}},
            {"type": "ballot.closed", "payload": {"ballot": name}},
            {"type": "decision.recorded", "payload": {"adopted": True, "ballot": name, "decision": decision,
                                                      "quorum_met": True, "tally": TALLY2}}]

# Appended after the campaign's setup, for the three rules it does not reach: an amendment, a
# write-off and a cancellation decided by BOARD, DSB-1 (C-1, tranche 1, 1,000,000) approved and
# paid out, C-2 cancelled.
DECISIONS = [
    ("OP-SEC", [{"type": "disbursement.approved", "payload": {"disbursement": "DSB-1"}}]
     + ballot("B-AM", {"amount": 1200000, "commitment": "C-1", "kind": "amend_commitment"}, "D-AM")
     + ballot("B-WO", {"amount": 1500000, "commitment": "C-1", "kind": "write_off"}, "D-WO")
     + ballot("B-CA", {"commitment": "C-2", "kind": "cancel_commitment"}, "D-CA")),
    ("OP-TRES", [{"type": "disbursement.executed", "payload": {"disbursement": "DSB-1", "ref": "OUT-1"}},
                 {"type": "commitment.cancelled", "payload": {"commitment": "C-2", "decision": "D-CA"}}]),
]

def body_constituted(body, quorum, amount_max):
    rules = {"abstentions": "excluded", "amount_max": amount_max, "blanks": "excluded", "majority": "simple",
             "proxies_max": 1, "quorum": {"den": quorum[1], "num": quorum[0]}}
    return {"type": "body.constituted", "payload": {"body": body, "kind": "board", "name": "Nouveau conseil", "rules": rules}}

def note(text, idem=None):
    e = {"type": "note.recorded", "payload": {"text": text}}
    if idem: e["idem"] = idem
    return e

def extra_cases(stranger, clerk, gone):
    """Cases beyond the campaign's: (rule, name, setup, [(operator, events)...]; the last append breaks)."""
    return [
        ("S.payload", "an operator registered with a key of small order (the identity point: anyone could sign for it)", "fund",
         [("OP-CAMPAIGN", [{"type": "operator.registered", "payload": {"key": base64.b64encode(b"\x01" + b"\x00" * 31).decode(),
                                                                       "operator": "OP-NEW", "role": "clerk"}}])]),
        ("S.payload", "a version-2 registration without a key", "fund",
         [("OP-CAMPAIGN", [{"type": "operator.registered", "payload": {"operator": "OP-NEW", "role": "clerk"}, "nokey": True}])]),
        ("A5.key-unique", "an operator registered with another operator's key", "fund",
         [("OP-CAMPAIGN", [{"type": "operator.registered", "payload": {"key": clerk, "operator": "OP-NEW", "role": "clerk"}}])]),
        ("A5.key-unique", "a key rotated to the key of a revoked operator (a key is registered once, ever)", "fund",
         [("OP-CAMPAIGN", [{"type": "operator.key_rotated", "payload": {"key": gone, "operator": "OP-TRES"}}])]),
        ("I0.look-alike", "a party P-OOO1 beside P-0001", "fund",
         [("OP-SEC", [{"type": "party.registered", "payload": {"kind": "person", "party": "P-OOO1"}}])]),
        ("I0.look-alike", "a fund CITOYENS beside citoyens", "fund",
         [("OP-CAMPAIGN", [{"type": "fund.opened", "payload": {"accepts": ["donation"], "fund": "CITOYENS", "name": "X",
                                                               "pool": "citizens", "uses": ["grant"]}}])]),
        ("I15.idem-unique", "two records of one append with the same idempotency key", "fund",
         [("OP-CAMPAIGN", [note("first", "N-1"), note("second", "N-1")])]),
        ("I15.idem-unique", "an idempotency key used by an earlier append", "fund",
         [("OP-CLERK", [note("first", "N-2")]), ("OP-CAMPAIGN", [note("again", "N-2")])]),
        # The order of decoding (events.md section 1, step 5): S.payload anywhere, then M1, then the event's rules.
        ("S.payload", "a body whose quorum has denominator 0 (a member's range) and whose amount_max is -5", "fund",
         [("OP-CAMPAIGN", [body_constituted("B-NEW", quorum=(1, 0), amount_max=-5)])]),
        ("M1.amount-positive", "a body whose quorum (3/2) is above the whole and whose amount_max is -5: decoding comes first", "fund",
         [("OP-CAMPAIGN", [body_constituted("B-NEW", quorum=(3, 2), amount_max=-5)])]),
        ("I6.body-rules", "a body whose quorum (3/2) is above the whole, every member well formed", "fund",
         [("OP-CAMPAIGN", [body_constituted("B-NEW", quorum=(3, 2), amount_max=500)])]),
        ("S.payload", "a contribution of 0 whose reference is no identifier: S.payload anywhere comes before M1", "fund",
         [("OP-CLERK", [{"type": "contribution.recorded", "payload": {"amount": 0, "fund": "F-NOPE", "instrument": "donation",
                                                                      "party": "P-NOPE", "ref": "not an id"}}])]),
        ("I2.below-disbursed", "C-1 amended to 1,200,000 (tranches 700,000 + 500,000) while tranche 1 paid 1,000,000", "decisions",
         [("OP-TRES", [{"type": "commitment.amended", "payload": {"amount": 1200000, "commitment": "C-1", "decision": "D-AM",
                                                                  "tranches": [700000, 500000]}}])]),
        ("I9.write-off-outstanding", "1,500,000 written off C-1, of which 1,000,000 is outstanding", "decisions",
         [("OP-TRES", [{"type": "loan.written_off", "payload": {"amount": 1500000, "commitment": "C-1", "decision": "D-WO"}}])]),
        ("I4.commitment-state", "a ballot to cancel the cancelled C-2", "decisions",
         [("OP-SEC", [{"type": "ballot.opened", "payload": {"ballot": "B-CA2", "body": "BOARD",
                                                            "motion": {"commitment": "C-2", "kind": "cancel_commitment"}}}])]),
        ("I4.commitment-state", "a disbursement requested on the cancelled C-2", "decisions",
         [("OP-CLERK", [{"type": "disbursement.requested", "payload": {"amount": 1000, "commitment": "C-2",
                                                                       "disbursement": "DSB-9", "tranche": 1}}])]),
    ]

# Where a case breaks its rule, when not at the first record of its last append: (rule, case name) -> index.
BREAKS_AT = {("M2.overflow", "two contributions that overflow together"): 1,
             ("I14.reference-unique", "the same reference twice in one batch"): 1,
             ("I15.idem-unique", "two records of one append with the same idempotency key"): 1}

class Clock:
    def __init__(self, hour): self.hour, self.minute = hour, 0
    def __call__(self):
        self.minute += 1
        return "%sT%02d:%02d:00.000000Z" % (DAY, self.hour, self.minute)

def campaign():
    with open(RULES_FILE) as f: return json.load(f)

def with_keys(events, keys):
    """Version 2: the keys the rules file names as "@key:NAME" become test keys; a registration
    without one is a case about that (as in the campaign, which reads the same file)."""
    def resolved(value):
        # hostile_rules.json names keys as "@key:NAME" (the campaign replaces them the same way): an
        # operator's test key, or for any other name (a new key in a case) the stranger's.
        if isinstance(value, str) and value.startswith("@key:"):
            return keys[OPERATOR_KEYS.get(value[len("@key:"):], "stranger")].b64
        if isinstance(value, dict):
            return {name: resolved(item) for name, item in value.items()}
        if isinstance(value, list):
            return [resolved(item) for item in value]
        return value
    out = []
    for e in events:
        e = resolved(json.loads(json.dumps(e)))
        e.setdefault("effective", DAY)
        e.pop("nokey", None)   # a registration without a key is a case about that
        out.append(e)
    return out

def build_base(binary, keys, steps):
    """`ledger` writes the setup: init, then one signed batch append per step. Returns the lines and
    the appends [(first seq, last seq, key name)] and the ledger directory (to extend)."""
    work = tempfile.mkdtemp()
    ledger, clock, appends, seq = os.path.join(work, "ledger"), Clock(9), [], 0
    def run(args, operator, records):
        nonlocal seq
        env = dict(os.environ, LEDGER_NOW=clock())
        for name in ("LEDGER_DIR", "LEDGER_OPERATOR", "LEDGER_KEY"): env.pop(name, None)
        key = OPERATOR_KEYS[operator]
        subprocess.run([binary] + args + ["--ledger", ledger, "--operator", operator, "--key", keys[key].key],
                       env=env, check=True, capture_output=True)
        appends.append((seq, seq + records - 1, key))
        seq += records
    run(["init", "--origin", ORIGIN, "--name", NAME, "--date", DAY, "--simulated-clock"], "OP-CAMPAIGN", 1)
    cut = None
    for i, (operator, events) in enumerate(steps):
        if events is None: cut = (seq, list(appends)); continue  # the end of the first base
        batch = os.path.join(work, "batch.jsonl")
        with open(batch, "w") as f:
            for e in with_keys(events, keys): f.write(json.dumps(e, ensure_ascii=False) + "\n")
        run(["append", "--batch", batch], operator, len(events))
    lines = open(os.path.join(ledger, "log.jsonl"), "rb").read().split(b"\n")[:-1]
    shutil.rmtree(work)
    return lines, appends, cut

def cases(binary, keys, chain, canonical, new_record):
    """Returns the bases [(name, lines, appends, note)] and the cases
    [(directory, lines, (kind, line), extra, note)] of the rules family."""
    rules = campaign()
    steps = [(s["operator"], s["events"]) for s in rules["setups"]["fund"]] + [(None, None)] + DECISIONS
    lines, appends, (cut, fund_appends) = build_base(binary, keys, steps)
    objs = [json.loads(l) for l in lines]
    if [canonical(o) for o in chain(objs, appends, keys)] != lines:
        raise SystemExit("make_vectors: this script's writer disagrees with the binary's rules base")
    bases = {"fund": (objs[:cut], fund_appends), "decisions": (objs, appends)}
    out_bases = [("rules/base", lines[:cut], "the campaign's setup history (hostile_rules.json, \"fund\"), signed: every rule case "
                  "but those on decisions starts with it; written by ledger"),
                 ("rules/base-decisions", lines, "rules/base, then DSB-1 approved and paid, BOARD decisions D-AM (amend C-1 to "
                  "1,200,000), D-WO (write off 1,500,000 of C-1), D-CA (cancel C-2), and C-2 cancelled; written by ledger")]
    found = [(c["rule"], c["name"], c["setup"], [(c["operator"], c["events"])]) for c in rules["cases"]]
    found += extra_cases(keys["stranger"].b64, keys["clerk"].b64, keys["intern"].b64)
    out, numbers = [], {}
    for rule, name, setup, appended in found:
        base, base_appends = bases[setup]
        clock, records, more = Clock(12), list(base), list(base_appends)
        for operator, events in appended:
            first = len(records)
            for e in with_keys(events, keys):
                r = new_record(len(records), operator, e["type"], e["payload"], clock())
                r["effective"] = e["effective"]
                if "idem" in e: r["idem"] = e["idem"]
                records.append(r)
            more.append((first, len(records) - 1, OPERATOR_KEYS[operator]))
        broken = first + BREAKS_AT.get((rule, name), 0)
        numbers[rule] = numbers.get(rule, 0) + 1
        directory = "rules/%s-%d" % (rule, numbers[rule])
        why = "%s (%s, by %s, signed with keys/%s.key), after rules/%s" % (
            name, records[broken]["type"], appended[-1][0], OPERATOR_KEYS[appended[-1][0]],
            "base" if setup == "fund" else "base-decisions")
        out.append((directory, [canonical(o) for o in chain(records, more, keys)], ("RULE_VIOLATION", broken + 1),
                    " rule=" + rule, why))
    return out_bases, out
