-- Scale to 1,000,000 entries (bench/scale.sh; EXPLAIN in bench/scale-explain.txt).
--
-- 1. The department scope. A department reviewer's list (and `?department=`, `queue --department`)
--    filtered on the unit's department through the join to organizations (o.parent_code), which
--    no index on entries can serve in list order: PostgreSQL either walked the whole (year, code,
--    revision) order throwing away other departments' entries (codes begin with their unit's and
--    department's code, so a department late in that order waits behind all the others), or read
--    the whole department and sorted it. Entries now carry their unit's department:
--    `department_code`, kept equal to the unit's parent by a foreign key on (unit_code,
--    department_code) → organizations (code, parent_code) (MATCH FULL: never null; no ON UPDATE
--    action, as before: a unit with entries keeps its code and department, since moving its
--    published entries would rewrite a disclosure without an audit event), and filled in by a
--    trigger when an INSERT does not name it, so the writers (INSERT, COPY) stay as they are. The
--    new key implies the old one (only units have a parent), which it replaces with its
--    `unit_kind` column.
-- 2. The review queues (`budgetctl queue`), longest waiting first: ORDER BY updated_at, code,
--    per state and per department and state. The old (state, updated_at, id) index left ties on
--    updated_at (a batch submitted at once shares one) to a sort.
-- 3. The publication clock under the queue (DisclosureService.pendingPublications: approved
--    entries counted per department-year, with the oldest approval) read every approved entry's
--    row (≈ 180 ms for 20,000 approved entries at 1,000,000); a covering partial index answers it
--    from the index alone, and per unit when it is one department's.
ALTER TABLE organizations ADD CONSTRAINT organizations_code_parent_key UNIQUE (code, parent_code);

ALTER TABLE entries ADD COLUMN department_code text;
UPDATE entries e SET department_code = o.parent_code FROM organizations o WHERE o.code = e.unit_code;

CREATE FUNCTION entries_fill_department() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT parent_code INTO NEW.department_code FROM organizations WHERE code = NEW.unit_code;
    RETURN NEW;
END
$$;
CREATE TRIGGER entries_fill_department BEFORE INSERT ON entries
    FOR EACH ROW WHEN (NEW.department_code IS NULL) EXECUTE FUNCTION entries_fill_department();

ALTER TABLE entries ADD CONSTRAINT entries_unit_department_fkey FOREIGN KEY (unit_code, department_code)
    REFERENCES organizations (code, parent_code) MATCH FULL;
ALTER TABLE entries DROP CONSTRAINT entries_unit_fkey;
-- Only the old key used it (to say the code was a unit's); the new one says so by the parent.
ALTER TABLE entries DROP COLUMN unit_kind;

-- Keyset paging of a department's entries in list order.
CREATE INDEX entries_department_order_idx ON entries (department_code, year, code, revision);
-- The queues.
CREATE INDEX entries_state_waiting_idx ON entries (state, updated_at, code);
CREATE INDEX entries_department_state_waiting_idx ON entries (department_code, state, updated_at, code);
DROP INDEX entries_state_updated_idx;
CREATE INDEX entries_awaiting_publication_idx ON entries (unit_code, year) INCLUDE (approved_at) WHERE state = 'approved';
DROP INDEX entries_approved_idx;
