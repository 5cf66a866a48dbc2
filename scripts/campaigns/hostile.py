#!/usr/bin/env python3
"""Hostile input campaign: a corpus of bad commands and event files, each run against a ledger.

Every case must get its documented exit status (Sources/LedgerCLI/ExitCode.swift) and a clear
message on standard error starting with "ledger:", never a crash (a Swift trap, a signal, an exit
status of 128 or more), and must leave log.jsonl byte-identical (same SHA-256), with no torn/
directory and no batch marker left behind.

The ledgers are version-2 simulations (`init --simulated-clock`, LEDGER_NOW fixed: the cases
about time need a clock they choose); every command is signed by its operator's own key, made by
`ledger keygen` outside the ledgers, so that each case is refused for what it is about.

The corpus: malformed JSON sent three ways (--payload, --event, a --batch file line), deep nesting,
huge numbers, every limit crossed by one, invalid UTF-8 (in files and in argv), NUL bytes,
duplicate keys, events with forbidden or missing members, bad dates, keys, types and operators,
usage errors, time going backwards, idempotency conflicts, a batch that fails on its last line,
commands on things that are not ledgers, a held lock, bad signer keys (missing, not a key, two
keys, another operator's, one inside the ledger directory), and the fund's business rules, read
from hostile_rules.json (one entry per rule of Specs/events.md; see that file).

Usage: hostile.py [--bin PATH] [--quick] [--strict] [--list]
"""
import calendar
import fcntl
import json
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from known_issues import KnownIssues  # noqa: E402

USAGE, INTEGRITY, REFUSED, NOT_A_LEDGER, LOCKED, IO = 2, 1, 4, 5, 6, 7
BASE_NOW = "2026-01-15T10:00:00.000000Z"
NOW = "2026-01-15T12:00:00.000000Z"
RULES_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hostile_rules.json")


class Case:
    """One command. `args` may hold "{dir}" (the case's own directory, outside the ledger) and
    "@keyfile:NAME" (NAME's signer key file); `ledger_files` are planted in the ledger directory
    for the case and removed after it."""

    def __init__(self, category, name, args, expected, stdin=None, files=None, env=None, target="shared",
                 issue=None, unset=(), expect=None, ledger_files=None):
        self.category, self.name, self.args, self.expected, self.expect = category, name, args, expected, expect
        self.stdin, self.files, self.env, self.target, self.issue, self.unset = stdin, files or {}, env or {}, \
            target, issue, unset
        self.ledger_files = ledger_files or {}


def payload_fragments():
    """Bad payloads: (name, bytes). Every one must be refused as malformed input."""
    deep = lambda depth: b"{\"text\":" + b"[" * depth + b"]" * depth + b"}"  # noqa: E731
    fragments = [
        ("empty", b""), ("spaces only", b"   "), ("open brace", b"{"), ("close brace", b"}"),
        ("missing value", b'{"text":}'), ("trailing comma", b'{"text":"x",}'), ("single quotes", b"{'text':'x'}"),
        ("unquoted key", b'{text:"x"}'), ("trailing garbage", b'{"text":"x"} trailing'),
        ("two objects", b'{"text":"x"}{"a":1}'), ("comment", b'// note\n{"text":"x"}'),
        ("NaN", b'{"text":NaN}'), ("Infinity", b'{"text":Infinity}'), ("-Infinity", b'{"text":-Infinity}'),
        ("fraction", b'{"amount":1.5}'), ("exponent", b'{"amount":1e3}'), ("fraction zero", b'{"amount":10.0}'),
        ("negative zero", b'{"amount":-0}'), ("leading zero", b'{"amount":012}'), ("plus sign", b'{"amount":+1}'),
        ("hex number", b'{"amount":0x10}'), ("bare fraction", b'{"amount":.5}'),
        ("2^53", b'{"amount":9007199254740992}'), ("-2^53", b'{"amount":-9007199254740992}'),
        ("2^63", b'{"amount":9223372036854775808}'), ("2^64", b'{"amount":18446744073709551616}'),
        ("-2^63-1", b'{"amount":-9223372036854775809}'), ("400 digits", b'{"amount":' + b"9" * 400 + b"}"),
        ("50,000 digits", b'{"amount":' + b"1" * 50_000 + b"}"),
        ("bad escape", b'{"text":"\\x41"}'), ("short unicode escape", b'{"text":"\\u12"}'),
        ("lone high surrogate", b'{"text":"\\ud800"}'), ("lone low surrogate", b'{"text":"\\udc00"}'),
        ("reversed surrogates", b'{"text":"\\udc00\\ud800"}'), ("unterminated string", b'{"text":"abc}'),
        ("raw tab in string", b'{"text":"a\tb"}'), ("raw CR in string", b'{"text":"a\rb"}'),
        ("raw ESC in string", b'{"text":"a\x1bb"}'),
        ("array", b"[]"), ("string", b'"text"'), ("number", b"42"), ("null", b"null"), ("true", b"true"),
        ("byte order mark", b"\xef\xbb\xbf{\"text\":\"x\"}"),
        ("uppercase key", b'{"Text":"x"}'), ("key starting with a digit", b'{"1text":"x"}'),
        ("key with a dash", b'{"a-b":"x"}'), ("empty key", b'{"":"x"}'), ("key of 65 bytes", b'{"' + b"k" * 65 + b'":1}'),
        ("key with a space", b'{"a b":1}'), ("non-ASCII key", '{"clé":1}'.encode()),
        ("duplicate key", b'{"text":"x","text":"y"}'), ("duplicate key, same value", b'{"text":"x","text":"x"}'),
        ("duplicate nested key", b'{"text":"x","meta":{"b":1,"b":2}}'),
        ("duplicate key after escapes", b'{"text":"x","t\\u0065xt":"y"}'),
        ("depth 17", deep(15)), ("depth 100", deep(98)), ("depth 1,000", deep(998)), ("depth 30,000", deep(30_000)),
        ("string of 16,385 bytes", b'{"text":"' + b"a" * 16_385 + b'"}'),
        ("string of 16,385 bytes after escapes", b'{"text":"' + b"\\u0041" * 16_385 + b'"}'),
        ("array of 10,001 elements", b'{"list":[' + b",".join([b"0"] * 10_001) + b"]}"),
        ("object of 1,001 members", b"{" + b",".join(b'"k%d":0' % i for i in range(1_001)) + b"}"),
        ("line over 64 KiB", b'{"text":"' + b"a" * 70_000 + b'"}'),
    ]
    return fragments


