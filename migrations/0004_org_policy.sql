-- Organization policy: "Require Two-Factor Authentication". require_2fa_since is when it was
-- turned on (NULL: off); members without an allowed method must set one up once the grace
-- period after it has passed. allowed_methods is a comma-separated list of 'email' and
-- 'authenticator'. Disabled members cannot sign in.
ALTER TABLE organizations ADD COLUMN require_2fa_since BIGINT;
ALTER TABLE organizations ADD COLUMN grace_days BIGINT NOT NULL DEFAULT 0;
ALTER TABLE organizations ADD COLUMN allowed_methods TEXT NOT NULL DEFAULT 'email,authenticator';
ALTER TABLE users ADD COLUMN disabled_at BIGINT;
