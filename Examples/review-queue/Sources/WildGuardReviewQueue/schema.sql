-- WildGuard review queue, PostgreSQL 12 or later.
--
-- Listings wait in wildguard.listings with status 'pending'. Workers claim a batch with
-- SELECT ... FOR UPDATE SKIP LOCKED inside a transaction, classify it, write each decision and its
-- rationale to the same rows and copy the 'review' ones to wildguard.review_queue, then commit.
-- A worker that dies before COMMIT loses its transaction: the server rolls it back, the row locks
-- go, and the rows are pending again for the next worker. So every row is decided exactly once.
--
-- Idempotent: `wildguard-review-worker migrate` applies it at every start. Each statement ends
-- with ';' at the end of a line (the worker runs them one at a time).

CREATE SCHEMA IF NOT EXISTS wildguard;

CREATE TABLE IF NOT EXISTS wildguard.listings (
    id             bigserial PRIMARY KEY,
    -- The listing's id in the marketplace, if it has one.
    external_id    text,
    text           text NOT NULL,
    status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'decided')),
    enqueued_at    timestamptz NOT NULL DEFAULT now(),
    decision       text CHECK (decision IN ('allow', 'review', 'block')),
    score          double precision,
    deciding_rule  text,
    -- The whole decision record as `wildguard classify` writes it: reasons, matched spans,
    -- taxa with CITES appendix, policy rules, versions.
    rationale      jsonb,
    -- Taxonomy and policy content hash: the same fingerprint reproduces the decision.
    fingerprint    text,
    decided_by     text,
    decided_at     timestamptz,
    -- How many times a decision was written for this row. Exactly once means 1; it is here so
    -- that a double decision would show, rather than silently overwrite the first.
    decision_count integer NOT NULL DEFAULT 0,
    CHECK ((status = 'pending') = (decision IS NULL))
);

-- Claiming scans only the pending rows, in id order, however many are decided.
CREATE INDEX IF NOT EXISTS listings_pending ON wildguard.listings (id) WHERE status = 'pending';

CREATE TABLE IF NOT EXISTS wildguard.review_queue (
    -- One review per listing: a second insert for the same listing fails and rolls the whole
    -- batch back, rather than queueing the listing twice.
    listing_id    bigint PRIMARY KEY REFERENCES wildguard.listings (id) ON DELETE CASCADE,
    score         double precision NOT NULL,
    deciding_rule text,
    rationale     jsonb NOT NULL,
    queued_at     timestamptz NOT NULL DEFAULT now(),
    -- For the moderators' tool.
    assigned_to   text,
    resolved_at   timestamptz,
    resolution    text CHECK (resolution IN ('allow', 'block'))
);

CREATE INDEX IF NOT EXISTS review_queue_open ON wildguard.review_queue (queued_at) WHERE resolved_at IS NULL;
