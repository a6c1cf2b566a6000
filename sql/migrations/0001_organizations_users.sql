-- Organizations (departments and their budget units), users and their bearer tokens.

CREATE TABLE organizations (
    code        text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z][0-9A-Za-z_.-]{0,31}$'),
    name        text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    kind        text NOT NULL CHECK (kind IN ('department', 'unit')),
    parent_code text,
    -- Lets a foreign key require that a unit's parent is a department.
    parent_kind text GENERATED ALWAYS AS (CASE WHEN parent_code IS NULL THEN NULL ELSE 'department' END) STORED,
    nature      text,   -- 行政 / 事业
    level       text,   -- 正科 …
    funding     text,   -- 财政拨款 …
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organizations_code_kind_key UNIQUE (code, kind),
    CONSTRAINT organizations_unit_has_parent CHECK ((kind = 'unit') = (parent_code IS NOT NULL)),
    CONSTRAINT organizations_parent_is_department
        FOREIGN KEY (parent_code, parent_kind) REFERENCES organizations (code, kind)
);
CREATE INDEX organizations_parent_idx ON organizations (parent_code);

CREATE TABLE users (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL UNIQUE CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$'),
    role       text NOT NULL CHECK (role IN ('officer', 'department_reviewer', 'finance_reviewer', 'auditor', 'admin')),
    org_code   text REFERENCES organizations (code),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz,
    -- Officers belong to a unit and department reviewers to a department (checked by the service).
    CONSTRAINT users_scoped_roles_have_org CHECK (role NOT IN ('officer', 'department_reviewer') OR org_code IS NOT NULL)
);

-- Only a SHA-256 of each token is stored; the token itself is shown once when issued.
CREATE TABLE api_tokens (
    id         bigserial PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id),
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    revoked_at timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);
