-- Guessing limits and write health.
--
-- throttles.failures now counts attempts taken before they are evaluated (a failure until
-- settled); see store/throttle.rs. No change of columns is needed for that.
--
-- The previous Recovery Key's hash, kept for a few minutes after it was used, so that the
-- loser of a double-submitted key is told it was just used instead of counting as a wrong
-- guess.
ALTER TABLE recovery_keys ADD COLUMN previous_hash TEXT;
ALTER TABLE recovery_keys ADD COLUMN previous_used_at BIGINT;

-- One row that /healthz updates to find out whether the database can be written.
CREATE TABLE health_probe (
    id BIGINT PRIMARY KEY,
    checked_at BIGINT NOT NULL
);
INSERT INTO health_probe (id, checked_at) VALUES (1, 0);
