#!/usr/bin/env python3
"""Check the reference sample (sql/sample/*.blp) against the published 2020 budget.

Parses sql/sample/201002-2020.blp and sql/sample/201-2020-disclosure.blp with a small, strict
BLP/1 parser (SPEC §5), applies the entry validation rules V1–V6, prints the disclosure figures
in 万元 (summed exactly in integer fen, rounded half-up once) and asserts that they equal the
figures of 中共保定市徐水区委办公室 2020年部门预算公开说明.

When the reference text is available (--reference, $BLP_REFERENCE or the usual places), the six
project performance tables, the procurement table and the headline figures are also read from it
and compared field by field. When Tests/WorkflowFixtures/ReferenceProjects.swift is present, the six
project fixtures are compared too.

Python 3 standard library only. Exit status 0 when everything matches, 1 on any mismatch or
invalid line, 2 on a usage problem (a file that cannot be read).
"""

import argparse
import os
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
REFERENCE_NAME = "000_b47ceb01049c7b0c.txt"
REFERENCE_CANDIDATES = [
    REPO.parent / "shared" / "reference" / REFERENCE_NAME,
    Path("/work/shared/reference") / REFERENCE_NAME,
]
FIXTURE = REPO / "Tests" / "WorkflowFixtures" / "ReferenceProjects.swift"

# --------------------------------------------------------------------------------------------
# BLP/1 (SPEC §5), following the choices of Sources/Workflow/BLP/BLPParser.swift.
# --------------------------------------------------------------------------------------------

MAX_LINE_BYTES = 65536
NAME = re.compile(r"[a-z][a-z0-9_]*\Z")

# type -> (allowed keys, parent type or None); as Sources/Workflow/BLP/BLPSchema+Builtin.swift.
ENTRIES_SCHEMA = {
    "entry": ({"code", "name", "kind", "func", "general", "fund", "state_capital", "special", "other",
               "plan", "purpose", "goals", "unit", "year"}, None),
    "item": ({"econ", "amount"}, "entry"),
    "indicator": ({"l1", "l2", "l3", "desc", "value", "basis"}, "entry"),
    "procurement": ({"item", "catalog", "unit", "qty", "price"}, "entry"),
}
DISCLOSURE_SCHEMA = {
    "baseline": ({"metric", "amount", "department", "year"}, None),
    "narrative": ({"section", "text", "department", "year"}, None),
}


class Record:
    def __init__(self, rtype, fields, line):
        self.type = rtype
        self.fields = fields  # dict, insertion-ordered
        self.line = line
        self.children = []

    def get(self, key, default=""):
        return self.fields.get(key, default)


def is_control(ch):
    cp = ord(ch)
    return cp < 0x20 or 0x7F <= cp <= 0x9F


class LineError(Exception):
    pass


def lex_fields(text):
    """Lexes `*(SP field)` after the type; returns [(key, value)] or raises LineError."""
    fields = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == "\t":
            raise LineError("tab between fields")
        while i < n and text[i] == " ":
            i += 1
        if i < n and text[i] == "\t":
            raise LineError("tab between fields")
        start = i
        while i < n and text[i] not in "= \t":
            i += 1
        key = text[start:i]
        if not key or not NAME.match(key):
            raise LineError(f"bad key {key!r}")
        if i >= n or text[i] != "=":
            raise LineError(f"{key} has no value")
        i += 1
        if i < n and text[i] == '"':
            i += 1
            out = []
            while True:
                if i >= n:
                    raise LineError(f"unterminated quoted value of {key}")
                ch = text[i]
                if ch == '"':
                    i += 1
                    break
                if ch == "\\":
                    if i + 1 >= n:
                        raise LineError(f"unterminated quoted value of {key}")
                    esc = text[i + 1]
                    if esc not in '"\\nt':
                        raise LineError(f"bad escape \\{esc} in {key}")
                    out.append({"n": "\n", "t": "\t"}.get(esc, esc))
                    i += 2
                    continue
                if is_control(ch):
                    raise LineError(f"control character U+{ord(ch):04X} in {key}")
                out.append(ch)
                i += 1
            if i < n and text[i] != " ":
                raise LineError(f"text right after the closing quote of {key}")
            value = "".join(out)
        else:
            start = i
            while i < n and text[i] != " ":
                ch = text[i]
                if ch == "\t" or ch == '"' or ch == "=" or is_control(ch):
                    raise LineError(f"bad character {ch!r} in the bare value of {key}")
                i += 1
            value = text[start:i]
        fields.append((key, value))
    return fields


UNREADABLE = Record("", {}, 0)  # the parent of children that follow a bad top-level line


