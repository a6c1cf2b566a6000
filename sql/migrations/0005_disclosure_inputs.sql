-- A department-year's disclosure inputs besides its published entries: the previous year's
-- figures when that year is not in the system (baseline), and the text sections (narrative).

CREATE TABLE disclosure_baselines (
    department_code text NOT NULL REFERENCES organizations (code),
    year            integer NOT NULL,
    metric          text NOT NULL CHECK (metric IN ('total', 'basic', 'personnel', 'operation', 'project',
                        'three_public.abroad', 'three_public.vehicle_purchase', 'three_public.vehicle_operation',
                        'three_public.reception')),
    amount          numeric(16, 2) NOT NULL CHECK (amount >= 0),
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (department_code, year, metric)
);

CREATE TABLE disclosure_narratives (
    department_code text NOT NULL REFERENCES organizations (code),
    year            integer NOT NULL,
    section         text NOT NULL CHECK (section IN ('duties', 'change_reason', 'performance_goals', 'safeguards',
                        'three_public_reason', 'other')),
    text            text NOT NULL,
    updated_by      text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (department_code, year, section)
);

-- Finds the department-years approved but not yet published (the 20-day clock).
CREATE INDEX entries_approved_idx ON entries (approved_at) WHERE state = 'approved';

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON disclosure_baselines, disclosure_narratives TO budget_app;
    END IF;
END
$$;
