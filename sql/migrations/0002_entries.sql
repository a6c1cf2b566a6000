-- Budget entries (one row per revision), their items, indicators and procurement,
-- control figures, waivers and publications.
--
-- An entry's identity across revisions is (year, code): codes are unique per fiscal year, and a
-- revision of an approved or published entry is a new row with the same year and code.

CREATE TABLE entries (
    id            uuid PRIMARY KEY,
    year          integer NOT NULL CHECK (year BETWEEN 1990 AND 2200),
    unit_code     text NOT NULL,
    unit_kind     text NOT NULL DEFAULT 'unit' CHECK (unit_kind = 'unit'),
    code          text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
    revision      integer NOT NULL DEFAULT 1 CHECK (revision >= 1),
    supersedes    uuid REFERENCES entries (id),
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind          text NOT NULL CHECK (kind IN ('personnel', 'operation', 'project')),
    func_code     text NOT NULL CHECK (func_code ~ '^[0-9]{3,7}$'),
    general       numeric(16, 2) NOT NULL DEFAULT 0 CHECK (general >= 0),
    fund          numeric(16, 2) NOT NULL DEFAULT 0 CHECK (fund >= 0),
    state_capital numeric(16, 2) NOT NULL DEFAULT 0 CHECK (state_capital >= 0),
    special       numeric(16, 2) NOT NULL DEFAULT 0 CHECK (special >= 0),
    other         numeric(16, 2) NOT NULL DEFAULT 0 CHECK (other >= 0),
    amount        numeric(16, 2) GENERATED ALWAYS AS (general + fund + state_capital + special + other) STORED,
    -- Cumulative spending plan (资金支出计划) in percent at end of March, June, October, December.
    plan          numeric(5, 2)[] NOT NULL DEFAULT '{}' CHECK (cardinality(plan) IN (0, 4)),
    purpose       text NOT NULL DEFAULT '',
    goals         text NOT NULL DEFAULT '',
    state         text NOT NULL DEFAULT 'draft' CHECK (state IN
                      ('draft', 'department_review', 'finance_review', 'approved', 'published', 'discarded', 'superseded')),
    version       integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    revise_reason text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    approved_at   timestamptz,
    published_at  timestamptz,
    CONSTRAINT entries_unit_fkey FOREIGN KEY (unit_code, unit_kind) REFERENCES organizations (code, kind),
    CONSTRAINT entries_year_code_revision_key UNIQUE (year, code, revision),
    CONSTRAINT entries_amount_limit CHECK (amount <= 1000000000000)
);
-- At most one revision of an entry is being worked on, and at most one is approved or published.
CREATE UNIQUE INDEX entries_one_open_revision ON entries (year, code)
    WHERE state IN ('draft', 'department_review', 'finance_review');
CREATE UNIQUE INDEX entries_one_approved_revision ON entries (year, code) WHERE state = 'approved';
CREATE UNIQUE INDEX entries_one_published_revision ON entries (year, code) WHERE state = 'published';
-- Keyset paging and the common filters.
CREATE INDEX entries_unit_year_idx ON entries (unit_code, year, id);
CREATE INDEX entries_year_state_idx ON entries (year, state, id);
CREATE INDEX entries_state_updated_idx ON entries (state, updated_at, id);

CREATE TABLE entry_items (
    entry_id uuid NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position >= 0),
    econ     text NOT NULL CHECK (econ ~ '^[0-9]{3,7}$'),   -- 支出经济分类
    amount   numeric(16, 2) NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (entry_id, position)
);

CREATE TABLE entry_indicators (
    entry_id uuid NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position >= 0),
    l1       text NOT NULL,   -- 一级指标
    l2       text NOT NULL,
    l3       text NOT NULL,
    descr    text NOT NULL,
    value    text NOT NULL,   -- as written, e.g. ≥95百分比
    basis    text NOT NULL,
    PRIMARY KEY (entry_id, position)
);

CREATE TABLE entry_procurement (
    entry_id uuid NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
    position integer NOT NULL CHECK (position >= 0),
    item     text NOT NULL,
    catalog  text NOT NULL,   -- 政府采购品目, A goods / B works / C services
    unit     text NOT NULL,
    quantity numeric(18, 4) NOT NULL CHECK (quantity > 0),
    price    numeric(16, 2) NOT NULL CHECK (price >= 0),
    amount   numeric(16, 2) NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (entry_id, position)
);

-- 控制数: the finance bureau's ceiling for a unit-year.
CREATE TABLE control_figures (
    unit_code text NOT NULL REFERENCES organizations (code),
    year      integer NOT NULL,
    amount    numeric(16, 2) NOT NULL CHECK (amount >= 0),
    set_by    text NOT NULL,
    set_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (unit_code, year)
);

-- A finance-bureau waiver of one validation rule for one entry revision.
CREATE TABLE waivers (
    entry_id   uuid NOT NULL REFERENCES entries (id),
    rule       text NOT NULL CHECK (rule ~ '^V[1-7]$'),
    reason     text NOT NULL CHECK (length(btrim(reason)) > 0),
    granted_by text NOT NULL,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entry_id, rule)
);

-- Each publication of a department-year (there may be several as revisions are published).
CREATE TABLE publications (
    id              bigserial PRIMARY KEY,
    department_code text NOT NULL REFERENCES organizations (code),
    year            integer NOT NULL,
    published_by    text NOT NULL,
    published_at    timestamptz NOT NULL DEFAULT now(),
    entry_count     integer NOT NULL CHECK (entry_count >= 0),
    override_reason text
);
CREATE INDEX publications_department_year_idx ON publications (department_code, year);
