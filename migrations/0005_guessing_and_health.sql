-- Guessing limits and write health.
--
-- throttles.failures now counts attempts taken before they are compared (each a failure until
-- it is settled); see store/throttle.rs. That needs no new column.

-- The Recovery Key each user used last, as its keyed hash, so that the loser of a
-- double-submitted key is told it was just used instead of being counted as a wrong guess.
CREATE TABLE used_recovery_keys (
    user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    key_hash TEXT NOT NULL,
    used_at BIGINT NOT NULL
);

-- One row that /healthz updates to find out whether the database can be written.
CREATE TABLE health_probe (
    id BIGINT PRIMARY KEY,
    checked_at BIGINT NOT NULL,
    probes BIGINT NOT NULL
);
INSERT INTO health_probe (id, checked_at, probes) VALUES (1, 0, 0);
