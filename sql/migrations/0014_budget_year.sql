-- The budget year (二上二下): the finance bureau's calendar of rounds, the round each entry was
-- prepared in, and the figures frozen at each milestone of the year.
--
-- A year with no row in budget_rounds runs as it did before rounds existed: one pass, no windows
-- (the data of earlier years, and a bureau that has not adopted the calendar yet).

-- One window per year and round. 一上 and 二上 are the windows in which units create and submit
-- entries; 一下 is when control figures are handed down; 二下 is the 批复 and what follows.
CREATE TABLE budget_rounds (
    year      integer NOT NULL CHECK (year BETWEEN 1990 AND 2200),
    round     text NOT NULL CHECK (round IN ('一上', '一下', '二上', '二下')),
    opens_on  date NOT NULL,
    closes_on date NOT NULL,   -- the window's last day, inclusive (Asia/Shanghai)
    closed_at timestamptz,     -- when the finance bureau closed it; NULL while open or merely past
    opened_by text NOT NULL,
    opened_at timestamptz NOT NULL DEFAULT now(),
    version   integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    PRIMARY KEY (year, round),
    CONSTRAINT budget_rounds_dates_in_order CHECK (closes_on >= opens_on)
);

-- The round an entry revision was prepared in; NULL in a year run without rounds.
ALTER TABLE entries ADD COLUMN round text CHECK (round IN ('一上', '二上'));

-- Figures frozen at a milestone: stage 一上 when 一下 starts (the units' proposals), stage 批复 at
-- the finance bureau's 批复 of the department (年初预算). A frozen revision's row in entries is
-- never edited again (only drafts are), so entry_id leads to its items and funding.
CREATE TABLE round_figures (
    year      integer NOT NULL,
    stage     text NOT NULL CHECK (stage IN ('一上', '批复')),
    code      text NOT NULL,
    unit_code text NOT NULL REFERENCES organizations (code),
    entry_id  uuid NOT NULL REFERENCES entries (id),
    revision  integer NOT NULL CHECK (revision >= 1),
    kind      text NOT NULL CHECK (kind IN ('personnel', 'operation', 'project')),
    amount    numeric(16, 2) NOT NULL CHECK (amount >= 0),
    frozen_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, stage, code)
);
CREATE INDEX round_figures_unit_idx ON round_figures (unit_code, year, stage);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_app') THEN
        GRANT SELECT, INSERT, UPDATE ON budget_rounds TO budget_app;
        GRANT SELECT, INSERT ON round_figures TO budget_app;
    END IF;
END
$$;