def parse_blp(data, schema, errors, label):
    """Parses a BLP/1 document (bytes). Returns top-level records with their children attached."""
    records = []
    parent = None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for number, raw in enumerate(lines, start=1):
        where = f"{label}:{number}"
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if len(raw) > MAX_LINE_BYTES:
            errors.append(f"{where}: line longer than {MAX_LINE_BYTES} bytes")
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.append(f"{where}: invalid UTF-8 ({exc.reason})")
            continue
        line = line.strip(" \t")
        if not line or line.startswith("#"):
            continue
        m = re.match(r"[a-z][a-z0-9_]*(?=[ \t]|\Z)", line)
        if not m or m.group(0) not in schema:
            errors.append(f"{where}: unknown record type {line.split(' ')[0]!r}")
            parent = UNREADABLE  # its children are most likely this line's; not reported as orphans
            continue
        rtype = m.group(0)
        keys, parent_type = schema[rtype]
        if parent_type is None:
            parent = UNREADABLE  # until this line proves good: its children never go to an earlier record
        try:
            pairs = lex_fields(line[m.end():])
        except LineError as exc:
            errors.append(f"{where}: {exc}")
            continue
        fields, bad = {}, False
        for key, value in pairs:
            if key not in keys:
                errors.append(f"{where}: unknown key {key!r} for {rtype}")
                bad = True
            elif key in fields:
                errors.append(f"{where}: repeated key {key!r}")
                bad = True
            else:
                fields[key] = value
        record = Record(rtype, fields, number)
        if parent_type is None:
            if not bad:
                parent = record
                records.append(record)
        elif parent is not UNREADABLE:
            if parent is None or parent.type != parent_type:
                errors.append(f"{where}: {rtype} must follow the {parent_type} it belongs to")
            elif not bad:
                parent.children.append(record)
    return records


# --------------------------------------------------------------------------------------------
# Exact numbers: money in fen, quantities in ten-thousandths, percentages in hundredths.
# --------------------------------------------------------------------------------------------

def parse_scaled(text, decimals):
    m = re.fullmatch(r"(-?)([0-9]+)(?:\.([0-9]{1,%d}))?" % decimals, text)
    if not m:
        return None
    frac = (m.group(3) or "").ljust(decimals, "0")
    value = int(m.group(2)) * 10 ** decimals + int(frac or "0")
    return -value if m.group(1) else value


def yuan(text):
    """Decimal yuan (at most two decimals) -> fen."""
    return parse_scaled(text, 2)


def wan_to_fen(text):
    """万元 with up to two decimals (as the reference prints) -> fen; '' and '--' are 0."""
    text = text.strip()
    if text in ("", "--"):
        return 0
    value = parse_scaled(text, 2)
    if value is None:
        raise ValueError(f"not a 万元 amount: {text!r}")
    return value * 10000


def round_half_up(value, unit):
    """value / unit rounded half-up (away from zero), for integers."""
    q, r = divmod(abs(value), unit)
    if 2 * r >= unit:
        q += 1
    return -q if value < 0 else q


def wan(fen):
    """fen -> '1012.49' (万元, two decimals, rounded half-up once)."""
    hundredths = round_half_up(fen, 10000)
    sign = "-" if hundredths < 0 else ""
    return f"{sign}{abs(hundredths) // 100}.{abs(hundredths) % 100:02d}"


def signed_wan(fen):
    text = wan(fen)
    return text if text.startswith("-") else "+" + text


def qty_times_price(qty_e4, price_fen):
    """quantity × unit price rounded half-up to the fen."""
    return round_half_up(qty_e4 * price_fen, 10000)


# --------------------------------------------------------------------------------------------
# Entries and their validation (V1–V6).
# --------------------------------------------------------------------------------------------

SOURCES = ("general", "fund", "state_capital", "special", "other")
OUTCOME_LEVELS = {"效果指标", "效益指标", "满意度指标"}
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}\Z")
CATALOG = re.compile(r"[ABC][0-9]{2,}\Z")
THREE_PUBLIC = {"abroad": "30212", "vehicle_purchase": "31013", "vehicle_operation": "30231", "reception": "30217"}


class Entry:
    pass