def invalid_utf8():
    return [
        ("byte 0xFF", b"\xff"), ("byte 0xFE", b"\xfe"), ("overlong slash", b"\xc0\xaf"),
        ("overlong 3-byte", b"\xe0\x80\xaf"), ("encoded surrogate U+D800", b"\xed\xa0\x80"),
        ("above U+10FFFF", b"\xf4\x90\x80\x80"), ("truncated 2-byte", b"\xc3"), ("lone continuation", b"\x80"),
        ("5-byte form", b"\xf8\x88\x80\x80\x80"), ("truncated 3-byte", b"\xe2\x82"), ("Latin-1 e-acute", b"caf\xe9"),
    ]


def event(payload=b'{"text":"hostile"}', type_=b'"note.recorded"', extra=b""):
    return b'{"type":' + type_ + b',"payload":' + payload + extra + b"}"


def bad_keys(add):
    """Signer keys that must not sign (Specs/proofs.md section 3, Specs/trust.md section 1): usage
    errors (2), or a refusal (4) for a well-formed key that is not the operator's."""
    note = ["append", "--type", "note.recorded", "--payload", '{"text":"signed?"}']
    key = lambda path: note + ["--key", path]  # noqa: E731
    add(Case("bad signer key", "a missing file", key("{dir}/none.key"), USAGE))
    add(Case("bad signer key", "a directory", key("{dir}"), USAGE))
    add(Case("bad signer key", "an empty file", key("{dir}/empty.key"), USAGE, files={"empty.key": b""}))
    add(Case("bad signer key", "garbage", key("{dir}/garbage.key"), USAGE, files={"garbage.key": b"not a key\n"}))
    add(Case("bad signer key", "a verifier key (.pub) instead", note + ["--key", "@pubfile:OP-CAMPAIGN"], USAGE))
    add(Case("bad signer key", "a key of another type", key("{dir}/type0.key"), USAGE,
             files={"type0.key": b"PRIVATE+KEY+X+00000000+AAAA\n"}))
    add(Case("bad signer key", "two keys in one file", key("{dir}/two.key"), USAGE, files={"two.key": b"@two"}))
    add(Case("bad signer key", "a file over 16 KiB", key("{dir}/big.key"), USAGE, files={"big.key": b"#" * 20_000}))
    add(Case("bad signer key", "LEDGER_KEY empty", note, USAGE, env={"LEDGER_KEY": ""}))
    add(Case("bad signer key", "no key at all", note, USAGE, unset=("LEDGER_KEY",)))
    add(Case("bad signer key", "another operator's key", note + ["--key", "@keyfile:OP-OTHER"], REFUSED,
             expect="another operator"))
    add(Case("bad signer key", "a key registered to no operator", note + ["--key", "@keyfile:OP-STRANGER"], REFUSED,
             expect="registered to no operator"))
    add(Case("bad signer key", "the operator's own key, inside the ledger directory", note + ["--key", "{ledger}/own.key"],
             USAGE, ledger_files={"own.key": "@keyfile:OP-CAMPAIGN"}, expect="inside the ledger directory"))
    add(Case("bad signer key", "the operator's own key, inside the ledger's cache",
             note + ["--key", "{ledger}/cache/own.key"], USAGE, ledger_files={"cache/own.key": "@keyfile:OP-CAMPAIGN"}, expect="inside the ledger directory"))


