-- The 批复 (二下): the finance bureau's approval of a department's budget for a year, after the
-- people's congress, and the department's approval of its units' budgets that follows it.
--
-- One row per department-year: a second 批复 is refused by the key. The department's 批复 to its
-- units is one act covering every unit of the department (the units_* columns), recorded once.
CREATE TABLE budget_approvals (
    department_code   text NOT NULL REFERENCES organizations (code),
    year              integer NOT NULL CHECK (year BETWEEN 1990 AND 2200),
    number            text NOT NULL CHECK (length(number) BETWEEN 1 AND 100),  -- 文号, e.g. 徐财预〔2020〕1号
    congress_date     date NOT NULL,          -- when the people's congress approved the year's budget
    approved_at       timestamptz NOT NULL DEFAULT now(),
    approved_by       text NOT NULL,
    units_number      text CHECK (length(units_number) BETWEEN 1 AND 100),
    units_approved_at timestamptz,
    units_approved_by text,
    PRIMARY KEY (department_code, year),
    CONSTRAINT budget_approvals_units_after CHECK (units_approved_at IS NULL OR units_approved_at >= approved_at),
    CONSTRAINT budget_approvals_units_whole CHECK ((units_approved_at IS NULL) = (units_approved_by IS NULL))
);

-- After the 批复, a new revision of an entry is a 调剂 (moving money within the unit's 批复 total)
-- or a 追加 (raising it after a control-figure change). NULL for every other revision.
ALTER TABLE entries ADD COLUMN revise_kind text CHECK (revise_kind IN ('调剂', '追加'));

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_app') THEN
        GRANT SELECT, INSERT, UPDATE ON budget_approvals TO budget_app;
    END IF;
END
$$;
