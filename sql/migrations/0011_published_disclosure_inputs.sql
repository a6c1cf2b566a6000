-- The disclosure inputs (baseline, narrative) a publication was cross-checked with, frozen with it.
-- The public disclosure reads the inputs of its department-year's latest publication, never the
-- working copy in disclosure_baselines / disclosure_narratives: a change there is staged and goes
-- public only through a new publication by the finance bureau, which runs the same cross-checks
-- and is audited. The application role may add snapshots but never change one.

CREATE TABLE publication_baselines (
    publication_id bigint NOT NULL REFERENCES publications (id),
    metric         text NOT NULL,
    amount         numeric(16, 2) NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (publication_id, metric)
);

CREATE TABLE publication_narratives (
    publication_id bigint NOT NULL REFERENCES publications (id),
    section        text NOT NULL,
    text           text NOT NULL,
    PRIMARY KEY (publication_id, section)
);

-- What is public today is the working copy: freeze it with each department-year's latest publication.
INSERT INTO publication_baselines (publication_id, metric, amount)
SELECT p.id, b.metric, b.amount
FROM (SELECT DISTINCT ON (department_code, year) id, department_code, year
      FROM publications ORDER BY department_code, year, id DESC) p
JOIN disclosure_baselines b ON b.department_code = p.department_code AND b.year = p.year;

INSERT INTO publication_narratives (publication_id, section, text)
SELECT p.id, n.section, n.text
FROM (SELECT DISTINCT ON (department_code, year) id, department_code, year
      FROM publications ORDER BY department_code, year, id DESC) p
JOIN disclosure_narratives n ON n.department_code = p.department_code AND n.year = p.year;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_app') THEN
        GRANT SELECT, INSERT ON publication_baselines, publication_narratives TO budget_app;
    END IF;
END
$$;