def build_corpus(rules, setups):
    cases = []
    add = cases.append
    for name, fragment in payload_fragments():
        if name == "comment":  # a newline would split a batch line
            pass
        add(Case("malformed JSON (--payload)", name, ["append", "--type", "note.recorded", "--payload", fragment],
                 USAGE))
        add(Case("malformed JSON (--event)", name, ["append", "--event", event(fragment)], USAGE))
        line = event(fragment).replace(b"\n", b" ") if name != "comment" else b"// note"
        add(Case("malformed JSON (--batch file)", name, ["append", "--batch", "{dir}/batch.jsonl"], USAGE,
                 files={"batch.jsonl": line + b"\n"}))
    # Whole-event problems, through --event and through a batch line.
    events = [
        ("empty object", b"{}"), ("type missing", b'{"payload":{"text":"x"}}'),
        ("payload missing", b'{"type":"note.recorded"}'), ("type not a string", event(type_=b"1")),
        ("type null", event(type_=b"null")), ("payload a string", event(payload=b'"x"')),
        ("payload an array", event(payload=b"[]")), ("payload null", event(payload=b"null")),
        ("effective a number", event(extra=b',"effective":20260115')),
        ("effective not a date", event(extra=b',"effective":"2026-02-30"')),
        ("effective with a time", event(extra=b',"effective":"2026-01-15T00:00:00Z"')),
        ("effective year 0", event(extra=b',"effective":"0000-01-01"')),
        ("idem a number", event(extra=b',"idem":12')), ("idem empty", event(extra=b',"idem":""')),
        ("idem with a space", event(extra=b',"idem":"a b"')), ("idem of 129 bytes", event(extra=b',"idem":"' + b"k" * 129 + b'"')),
        ("idem non-ASCII", event(extra=',"idem":"clé"'.encode())),
        ("unknown member amount", event(extra=b',"amount":100')),
        ("spoofed actor", event(extra=b',"actor":"OP-TREASURER"')),
        ("spoofed seq", event(extra=b',"seq":0')), ("spoofed recorded_at", event(extra=b',"recorded_at":"2020-01-01T00:00:00.000000Z"')),
        ("spoofed hash", event(extra=b',"hash":"' + b"0" * 64 + b'"')), ("spoofed prev", event(extra=b',"prev":"' + b"0" * 64 + b'"')),
        ("spoofed v", event(extra=b',"v":2')),
        ("genesis type", event(type_=b'"ledger.genesis"', payload=b'{"currency":"EUR","minor_units":2,"name":"X","origin":"x"}')),
        ("type uppercase", event(type_=b'"Note.Recorded"')), ("type trailing dot", event(type_=b'"note."')),
        ("type with a space", event(type_=b'"note recorded"')), ("type empty", event(type_=b'""')),
        ("type of 65 bytes", event(type_=b'"' + b"a" * 65 + b'"')), ("type with NUL escape", event(type_=b'"note\\u0000x"')),
    ]
    for name, line in events:
        add(Case("bad event (--event)", name, ["append", "--event", line], USAGE))
        add(Case("bad event (--batch file)", name, ["append", "--batch", "{dir}/batch.jsonl"], USAGE,
                 files={"batch.jsonl": line + b"\n"}))
    # Invalid UTF-8: in a file it must be refused; in argv too (not silently replaced).
    for name, bad in invalid_utf8():
        for place, line in (("in a text", event(payload=b'{"text":"a' + bad + b'b"}')),
                            ("in a key", event(payload=b'{"te' + bad + b'xt":"a"}')),
                            ("in the type", event(type_=b'"note.' + bad + b'"'))):
            add(Case("invalid UTF-8 (--batch file)", "%s %s" % (name, place), ["append", "--batch", "{dir}/batch.jsonl"],
                     USAGE, files={"batch.jsonl": line + b"\n"}))
        add(Case("invalid UTF-8 (argv)", "%s in --payload" % name,
                 ["append", "--type", "note.recorded", "--payload", b'{"text":"a' + bad + b'b"}'], USAGE))
        add(Case("invalid UTF-8 (argv)", "%s in --event" % name,
                 ["append", "--event", event(payload=b'{"text":"a' + bad + b'b"}')], USAGE))
    add(Case("invalid UTF-8 (argv)", "0xFF in --idem", ["append", "--type", "note.recorded", "--idem", b"k\xff"], USAGE))
    add(Case("invalid UTF-8 (argv)", "0xFF in --type", ["append", "--type", b"note.\xff"], USAGE))
    add(Case("invalid UTF-8 (argv)", "0xFF in --operator", ["append", "--type", "note.recorded",
                                                            "--operator", b"OP-\xff"], USAGE))
    add(Case("invalid UTF-8 (argv)", "0xFF in --date", ["append", "--type", "note.recorded", "--date", b"2026-01-1\xff"],
             USAGE))
    add(Case("invalid UTF-8 (standard input)", "0xFF in a batch on stdin", ["append", "--batch", "-"], USAGE,
             stdin=event(payload=b'{"text":"\xff"}') + b"\n"))
    # NUL bytes (argv cannot carry them; files and standard input can).
    nul_lines = [("NUL inside a text", event(payload=b'{"text":"a\x00b"}')), ("NUL before the event", b"\x00" + event()),
                 ("NUL after the event", event() + b"\x00"), ("NUL in a key", event(payload=b'{"te\x00xt":"a"}')),
                 ("NUL in the type", event(type_=b'"note\x00.recorded"')), ("a line of NULs", b"\x00" * 100),
                 ("NUL between members", b'{"type":"note.recorded",\x00"payload":{}}')]
    for name, line in nul_lines:
        add(Case("NUL bytes (--batch file)", name, ["append", "--batch", "{dir}/batch.jsonl"], USAGE,
                 files={"batch.jsonl": line + b"\n"}))
        add(Case("NUL bytes (standard input)", name, ["append", "--batch", "-"], USAGE, stdin=line + b"\n"))
    add(Case("NUL bytes (--batch file)", "a binary file", ["append", "--batch", "{dir}/batch.jsonl"], USAGE,
             files={"batch.jsonl": bytes(range(256)) * 4}))
    # Batches that must fail as a whole.
    good = [common.event_line(common.note_event("fine %d" % i)).encode() for i in range(999)]
    add(Case("batch all or nothing", "999 good lines then a bad one", ["append", "--batch", "{dir}/batch.jsonl"], USAGE,
             files={"batch.jsonl": b"\n".join(good + [b'{"type":"note.recorded"}']) + b"\n"}))
    add(Case("batch all or nothing", "a bad line then 999 good ones", ["append", "--batch", "{dir}/batch.jsonl"], USAGE,
             files={"batch.jsonl": b"\n".join([b"{"] + good) + b"\n"}))
    add(Case("batch all or nothing", "a bad type in the middle", ["append", "--batch", "{dir}/batch.jsonl"], USAGE,
             files={"batch.jsonl": b"\n".join(good[:500] + [event(type_=b'"Bad"')] + good[500:]) + b"\n"}))
    add(Case("batch all or nothing", "same key twice, different content", ["append", "--batch", "-"], REFUSED,
             stdin=(common.event_line(common.note_event("a", "DUP")) + "\n" + common.event_line(common.note_event("b", "DUP"))).encode()))
    add(Case("batch all or nothing", "an idempotency conflict on the last line", ["append", "--batch", "-"], REFUSED,
             stdin=b"\n".join(good[:10] + [common.event_line(common.note_event("changed", "BASE-1")).encode()])))
    add(Case("batch all or nothing", "empty file", ["append", "--batch", "{dir}/batch.jsonl"], USAGE,
             files={"batch.jsonl": b""}))
    add(Case("batch all or nothing", "blank lines only", ["append", "--batch", "{dir}/batch.jsonl"], USAGE,
             files={"batch.jsonl": b"\n \n\t\n"}))
    add(Case("batch all or nothing", "empty standard input", ["append", "--batch", "-"], USAGE, stdin=b""))
    add(Case("batch all or nothing", "missing file", ["append", "--batch", "{dir}/no-such-file.jsonl"], USAGE))
    add(Case("batch all or nothing", "a directory as the file", ["append", "--batch", "{dir}"], USAGE))
    add(Case("batch all or nothing", "a JSON array instead of lines", ["append", "--batch", "{dir}/batch.jsonl"], USAGE,
             files={"batch.jsonl": b"[" + b",".join(good[:3]) + b"]\n"}))
    add(Case("batch all or nothing", "CRLF line endings with a bad line", ["append", "--batch", "{dir}/batch.jsonl"],
             USAGE, files={"batch.jsonl": good[0] + b"\r\n" + b"{\r\n"}))
    # Dates, keys, types and operators given as flags.
    for date in ["2026-02-30", "2026-13-01", "2026-00-10", "0000-01-01", "10000-01-01", "2026-1-5", "", "2026-01-15T00:00",
                 "15/01/2026", "2026-02-29", "-2026-01-01", "２０２６-01-01"]:
        add(Case("bad flag value", "--date %r" % date, ["append", "--type", "note.recorded", "--date", date], USAGE))
    for key in ["", "has space", "k" * 129, "clé", "tab\there", "new\nline"]:
        add(Case("bad flag value", "--idem %r" % key[:20], ["append", "--type", "note.recorded", "--idem", key], USAGE))
    for type_ in ["Note", "note.", ".note", "note..x", "note recorded", "", "a" * 65, "ledger.genesis", "note-recorded",
                  "1note", "note.Recorded", "é.note"]:
        add(Case("bad flag value", "--type %r" % type_[:20], ["append", "--type", type_], USAGE))
    for operator in ["", "has space", "x" * 65, "-lead", "Zoé", "a/b", "OP\nX"]:
        add(Case("bad flag value", "--operator %r" % operator[:20], ["append", "--type", "note.recorded",
                                                                     "--operator", operator], USAGE))
    for value in ["-1", "abc", "1.5", ""]:
        add(Case("bad flag value", "--lock-timeout %r" % value, ["append", "--type", "note.recorded",
                                                                 "--lock-timeout", value], USAGE))
    for now in ["2026-01-15", "2026-13-01T00:00:00.000000Z", "2026-01-15T25:00:00.000000Z", "garbage",
                "2026-01-15T10:00:00Z", "2026-02-30T00:00:00.000000Z", "2026-01-15T12:00:00.000000", "2026-01-15 12:00:00.000000Z"]:
        add(Case("bad flag value", "LEDGER_NOW=%r" % now, ["append", "--type", "note.recorded"], USAGE, env={"LEDGER_NOW": now}))
    # Usage errors.
    usage = [
        ("no command", []), ("unknown command", ["frobnicate"]), ("unknown option", ["append", "--type", "note.recorded", "--frob"]),
        ("option without value", ["append", "--type"]), ("option given twice", ["append", "--type", "note.recorded",
                                                                                "--type", "note.recorded"]),
        ("flag with a value", ["append", "--type", "note.recorded", "--json=yes"]),
        ("stray positional", ["append", "--type", "note.recorded", "extra"]),
        ("--type and --event", ["append", "--type", "note.recorded", "--event", event()]),
        ("--event and --batch", ["append", "--event", event(), "--batch", "-"]),
        ("nothing to append", ["append"]), ("--payload with --event", ["append", "--event", event(), "--payload", "{}"]),
        ("--date with --batch", ["append", "--batch", "-", "--date", "2026-01-15"]),
        ("--idem with --event", ["append", "--event", event(), "--idem", "K"]),
        ("--payload not an object", ["append", "--type", "note.recorded", "--payload", "[1]"]),
        ("log --from after --to", ["log", "--from", "5", "--to", "2"]), ("log --from with a leading zero", ["log", "--from", "01"]),
        ("log --from negative", ["log", "--from", "-1"]), ("log --to not a number", ["log", "--to", "ten"]),
        ("log --from 2^64", ["log", "--from", "18446744073709551616"]),
        ("verify with a positional", ["verify", "extra"]), ("verify, missing checkpoint file", ["verify", "--checkpoint", "{dir}/none"]),
        ("verify, garbage checkpoint", ["verify", "--checkpoint", "{dir}/cp"]),
        ("verify, checkpoint size not a number", ["verify", "--checkpoint", "{dir}/cp2"]),
        ("verify, checkpoint invalid UTF-8", ["verify", "--checkpoint", "{dir}/cp3"]),
        ("checkpoint with a positional", ["checkpoint", "extra"]),
    ]
    checkpoint_files = {"cp": b"not a checkpoint\n", "cp2": common.ORIGIN.encode() + b"\nten\nAAAA\n",
                        "cp3": b"\xff\xfe\n1\nAAAA\n"}
    for name, args in usage:
        target = "none" if name in ("no command", "unknown command") else "shared"
        add(Case("usage", name, args, USAGE, files=checkpoint_files, target=target))
    add(Case("usage", "no ledger directory", ["append", "--type", "note.recorded"], USAGE, target="none"))
    add(Case("usage", "no operator", ["append", "--type", "note.recorded"], USAGE, unset=("LEDGER_OPERATOR",)))
    # Things that are not ledgers.
    for command, expected in (("append", NOT_A_LEDGER), ("log", NOT_A_LEDGER), ("verify", USAGE), ("checkpoint", NOT_A_LEDGER)):
        args = [command] + (["--type", "note.recorded"] if command == "append" else [])
        add(Case("not a ledger", "%s on a missing directory" % command, args + ["--ledger", "{dir}/missing"], expected,
                 target="none"))
        add(Case("not a ledger", "%s on an empty directory" % command, args + ["--ledger", "{dir}/empty"], expected,
                 target="none", files={"empty/.keep": b""}))
        add(Case("not a ledger", "%s on a regular file" % command, args + ["--ledger", "{dir}/afile"], expected,
                 target="none", files={"afile": b"x"}))
    for name, content in (("an empty log", b""), ("a log with a broken last line", b"{}\n"),
                          ("a log of one NUL line", b"\x00\n")):
        add(Case("not a ledger", "append on " + name, ["append", "--type", "note.recorded", "--ledger", "{dir}/bad"],
                 NOT_A_LEDGER, target="none", files={"bad/log.jsonl": content}))
    # init: a real ledger (the system's clock, no LEDGER_NOW); each refusal names what it refuses.
    init = ["init", "--origin", "x.example/fund", "--name", "X"]
    real = {"LEDGER_NOW": None}
    add(Case("init", "init over an existing ledger", ["init", "--origin", "x.example/f", "--name", "X"], USAGE, env=real,
             expect="already exists"))
    for origin in ["", "has space", "a+b", "x" * 256, "clé.example", "tab\tx"]:
        add(Case("init", "origin %r" % origin[:20], ["init", "--ledger", "{dir}/new", "--origin", origin, "--name", "X"],
                 USAGE, target="none", env=real, expect="--origin"))
    for currency in ["eur", "EURO", "E1R", "", "€"]:
        add(Case("init", "currency %r" % currency, init + ["--ledger", "{dir}/new", "--currency", currency], USAGE,
                 target="none", env=real, expect="--currency"))
    for units in ["5", "-1", "x", "", "2.0"]:
        add(Case("init", "minor units %r" % units, init + ["--ledger", "{dir}/new", "--minor-units", units], USAGE,
                 target="none", env=real, expect="--minor-units"))
    for name in ["", "n" * 201]:
        add(Case("init", "name of %d bytes" % len(name), ["init", "--ledger", "{dir}/new", "--origin", "x.example/f",
                                                         "--name", name], USAGE, target="none", env=real, expect="--name"))
    # A real ledger takes no clock but the system's (Specs/trust.md 2.6): only --simulated-clock does.
    add(Case("init", "a real ledger with LEDGER_NOW months off", init + ["--ledger", "{dir}/new"], USAGE, target="none",
             env={"LEDGER_NOW": "2020-01-01T00:00:00.000000Z"}, expect="system clock"))
    add(Case("init", "without a key", init + ["--ledger", "{dir}/new"], USAGE, target="none", env=real,
             unset=("LEDGER_KEY",), expect="key"))
    # Time and idempotency.
    note = ["append", "--type", "note.recorded", "--payload", '{"text":"late"}']
    add(Case("refused by a rule", "clock behind the last record", note, REFUSED,
             env={"LEDGER_NOW": "2026-01-14T00:00:00.000000Z"}, expect="never goes backwards"))
    add(Case("refused by a rule", "clock one microsecond behind", note, REFUSED,
             env={"LEDGER_NOW": "2026-01-15T10:00:00.000000Z", "_BEHIND": "1"}, expect="never goes backwards"))
    add(Case("refused by a rule", "year 1 clock", note, REFUSED,
             env={"LEDGER_NOW": "0001-01-01T00:00:00.000000Z"}, expect="never goes backwards"))
    for field, args in (("payload", ["--payload", '{"text":"different"}', "--date", "2026-01-15"]),
                        ("date", ["--payload", '{"text":"base 1"}', "--date", "2026-01-16"]),
                        ("type", ["--payload", '{"text":"base 1"}', "--date", "2026-01-15"])):
        type_ = "note.other" if field == "type" else "note.recorded"
        add(Case("refused by a rule", "idempotency key reused with a different %s" % field,
                 ["append", "--type", type_, "--idem", "BASE-1"] + args, REFUSED, expect="idempotency key"))
    add(Case("refused by a rule", "idempotency key reused by another operator",
             ["append", "--type", "note.recorded", "--idem", "BASE-1", "--payload", '{"text":"base 1"}',
              "--date", "2026-01-15", "--operator", "OP-OTHER"], REFUSED, expect="idempotency key"))
    add(Case("locked", "another writer holds the lock", ["append", "--type", "note.recorded", "--lock-timeout", "50"],
             LOCKED, target="locked"))
    bad_keys(add)
    for rule in rules:
        operator = ["--operator", rule["operator"]] if rule.get("operator") else []
        add(Case("business rules (hostile_rules.json)", "%s: %s" % (rule.get("rule", "?"), rule["name"]),
                 ["append", "--batch", "{dir}/batch.jsonl"] + operator, rule.get("exit", REFUSED),
                 files={"batch.jsonl": "".join(common.event_line(e) + "\n" for e in rule["events"]).encode()},
                 target=("rules", rule.get("setup", "")), expect=rule.get("expect", rule.get("rule"))))
    return cases


