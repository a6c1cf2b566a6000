-- Entries keep the order in which they were first created (a batch's line order), which is the
-- order the disclosure lists projects in, as the department wrote them.
ALTER TABLE entries ADD COLUMN created_seq bigint GENERATED ALWAYS AS IDENTITY;
