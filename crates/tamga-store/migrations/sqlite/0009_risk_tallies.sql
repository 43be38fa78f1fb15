-- Hit-rate statistics maintained as they happen, per office-local day of decision and subject
-- (kind 'all', 'random', or 'profile' with its id): the decisions counted at lodgement, the
-- latest inspection outcome of each declaration counted when recorded (a later outcome
-- replaces its declaration's earlier one). Statistics then read days, not every decision.
-- Each subject's day is split over 16 shards (the declaration id modulo 16), so concurrent
-- lodgements on PostgreSQL do not all wait for one row; readers add the shards up.
CREATE TABLE risk_tallies (
    day       TEXT NOT NULL,
    kind      TEXT NOT NULL,
    profile   TEXT NOT NULL,
    shard     BIGINT NOT NULL,
    decided   BIGINT NOT NULL,
    outcomes  TEXT NOT NULL,
    PRIMARY KEY (day, kind, profile, shard)
);
