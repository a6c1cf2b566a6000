-- Structured control figures (控制数): the finance bureau's figures for a department-year and the
-- department's allocations to its units, cell by cell (by kind, by funding source, 三公经费 by
-- category, and the total).
--
-- A unit's `total` stays in control_figures (the unit-year ceiling that `budgetctl control set`
-- has always written), so nothing moves and earlier data keeps its meaning; every other cell of a
-- unit, and every cell of a department, is a row here. unit_code '' is the department's own
-- figure. Lock order of a check (see README "The budget year — control figures"): the
-- department's rows (unit_code '' sorts first), then the unit's control_figures row, then the
-- unit's rows here, each in cell order.
CREATE TABLE control_cells (
    year            integer NOT NULL CHECK (year BETWEEN 1990 AND 2200),
    department_code text NOT NULL REFERENCES organizations (code),
    unit_code       text NOT NULL DEFAULT '',
    cell            text NOT NULL CHECK (cell IN (
        'kind:personnel', 'kind:operation', 'kind:project',
        'funding:general', 'funding:fund', 'funding:state_capital', 'funding:special', 'funding:other',
        'sangong:abroad', 'sangong:vehicle_purchase', 'sangong:vehicle_operation', 'sangong:reception',
        'total')),
    amount          numeric(16, 2) NOT NULL CHECK (amount >= 0 AND amount <= 1000000000000),
    set_by          text NOT NULL,
    set_at          timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    PRIMARY KEY (year, department_code, unit_code, cell),
    -- A unit's total is its control_figures row.
    CONSTRAINT control_cells_unit_total_elsewhere CHECK (unit_code = '' OR cell <> 'total')
);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_app') THEN
        GRANT SELECT, INSERT, UPDATE ON control_cells TO budget_app;
    END IF;
END
$$;