def build_entries(records, errors, label):
    entries, seen = [], set()
    for rec in records:
        where = f"{label}:{rec.line}"
        e = Entry()
        e.line = rec.line
        e.code, e.name, e.kind, e.func = rec.get("code"), rec.get("name"), rec.get("kind"), rec.get("func")
        e.purpose, e.goals = rec.get("purpose"), rec.get("goals")
        e.sources = {}
        for key in SOURCES:
            text = rec.get(key)
            if text == "":
                e.sources[key] = 0
                continue
            if not re.fullmatch(r"[0-9]+\.[0-9]{2}", text):
                errors.append(f"{where}: {key}={text!r}: this sample writes money as yuan with two decimals")
            value = yuan(text)
            if value is None:
                errors.append(f"{where}: V1 bad amount {key}={text!r}")
                value = 0
            if value < 0:
                errors.append(f"{where}: V1 {key} is negative")
            e.sources[key] = value
        e.amount = sum(e.sources.values())
        e.fiscal = e.sources["general"] + e.sources["fund"] + e.sources["state_capital"]
        if not 0 < e.amount <= 10 ** 14:
            errors.append(f"{where}: V1 amount must be > 0 and ≤ 10¹² yuan")
        # V6 identity
        if not CODE.match(e.code):
            errors.append(f"{where}: V6 bad code {e.code!r}")
        if e.code in seen:
            errors.append(f"{where}: V6 code {e.code} repeated in the year")
        seen.add(e.code)
        if not e.name.strip() or len(e.name) > 200 or any(
                unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in e.name):
            errors.append(f"{where}: V6 bad name {e.name!r}")
        if not re.fullmatch(r"[0-9]{3,7}", e.func):
            errors.append(f"{where}: V6 func must be 3–7 digits, not {e.func!r}")
        if e.kind not in ("personnel", "operation", "project"):
            errors.append(f"{where}: bad kind {e.kind!r}")
        # Children.
        e.items, e.indicators, e.procurement = [], [], []
        for child in rec.children:
            cw = f"{label}:{child.line}"
            if child.type == "item":
                amount_text = child.get("amount")
                amount = yuan(amount_text)
                if amount is None or not re.fullmatch(r"[0-9]+\.[0-9]{2}", amount_text):
                    errors.append(f"{cw}: bad item amount {amount_text!r}")
                    amount = 0
                if not re.fullmatch(r"[0-9]{3,7}", child.get("econ")):
                    errors.append(f"{cw}: bad econ {child.get('econ')!r}")
                e.items.append((child.get("econ"), amount))
            elif child.type == "indicator":
                e.indicators.append(tuple(child.get(k) for k in ("l1", "l2", "l3", "desc", "value", "basis")))
            elif child.type == "procurement":
                qty = parse_scaled(child.get("qty"), 4)
                price = yuan(child.get("price"))
                if qty is None or qty <= 0:
                    errors.append(f"{cw}: V5 quantity must be > 0, not {child.get('qty')!r}")
                    qty = 0
                if price is None or price < 0 or not re.fullmatch(r"[0-9]+\.[0-9]{2}", child.get("price")):
                    errors.append(f"{cw}: V5 bad price {child.get('price')!r}")
                    price = 0
                if not CATALOG.match(child.get("catalog")):
                    errors.append(f"{cw}: V5 catalog {child.get('catalog')!r} is not ^[ABC][0-9]{{2,}}$")
                if not child.get("item").strip() or not child.get("unit").strip():
                    errors.append(f"{cw}: V5 procurement item and unit are required")
                e.procurement.append({"item": child.get("item"), "catalog": child.get("catalog"),
                                      "unit": child.get("unit"), "qty": qty, "price": price,
                                      "amount": qty_times_price(qty, price)})
        # V2
        if e.items and sum(a for _, a in e.items) != e.amount:
            errors.append(f"{where}: V2 items sum to {sum(a for _, a in e.items)} fen, amount is {e.amount}")
        # V3
        plan_text = rec.get("plan")
        e.plan = [parse_scaled(p, 2) for p in plan_text.split(",")] if plan_text else []
        if e.kind == "project":
            if len(e.plan) != 4 or None in e.plan or any(not 0 <= p <= 10000 for p in e.plan) \
                    or e.plan != sorted(e.plan) or e.plan[-1] != 10000:
                errors.append(f"{where}: V3 bad plan {plan_text!r}")
            # V4
            levels = {i[0].strip() for i in e.indicators}
            if not e.goals.strip() or "产出指标" not in levels or not levels & OUTCOME_LEVELS:
                errors.append(f"{where}: V4 goals and an output and an outcome indicator are required")
        elif e.plan:
            errors.append(f"{where}: V3 only projects have a plan")
        # V5 total
        e.procurement_total = sum(p["amount"] for p in e.procurement)
        if e.procurement_total > e.amount:
            errors.append(f"{where}: V5 procurement total exceeds the amount")
        entries.append(e)
    return entries


# --------------------------------------------------------------------------------------------
# The reference document: headline figures, the six project tables, the procurement table.
# --------------------------------------------------------------------------------------------

def reference_cells(lines):
    """Table cells of a block of lines: a tab-led line starts a cell (text after the tab);
    a following non-empty line without a tab continues it."""
    cells = []
    for line in lines:
        if line.startswith("\t"):
            cells.append(line[1:].strip())
        elif line.strip() and cells:
            cells[-1] += "\n" + line.strip()
    return cells