class Runner:
    def __init__(self, binary, workdir, checks, known, setups, keys):
        self.binary, self.workdir, self.checks, self.known, self.setups = binary, workdir, checks, known, setups
        self.keys = keys
        self.shared = os.path.join(workdir, "shared")
        self.pristine = os.path.join(workdir, "pristine")
        self.rules_ledgers = {}
        common.init_ledger(binary, self.shared, now=BASE_NOW)
        # OP-OTHER: a second registered operator (Specs/events.md section 3), for the idempotency cases.
        events = [common.event_line(common.operator_event("OP-OTHER", "clerk"))]
        events += [common.event_line(common.note_event("base %d" % i, "BASE-%d" % i)) for i in range(1, 21)]
        result = common.run(binary, ["append", "--ledger", self.shared, "--batch", "-"],
                            stdin="\n".join(events).encode(), env={"LEDGER_NOW": BASE_NOW})
        assert result.status == 0, result.describe()
        shutil.copytree(self.shared, self.pristine)
        self.by_category = {}
        self.statuses = {}

    def ledger_for(self, case, case_dir):
        if case.target == "shared" or case.target == "locked":
            return self.shared
        if case.target == "none":
            return None
        setup = case.target[1]
        if setup not in self.rules_ledgers:
            directory = os.path.join(self.workdir, "rules-%d" % len(self.rules_ledgers))
            common.init_ledger(self.binary, directory, now=BASE_NOW)
            for number, step in enumerate(self.setups.get(setup, [])):
                lines = "\n".join(common.event_line(event) for event in step["events"])
                result = common.run(self.binary, ["append", "--ledger", directory, "--batch", "-", "--operator",
                                                  step["operator"]], stdin=lines.encode(),
                                    env=dict(self.keys.env(step["operator"]), LEDGER_NOW=BASE_NOW))
                self.checks.check(result.status == 0, "setup %r, step %d (%s) failed: %s"
                                  % (setup, number + 1, step["operator"], result.describe()))
            self.rules_ledgers[setup] = directory
        return self.rules_ledgers[setup]

    def run(self, number, case):
        case_dir = os.path.join(self.workdir, "case-%d" % number)
        os.makedirs(case_dir)
        for name, content in case.files.items():
            path = os.path.join(case_dir, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if content == b"@two":  # two signer keys in one file
                content = (open(self.keys.key("OP-CAMPAIGN")).read() + open(self.keys.key("OP-OTHER")).read()).encode()
            with open(path, "wb") as handle:
                handle.write(content)
            os.chmod(path, 0o600)
        ledger = self.ledger_for(case, case_dir)
        args = [self.resolve(arg, case_dir, ledger) for arg in case.args]
        if ledger and case.name not in ("no ledger directory",) and not any(a == "--ledger" for a in args if isinstance(a, str)):
            args = args[:1] + ["--ledger", ledger] + args[1:] if args else args
        # The case's operator signs with their own key, so that it is refused for what it is about.
        env = {"LEDGER_NOW": NOW, "LEDGER_KEY": self.keys.key(self.operator_of(args))}
        env.update({k: v for k, v in case.env.items() if not k.startswith("_")})
        planted = self.plant(case, ledger)
        if case.env.get("_BEHIND"):
            env["LEDGER_NOW"] = self.one_microsecond_before_last(ledger)
        log = os.path.join(ledger, "log.jsonl") if ledger else None
        before = common.sha256_file(log) if log else None
        marker = os.path.join(ledger, "append.pending") if ledger else None
        marker_before = os.path.getsize(marker) if marker and os.path.exists(marker) else 0
        lock = None
        if case.target == "locked":
            lock = open(os.path.join(ledger, "ledger.lock"), "a")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            result = self.invoke(args, env, case)
        finally:
            if lock:
                lock.close()
            for path in planted:
                os.remove(path)
        first = result.stderr.split(b"\n")[0].decode("utf-8", "replace")
        problems = []
        if result.crashed:
            problems.append("CRASH")
        if result.status != case.expected:
            problems.append("exit %d, expected %d" % (result.status, case.expected))
        if result.status not in common.EXIT_STATUSES:
            problems.append("undocumented exit status %d" % result.status)
        if not first.startswith("ledger:") or len(first) < 12:
            problems.append("no clear message on stderr (%r)" % first[:80])
        if case.expect and case.expect.encode() not in result.stderr:
            problems.append("the message does not name %r" % case.expect)
        if log:
            if common.sha256_file(log) != before:
                problems.append("log.jsonl changed")
            if os.path.exists(os.path.join(ledger, "torn")):
                problems.append("torn/ created")
            if (os.path.getsize(marker) if os.path.exists(marker) else 0) != marker_before:
                problems.append("append.pending changed")
        message = "%s / %s: %s; stderr %r" % (case.category, case.name, ", ".join(problems), first[:160])
        if problems and case.issue and "CRASH" not in problems:
            self.known.check(self.checks, False, case.issue, message)
        else:
            if case.issue:
                self.known.probe(case.issue)
            self.checks.check(not problems, message)
        if problems and ledger == self.shared and "log.jsonl changed" in problems:
            shutil.rmtree(self.shared)
            shutil.copytree(self.pristine, self.shared)
        row = self.by_category.setdefault(case.category, {"cases": 0, "ok": 0, "crashes": 0, "exits": {}})
        row["cases"] += 1
        row["ok"] += not problems
        row["crashes"] += result.crashed
        row["exits"][result.status] = row["exits"].get(result.status, 0) + 1
        self.statuses[result.status] = self.statuses.get(result.status, 0) + 1
        shutil.rmtree(case_dir, ignore_errors=True)
        return result

    def resolve(self, arg, case_dir, ledger):
        """{dir}, {ledger}, @keyfile:NAME and @pubfile:NAME in an argument."""
        if not isinstance(arg, str):
            return arg
        if arg.startswith("@keyfile:"):
            return self.keys.key(arg[len("@keyfile:"):])
        if arg.startswith("@pubfile:"):
            return self.keys.pub(arg[len("@pubfile:"):])
        return arg.replace("{dir}", case_dir).replace("{ledger}", ledger or "")

    def operator_of(self, args):
        """The operator the case acts as: its --operator if it names a valid one, else ours."""
        for flag, value in zip(args, args[1:]):
            if flag == "--operator" and isinstance(value, str) and common.ID.fullmatch(value):
                return value
        return common.OPERATOR

    def plant(self, case, ledger):
        """Writes the case's files into the ledger directory (mode 0600, as a key would be)."""
        planted = []
        for name, content in case.ledger_files.items():
            path = os.path.join(ledger, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if content.startswith("@keyfile:"):
                content = open(self.keys.key(content[len("@keyfile:"):])).read()
            with open(path, "w") as handle:
                handle.write(content)
            os.chmod(path, 0o600)
            planted.append(path)
        return planted

    def invoke(self, args, env, case):
        environment = dict(env)
        environment.update({name: None for name in case.unset})  # common.environment removes them
        return common.run(self.binary, args, env=environment, stdin=case.stdin if case.stdin is not None else b"")

    def one_microsecond_before_last(self, ledger):
        last = json.loads(common.read_log(ledger).split(b"\n")[-2])["recorded_at"]
        seconds = calendar.timegm(time.strptime(last[:19], "%Y-%m-%dT%H:%M:%S"))
        micros = int(last[20:26])
        return common.timestamp(int(seconds), micros - 1)


def resolve_keys(value, keys):
    """Replaces every string "@key:NAME" in an event by NAME's public key (hostile_rules.json)."""
    if isinstance(value, dict):
        return {name: resolve_keys(item, keys) for name, item in value.items()}
    if isinstance(value, list):
        return [resolve_keys(item, keys) for item in value]
    if isinstance(value, str) and value.startswith("@key:"):
        return keys.public_key(value[len("@key:"):])
    return value


def load_rules():
    """Business-rule cases (Specs/events.md); see hostile_rules.json for the format."""
    if not os.path.exists(RULES_FILE):
        return [], {}, "no hostile_rules.json"
    with open(RULES_FILE) as handle:
        document = json.load(handle)
    events_spec = os.path.join(common.REPO, "Specs", "events.md")
    if document.get("requires_events_spec", True) and not os.path.exists(events_spec):
        return [], {}, "none yet: Specs/events.md does not exist (hostile_rules.json holds %d waiting)" % len(
            document.get("cases", []))
    cases = document.get("cases", [])
    return cases, document.get("setups", {}), "%d cases for %d rules of Specs/events.md, from hostile_rules.json" % (
        len(cases), len({case.get("rule") for case in cases}))


def main():
    parser = common.base_arguments(__doc__.split("\n")[0])
    parser.add_argument("--strict", action="store_true", help="known issues fail the campaign too")
    parser.add_argument("--list", action="store_true", help="list the corpus and exit")
    options = parser.parse_args()
    rules, setups, rules_note = load_rules()
    cases = build_corpus(rules, setups)
    if options.list:
        for case in cases:
            print("%-36s %-60s exit %d" % (case.category, case.name[:60], case.expected))
        print("%d cases; %s" % (len(cases), rules_note))
        return 0
    binary = common.find_binary(options.bin)
    workdir = common.make_workdir("hostile", options.workdir)
    keys = common.Keyring.install(binary, workdir)
    rules, setups = resolve_keys(rules, keys), resolve_keys(setups, keys)
    cases = build_corpus(rules, setups)
    print("hostile input campaign: %d cases (%s); binary %s, work %s" % (len(cases), rules_note, binary, workdir))
    checks, known = common.Checks(keep=40), KnownIssues(options.strict)
    runner = Runner(binary, workdir, checks, known, setups, keys)
    started = time.monotonic()
    for number, case in enumerate(cases):
        runner.run(number, case)
    seconds = time.monotonic() - started
    verify = common.run(binary, ["verify", "--ledger", runner.shared])
    checks.check(verify.status == 0, "the shared ledger does not verify after the corpus: " + verify.describe())
    checks.check(common.sha256_file(os.path.join(runner.shared, "log.jsonl")) ==
                 common.sha256_file(os.path.join(runner.pristine, "log.jsonl")), "the shared ledger changed")
    rows = []
    for category, row in runner.by_category.items():
        exits = ", ".join("%d: %d" % item for item in sorted(row["exits"].items()))
        rows.append([category, row["cases"], row["ok"], row["crashes"], exits])
    common.print_table("Hostile input: as expected = documented exit status, 'ledger:' message, no crash, "
                       "ledger byte-identical", ["category", "cases", "as expected", "crashes", "exit statuses seen"], rows)
    crashes = sum(row["crashes"] for row in runner.by_category.values())
    ok = sum(row["ok"] for row in runner.by_category.values())
    rows = [["cases", len(cases)], ["as expected", ok], ["crashes", crashes],
            ["ledger changed by a refused command", sum(1 for f in checks.failures if "log.jsonl changed" in f)],
            ["exit statuses", ", ".join("%d: %d" % item for item in sorted(runner.statuses.items()))],
            ["business rules", rules_note], ["seconds", "%.1f" % seconds]]
    common.print_table("Hostile input summary", ["what", "count"], rows)
    known_counts = known.report()
    totals = {"cases": len(cases), "as_expected": ok, "crashes": crashes, "rule_cases": len(rules),
              "exit_statuses": {str(k): v for k, v in runner.statuses.items()}, "seconds": round(seconds, 1),
              "known_issues": known_counts}
    return common.finish("hostile", checks, totals, options.totals_file, workdir=workdir, keep=options.keep)


if __name__ == "__main__":
    sys.exit(main())