def after(cells, label, start=0):
    i = cells.index(label, start)
    return cells[i + 1], i + 1


def read_reference_projects(text):
    lines = text.split("\n")
    heads = [i for i, l in enumerate(lines) if re.search(r"\d+、.+绩效目标表$", l)]
    end = next(i for i, l in enumerate(lines) if l.startswith("第六部分"))
    projects = []
    for n, h in enumerate(heads):
        block = lines[h + 1:(heads[n + 1] if n + 1 < len(heads) else end)]
        cells = reference_cells(block)
        p = {"unit": cells[0]}
        p["code"], _ = after(cells, "项目编码")
        p["name"], _ = after(cells, "项目名称")
        amount, _ = after(cells, "预算数")
        fiscal, _ = after(cells, "其中：财政资金")
        other, i = after(cells, "其他资金")
        p["amount"], p["fiscal"], p["other"] = wan_to_fen(amount), wan_to_fen(fiscal), wan_to_fen(other)
        j = cells.index("资金支出计划（%）")
        p["purpose"] = next(c for c in cells[i + 1:j] if c)
        k = cells.index("12月底")
        p["plan"] = [parse_scaled(c, 2) for c in cells[k + 1:] if c][:4]
        p["goals"], _ = after(cells, "绩效目标")
        k = cells.index("指标值确定依据")
        rows = cells[k + 1:]
        if len(rows) % 6:
            raise ValueError(f"indicator cells of {p['code']} are not rows of six")
        indicators, l1 = [], ""
        for r in range(0, len(rows), 6):
            row = rows[r:r + 6]
            l1 = row[0] or l1  # an empty 一级指标 cell continues the one above (merged cells)
            indicators.append((l1, *row[1:]))
        p["indicators"] = indicators
        projects.append(p)
    return projects


def read_reference_procurement(text):
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("第六部分"))
    end = next(i for i, l in enumerate(lines) if l.startswith("第七部分"))
    rows, row = [], []
    for line in lines[start:end] + [""]:
        if line.startswith("\t"):
            row.append(line[1:].strip())
        elif not line.strip():
            if row:
                rows.append(row)
            row = []
    items, subtotal = [], None
    for r in rows:
        if r[0].endswith("小计"):
            subtotal = wan_to_fen(next(c for c in r[1:] if c))
        elif len(r) >= 8 and CATALOG.match(r[3]):
            items.append({"source": r[0], "budget": wan_to_fen(r[1]), "item": r[2], "catalog": r[3],
                          "unit": r[4], "qty": parse_scaled(r[5], 4), "price": wan_to_fen(r[6]),
                          "amount": wan_to_fen(r[7])})
    m = re.search(r"安排政府采购预算([0-9.]+)万元", text)
    return items, subtotal, wan_to_fen(m.group(1)) if m else None


def read_reference_figures(text):
    """The headline figures the assertions below hard-code, read from the text to check them."""
    pats = {
        "income.total": r"2020年预算收入为([0-9.]+)万元",
        "income.general": r"一般公共预算收入([0-9.]+)万元",
        "expenditure.basic": r"\n基本支出([0-9.]+)万元",
        "expenditure.personnel": r"人员经费([0-9.]+)万元",
        "expenditure.operation": r"日常公用经费([0-9.]+)万元",
        "expenditure.project": r"项目支出 ?([0-9.]+)万元",
        "change.total": r"较上年增加([0-9.]+)万元",
        "change.basic": r"基本支出增加([0-9.]+)万元",
        "change.project": r"项目支出增加([0-9.]+)万元",
        "operating_costs.total": r"机关运行经费安排([0-9.]+)万元",
        "operating_costs.office": r"办公费([0-9.]+)万元",
        "operating_costs.post": r"邮电费([0-9.]+)万元",
        "operating_costs.union_welfare": r"工会经费、福利费([0-9.]+)万元",
        "operating_costs.vehicle_operation": r"公务用车运行维护费([0-9.]+)万元",
        "operating_costs.other": r"其他支出([0-9.]+)万元",
        "procurement.total": r"安排政府采购预算([0-9.]+)万元",
    }
    found = {}
    for key, pat in pats.items():
        m = re.search(pat, text)
        if m:
            found[key] = wan(wan_to_fen(m.group(1)))
    # The 三公 table: label cell, 2019, 2020, change, reason.
    cells = reference_cells(text.split("\n"))
    for key, label in [("abroad", "因公出国经费"), ("vehicle_purchase", "公务用车购置经费"),
                       ("vehicle_operation", "公务用车运行经费"), ("reception", "公务接待费支出"),
                       ("total", "合计")]:
        i = cells.index(label)
        found[f"three_public.previous.{key}"] = wan(wan_to_fen(cells[i + 1]))
        found[f"three_public.current.{key}"] = wan(wan_to_fen(cells[i + 2]))
        found[f"three_public.change.{key}"] = wan(wan_to_fen(cells[i + 3]))
        found[f"three_public.reason.{key}"] = cells[i + 4]
    return found


# --------------------------------------------------------------------------------------------
# The Swift fixture (Tests/WorkflowFixtures/ReferenceProjects.swift).
# --------------------------------------------------------------------------------------------

SWIFT_STRING = r'"((?:[^"\\]|\\.)*)"'


def swift_unescape(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def read_fixture(text):
    drafts = []
    for block in re.findall(r"= EntryDraft\((.*?)\n    \)\n", text, re.S):
        def s(label):
            m = re.search(label + r":\s*" + SWIFT_STRING, block)
            return swift_unescape(m.group(1)) if m else ""
        d = {"code": s("code"), "name": s("name"), "func": s("functionCode"),
             "purpose": s("purpose"), "goals": s("goals")}
        d["kind"] = re.search(r"kind:\s*\.(\w+)", block).group(1)
        d["general"] = yuan(re.search(r"FundingSources\(general:\s*yuan\(" + SWIFT_STRING, block).group(1))
        d["plan"] = [int(x) * 100 for x in re.search(r"plan\(([\d,\s]+)\)", block).group(1).split(",")]
        d["items"] = [(econ, yuan(a)) for econ, a in re.findall(
            r"EntryItem\(econ:\s*" + SWIFT_STRING + r",\s*amount:\s*yuan\(" + SWIFT_STRING, block)]
        d["indicators"] = [tuple(swift_unescape(x) for x in m) for m in re.findall(
            r"Indicator\(" + r",\s*".join(k + r":\s*" + SWIFT_STRING
                                          for k in ("l1", "l2", "l3", "desc", "value", "basis")), block)]
        d["procurement"] = [{"item": swift_unescape(i), "catalog": c, "unit": swift_unescape(u),
                             "qty": int(q) * 10000, "price": yuan(p)} for i, c, u, q, p in re.findall(
            r"ProcurementItem\(item:\s*" + SWIFT_STRING + r",\s*catalog:\s*" + SWIFT_STRING
            + r",\s*unit:\s*" + SWIFT_STRING + r",\s*quantity:\s*Quantity\((\d+)\),\s*price:\s*yuan\("
            + SWIFT_STRING, block)]
        drafts.append(d)
    return drafts


# --------------------------------------------------------------------------------------------
# The check.
# --------------------------------------------------------------------------------------------

# The reference's figures (万元), SPEC §8.
EXPECTED = {
    "income.total": "1012.49", "income.general": "1012.49", "income.fund": "0.00",
    "income.state_capital": "0.00", "income.special": "0.00", "income.other": "0.00",
    "expenditure.total": "1012.49", "expenditure.basic": "835.07", "expenditure.personnel": "723.13",
    "expenditure.operation": "111.94", "expenditure.project": "177.42",
    "operating_costs.total": "111.94", "operating_costs.office": "5.10", "operating_costs.post": "23.58",
    "operating_costs.union_welfare": "13.18", "operating_costs.vehicle_operation": "24.00",
    "operating_costs.other": "46.08",
    "three_public.current.abroad": "0.00", "three_public.current.vehicle_purchase": "0.00",
    "three_public.current.vehicle_operation": "34.00", "three_public.current.reception": "20.50",
    "three_public.current.total": "54.50",
    "three_public.previous.abroad": "0.00", "three_public.previous.vehicle_purchase": "0.00",
    "three_public.previous.vehicle_operation": "34.00", "three_public.previous.reception": "20.50",
    "three_public.previous.total": "54.50",
    "three_public.change.abroad": "0.00", "three_public.change.vehicle_purchase": "0.00",
    "three_public.change.vehicle_operation": "0.00", "three_public.change.reception": "0.00",
    "three_public.change.total": "0.00",
    "procurement.total": "88.61",
    "change.total": "139.20", "change.basic": "110.28", "change.project": "28.92",
}
# Totals the sample must hit exactly (in fen), not only after rounding.
EXACT = ("income.total", "expenditure.basic", "expenditure.personnel", "expenditure.operation",
         "expenditure.project", "procurement.total")
# Where the 三公 economic codes may appear: operation entries and these project items only.
THREE_PUBLIC_PROJECT_ITEMS = {("201-0502-JBN-E5EL", "30231"), ("201-0403-JBN-TH71", "30217")}
NARRATIVE_SECTIONS = ("duties", "change_reason", "performance_goals", "safeguards", "three_public_reason", "other")
BASELINE_METRICS = ("total", "basic", "personnel", "operation", "project", "three_public.abroad",
                    "three_public.vehicle_purchase", "three_public.vehicle_operation", "three_public.reception")


class Checker:
    def __init__(self):
        self.failures = []

    def fail(self, message):
        self.failures.append(message)
        print(f"  MISMATCH {message}")

    def same(self, what, got, want):
        if got != want:
            self.fail(f"{what}: got {got!r}, want {want!r}")


def find_reference(explicit):
    if explicit:
        return Path(explicit)
    if os.environ.get("BLP_REFERENCE"):
        return Path(os.environ["BLP_REFERENCE"])
    return next((p for p in REFERENCE_CANDIDATES if p.is_file()), None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", default=str(HERE / "201002-2020.blp"))
    ap.add_argument("--disclosure", default=str(HERE / "201-2020-disclosure.blp"))
    ap.add_argument("--reference", help=f"path of {REFERENCE_NAME} (default: $BLP_REFERENCE or ../shared/reference)")
    ap.add_argument("--require-reference", action="store_true",
                    help="fail when the reference text or the Swift fixture cannot be found")
    args = ap.parse_args()
    ck = Checker()

    try:
        entries_bytes = Path(args.entries).read_bytes()
        disclosure_bytes = Path(args.disclosure).read_bytes()
    except OSError as exc:
        print(f"check.py: {exc}", file=sys.stderr)
        return 2

    # ---- parse and validate
    print("== parse and validate (BLP/1, V1–V6)")
    errors = []
    entry_records = parse_blp(entries_bytes, ENTRIES_SCHEMA, errors, Path(args.entries).name)
    entries = build_entries(entry_records, errors, Path(args.entries).name)
    disclosure_records = parse_blp(disclosure_bytes, DISCLOSURE_SCHEMA, errors, Path(args.disclosure).name)
    for e in errors:
        ck.fail(e)
    print(f"  {len(entries)} entries ({sum(len(e.items) for e in entries)} items, "
          f"{sum(len(e.indicators) for e in entries)} indicators, "
          f"{sum(len(e.procurement) for e in entries)} procurement lines); "
          f"{len(disclosure_records)} disclosure records; {len(errors)} errors")

    # ---- figures
    got, exact = {}, {}

    def put(key, fen):
        exact[key] = fen
        got[key] = wan(fen)

    for src in SOURCES:
        put(f"income.{src}", sum(e.sources[src] for e in entries))
    put("income.total", sum(e.amount for e in entries))
    by_kind = {k: sum(e.amount for e in entries if e.kind == k) for k in ("personnel", "operation", "project")}
    put("expenditure.personnel", by_kind["personnel"])
    put("expenditure.operation", by_kind["operation"])
    put("expenditure.basic", by_kind["personnel"] + by_kind["operation"])
    put("expenditure.project", by_kind["project"])
    put("expenditure.total", sum(by_kind.values()))

    cats = {"office": 0, "post": 0, "union_welfare": 0, "vehicle_operation": 0, "other": 0}
    for e in entries:
        if e.kind != "operation":
            continue
        for econ, amount in (e.items or [("", e.amount)]):
            cat = {"30201": "office", "30207": "post", "30228": "union_welfare", "30229": "union_welfare",
                   "30231": "vehicle_operation"}.get(econ, "other")
            cats[cat] += amount
    put("operating_costs.total", by_kind["operation"])
    for cat, fen in cats.items():
        put(f"operating_costs.{cat}", fen)

    current = {k: sum(a for e in entries for econ, a in e.items if econ == code) for k, code in THREE_PUBLIC.items()}
    current["total"] = sum(current.values())
    for k, fen in current.items():
        put(f"three_public.current.{k}", fen)

    baseline, narratives = {}, {}
    for rec in disclosure_records:
        if rec.type == "baseline":
            metric, value = rec.get("metric"), yuan(rec.get("amount"))
            if metric not in BASELINE_METRICS or value is None or value < 0:
                ck.fail(f"baseline line {rec.line}: bad metric or amount")
            elif metric in baseline:
                ck.fail(f"baseline line {rec.line}: {metric} given twice")
            baseline[metric] = value or 0
        else:
            section = rec.get("section")
            if section not in NARRATIVE_SECTIONS or not rec.get("text").strip():
                ck.fail(f"narrative line {rec.line}: bad section or empty text")
            elif section in narratives:
                ck.fail(f"narrative line {rec.line}: {section} given twice")
            narratives[section] = rec.get("text")
    for m in BASELINE_METRICS:
        if m not in baseline:
            ck.fail(f"baseline {m} missing")
            baseline[m] = 0
    for s in NARRATIVE_SECTIONS:
        if s not in narratives:
            ck.fail(f"narrative {s} missing")
    previous = {k: baseline[f"three_public.{k}"] for k in THREE_PUBLIC}
    previous["total"] = sum(previous.values())
    for k, fen in previous.items():
        put(f"three_public.previous.{k}", fen)
        put(f"three_public.change.{k}", current[k] - fen)
    if baseline["basic"] != baseline["personnel"] + baseline["operation"]:
        ck.fail("baseline basic != personnel + operation")
    if baseline["total"] != baseline["basic"] + baseline["project"]:
        ck.fail("baseline total != basic + project")
    change = {"total": exact["income.total"] - baseline["total"],
              "basic": exact["expenditure.basic"] - baseline["basic"],
              "project": exact["expenditure.project"] - baseline["project"]}
    for k, fen in change.items():
        put(f"change.{k}", fen)
    put("procurement.total", sum(e.procurement_total for e in entries))

    # ---- print (万元)
    print("== figures (万元)")
    print(f"  income        total {got['income.total']}  general {got['income.general']}  fund {got['income.fund']}"
          f"  state_capital {got['income.state_capital']}  special {got['income.special']}  other {got['income.other']}")
    print(f"  expenditure   total {got['expenditure.total']}  basic {got['expenditure.basic']}"
          f" (personnel {got['expenditure.personnel']}, operation {got['expenditure.operation']})"
          f"  project {got['expenditure.project']}")
    print(f"  change        total {signed_wan(change['total'])}  basic {signed_wan(change['basic'])}"
          f"  project {signed_wan(change['project'])}"
          f"   (2019: total {wan(baseline['total'])}, basic {wan(baseline['basic'])}"
          f" = personnel {wan(baseline['personnel'])} + operation {wan(baseline['operation'])},"
          f" project {wan(baseline['project'])})")
    print(f"  机关运行经费  total {got['operating_costs.total']}: 办公费 {got['operating_costs.office']}"
          f" / 邮电费 {got['operating_costs.post']} / 工会经费福利费 {got['operating_costs.union_welfare']}"
          f" / 公务用车运行维护费 {got['operating_costs.vehicle_operation']} / 其他 {got['operating_costs.other']}")
    for when in ("previous", "current", "change"):
        print(f"  三公 {when:<9} 因公出国 {got[f'three_public.{when}.abroad']} / 公务用车购置"
              f" {got[f'three_public.{when}.vehicle_purchase']} / 公务用车运行 {got[f'three_public.{when}.vehicle_operation']}"
              f" / 公务接待 {got[f'three_public.{when}.reception']} / 合计 {got[f'three_public.{when}.total']}")
    print(f"  procurement   total {got['procurement.total']}")
    print("  projects      code               amount  fiscal  procurement  name")
    for e in entries:
        if e.kind == "project":
            print(f"                {e.code:<18} {wan(e.amount):>6}  {wan(e.fiscal):>6}  {wan(e.procurement_total):>11}  {e.name}")
    for e in entries:
        if e.kind != "project" and e.procurement:
            print(f"  ({e.kind} {e.code} {e.name} {wan(e.amount)}: procurement {wan(e.procurement_total)})")

    # ---- assertions against the reference figures
    print("== assertions against the reference figures")
    for key, want in EXPECTED.items():
        ck.same(key, got[key], want)
    for key in EXACT:
        if exact[key] != wan_to_fen(EXPECTED[key]):
            ck.fail(f"{key} is not exactly {EXPECTED[key]}万元 ({exact[key]} fen)")
    if sum(1 for e in entries if e.kind == "project") != 8:
        ck.fail("expected eight projects")
    for e in entries:
        for econ, _ in e.items:
            if econ in THREE_PUBLIC.values() and e.kind != "operation" and (e.code, econ) not in THREE_PUBLIC_PROJECT_ITEMS:
                ck.fail(f"{e.code} has a 三公 item {econ} the sample does not account for")
    if narratives.get("three_public_reason") != "无增减变化":
        ck.fail("three_public_reason should be 无增减变化")
    print(f"  {len(EXPECTED)} figures checked")

    # ---- the reference text itself
    ref_path = find_reference(args.reference)
    if ref_path is None or not ref_path.is_file():
        print(f"== reference text not found ({REFERENCE_NAME}); SKIPPED the comparison with it")
        if args.require_reference:
            ck.fail("reference text not found")
    else:
        print(f"== comparison with the reference text ({ref_path})")
        text = ref_path.read_text(encoding="utf-8")
        figures = read_reference_figures(text)
        for key, value in figures.items():
            if key.startswith("three_public.reason."):
                ck.same(key, narratives.get("three_public_reason"), value)
            else:
                ck.same(f"reference {key} vs EXPECTED", EXPECTED.get(key), value)
        print(f"  {len(figures)} headline figures of the text agree with the expected figures")

        by_code = {e.code: e for e in entries}
        projects = read_reference_projects(text)
        ck.same("number of project tables", len(projects), 6)
        for p in projects:
            e = by_code.get(p["code"])
            if e is None:
                ck.fail(f"project {p['code']} missing")
                continue
            ck.same(f"{p['code']} unit", p["unit"], "201002区委办（行政）")
            ck.same(f"{p['code']} kind", e.kind, "project")
            ck.same(f"{p['code']} name", e.name, p["name"])
            ck.same(f"{p['code']} amount", e.amount, p["amount"])
            ck.same(f"{p['code']} fiscal", e.fiscal, p["fiscal"])
            ck.same(f"{p['code']} other funds", e.amount - e.fiscal, p["other"])
            ck.same(f"{p['code']} purpose", e.purpose, p["purpose"])
            ck.same(f"{p['code']} plan", e.plan, p["plan"])
            ck.same(f"{p['code']} goals", e.goals, p["goals"])
            ck.same(f"{p['code']} indicators", e.indicators, p["indicators"])
            print(f"  {p['code']} {p['name']}: {wan(p['amount'])}, plan, goals, {len(p['indicators'])} indicators agree")

        items, subtotal, stated = read_reference_procurement(text)
        ck.same("procurement table subtotal", subtotal, exact["procurement.total"])
        ck.same("procurement stated total", stated, exact["procurement.total"])
        ck.same("procurement table total of lines", sum(i["amount"] for i in items), exact["procurement.total"])
        ours = [(e, p) for e in entries for p in e.procurement]
        ck.same("number of procurement lines", len(ours), len(items))
        for r in items:
            match = [(e, p) for e, p in ours if e.name == r["source"] and e.amount == r["budget"]
                     and all(p[k] == r[k] for k in ("item", "catalog", "unit", "qty", "price", "amount"))]
            if len(match) != 1:
                ck.fail(f"procurement line {r['source']} / {r['item']} {r['catalog']} not found exactly once")
            else:
                ours.remove(match[0])
                print(f"  procurement {r['item']} {r['catalog']} {r['qty'] // 10000}{r['unit']} × {wan(r['price'])}"
                      f" = {wan(r['amount'])} on {match[0][0].code} ({r['source']} {wan(r['budget'])}) agrees")

        lines = {l.strip() for l in text.split("\n")}
        for section in ("duties", "performance_goals", "safeguards"):
            missing = [l for l in narratives.get(section, "").split("\n") if l.strip() not in lines]
            if missing:
                ck.fail(f"narrative {section}: lines not in the reference: {missing[:2]}")
        if narratives.get("change_reason", "") not in text:
            ck.fail("narrative change_reason is not the reference's text")
        print("  narratives duties, change_reason, performance_goals, safeguards are the reference's text")

    # ---- the Swift fixture
    if not FIXTURE.is_file():
        print(f"== {FIXTURE.name} not found; SKIPPED the comparison with it")
        if args.require_reference:
            ck.fail("Swift fixture not found")
    else:
        print(f"== comparison with {FIXTURE.relative_to(REPO)}")
        by_code = {e.code: e for e in entries}
        drafts = read_fixture(FIXTURE.read_text(encoding="utf-8"))
        ck.same("number of fixtures", len(drafts), 6)
        for d in drafts:
            e = by_code.get(d["code"])
            if e is None:
                ck.fail(f"fixture {d['code']} missing")
                continue
            for key, ours in [("name", e.name), ("kind", e.kind), ("func", e.func), ("purpose", e.purpose),
                              ("goals", e.goals), ("plan", e.plan), ("items", e.items),
                              ("indicators", e.indicators)]:
                ck.same(f"fixture {d['code']} {key}", ours, d[key])
            ck.same(f"fixture {d['code']} general", e.sources["general"], d["general"])
            ck.same(f"fixture {d['code']} amount", e.amount, d["general"])
            ck.same(f"fixture {d['code']} procurement",
                    [{k: p[k] for k in ("item", "catalog", "unit", "qty", "price")} for p in e.procurement],
                    d["procurement"])
        print(f"  {len(drafts)} fixtures compared field by field")

    if ck.failures:
        print(f"FAILED: {len(ck.failures)} mismatches")
        return 1
    print("OK: the sample reproduces the reference's figures")
    return 0


if __name__ == "__main__":
    sys.exit(main())
