//! One typed `Settings` from flags, `LATCHKEY_*` environment variables and an optional TOML file.
//! Precedence: flag or environment variable, then the file, then the default. Unknown keys in the
//! file are refused, and every bad value is reported with the name of its setting. Every
//! number has a range (checks.rs; the README's table lists them), and settings that contradict
//! each other are refused at start.

mod checks;

use checks::{bad, duration_within, not_above, within};
pub use checks::{open_file_limit, raise_open_file_limit};

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

use crate::domain::throttle::ThrottlePolicy;

/// A setting that could not be used, said in one sentence.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

macro_rules! settings_args {
    ($( $(#[doc = $doc:literal])* $field:ident : $ty:ty, $env:literal; )*) => {
        /// The settings every command takes: as flags, as `LATCHKEY_*` variables, or in `--config`.
        #[derive(clap::Args, Debug, Default, Clone)]
        pub struct SettingsArgs {
            /// TOML file with any of the settings below (keys as the flag names, with `_`).
            #[arg(long, env = "LATCHKEY_CONFIG", global = true, value_name = "FILE")]
            pub config: Option<PathBuf>,
            $( $(#[doc = $doc])* #[arg(long, env = $env, global = true)] pub $field: Option<$ty>, )*
        }

        #[derive(Deserialize, Default)]
        #[serde(deny_unknown_fields)]
        struct FileSettings { $( $field: Option<$ty>, )* }

        impl SettingsArgs {
            /// Fills every setting not given as a flag or variable from the file's value.
            fn merged_with(mut self, file: FileSettings) -> Self {
                $( if self.$field.is_none() { self.$field = file.$field; } )*
                self
            }
        }
    };
}

settings_args! {
    /// Address to listen on [default: 127.0.0.1:8080]
    bind: String, "LATCHKEY_BIND";
    /// URL people reach Latchkey at, used in links in emails [default: http://BIND]
    public_url: String, "LATCHKEY_PUBLIC_URL";
    /// Folder for the SQLite database, the generated key and the local outbox [default: ./latchkey-data]
    data_dir: PathBuf, "LATCHKEY_DATA_DIR";
    /// sqlite://PATH or postgres://USER@HOST/DB [default: sqlite://DATA_DIR/latchkey.db]
    database_url: String, "LATCHKEY_DATABASE_URL";
    /// Most database connections per process, 1 to 1000 [default: 10]
    database_max_connections: u32, "LATCHKEY_DATABASE_MAX_CONNECTIONS";
    /// How long a request waits for a database connection before it is refused with 503, 1s to 5m [default: 10s]
    database_timeout: String, "LATCHKEY_DATABASE_TIMEOUT";
    /// Client connections served at once; more wait to be accepted [default: the open-file limit minus 128, at most 4096]
    connection_limit: u64, "LATCHKEY_CONNECTION_LIMIT";
    /// A client must send a request's headers within this time, or the connection is closed; also ends idle keep-alive connections, 1s to 5m [default: 10s]
    header_timeout: String, "LATCHKEY_HEADER_TIMEOUT";
    /// smtp://HOST:PORT, smtp://USER:PASS@HOST:587?tls=starttls or smtps://HOST; without it mail is written to DATA_DIR/outbox
    smtp_url: String, "LATCHKEY_SMTP_URL";
    /// Sender of every email [default: Latchkey <no-reply@HOST of the public URL>]
    mail_from: String, "LATCHKEY_MAIL_FROM";
    /// Key for secrets at rest: 32 bytes, base64 or hex. Prefer the variable to the flag
    secret_key: String, "LATCHKEY_SECRET_KEY";
    /// File holding the key for secrets at rest [default on SQLite: DATA_DIR/secret.key, created once, mode 0600]
    secret_key_file: PathBuf, "LATCHKEY_SECRET_KEY_FILE";
    /// Comma-separated proxy addresses whose X-Forwarded-For is trusted [default: none]
    trusted_proxies: String, "LATCHKEY_TRUSTED_PROXIES";
    /// Argon2id memory in KiB [default: 19456]
    argon2_memory_kib: u32, "LATCHKEY_ARGON2_MEMORY_KIB";
    /// Argon2id iterations [default: 2]
    argon2_iterations: u32, "LATCHKEY_ARGON2_ITERATIONS";
    /// Argon2id lanes [default: 1]
    argon2_parallelism: u32, "LATCHKEY_ARGON2_PARALLELISM";
    /// Password hashes computed at once [default: number of cores]
    hash_concurrency: usize, "LATCHKEY_HASH_CONCURRENCY";
    /// Sign-ins allowed to wait for a hashing thread before answering 503 [default: 2 per thread]
    hash_queue: usize, "LATCHKEY_HASH_QUEUE";
    /// A session ends after this long without activity [default: 30m]
    session_idle_timeout: String, "LATCHKEY_SESSION_IDLE_TIMEOUT";
    /// A session ends this long after sign-in, active or not [default: 12h]
    session_lifetime: String, "LATCHKEY_SESSION_LIFETIME";
    /// Lifetime of email verification links [default: 24h]
    verify_link_ttl: String, "LATCHKEY_VERIFY_LINK_TTL";
    /// Lifetime of password reset links [default: 1h]
    reset_link_ttl: String, "LATCHKEY_RESET_LINK_TTL";
    /// Lifetime of invitation links [default: 7d]
    invite_link_ttl: String, "LATCHKEY_INVITE_LINK_TTL";
    /// Failed sign-ins allowed per account within the window [default: 10]
    signin_failures_per_account: i64, "LATCHKEY_SIGNIN_FAILURES_PER_ACCOUNT";
    /// Failed sign-ins allowed per client address within the window, across accounts [default: 100]
    signin_failures_per_address: i64, "LATCHKEY_SIGNIN_FAILURES_PER_ADDRESS";
    /// Window in which failures are counted [default: 15m]
    throttle_window: String, "LATCHKEY_THROTTLE_WINDOW";
    /// First lock after too many failures; each further lock doubles [default: 1m]
    lockout_base: String, "LATCHKEY_LOCKOUT_BASE";
    /// Longest lock [default: 1h]
    lockout_max: String, "LATCHKEY_LOCKOUT_MAX";
    /// Verification and reset emails one account may be sent per hour [default: 5]
    account_mails_per_hour: i64, "LATCHKEY_ACCOUNT_MAILS_PER_HOUR";
    /// Lifetime of emailed verification codes [default: 10m]
    email_code_ttl: String, "LATCHKEY_EMAIL_CODE_TTL";
    /// Wrong tries allowed on one emailed code [default: 5]
    email_code_max_tries: i64, "LATCHKEY_EMAIL_CODE_MAX_TRIES";
    /// Wait before "Resend code" may send another code for the same sign-in or change [default: 30s]
    code_resend_cooldown: String, "LATCHKEY_CODE_RESEND_COOLDOWN";
    /// Codes one account may be sent per hour [default: 10]
    codes_per_hour: i64, "LATCHKEY_CODES_PER_HOUR";
    /// Time allowed for the second step after a correct password [default: 10m]
    pending_signin_ttl: String, "LATCHKEY_PENDING_SIGNIN_TTL";
    /// Wrong second steps (codes, Recovery Keys) per account within the window before a lock [default: 5]
    second_factor_failures_per_account: i64, "LATCHKEY_SECOND_FACTOR_FAILURES_PER_ACCOUNT";
    /// Wrong second steps per client address within the window, across accounts [default: 50]
    second_factor_failures_per_address: i64, "LATCHKEY_SECOND_FACTOR_FAILURES_PER_ADDRESS";
    /// Issuer shown in authenticator apps [default: the organization's name]
    totp_issuer: String, "LATCHKEY_TOTP_ISSUER";
    /// Lifetime of access tokens and ID tokens given to applications, 1m to 1h [default: 10m]
    access_token_ttl: String, "LATCHKEY_ACCESS_TOKEN_TTL";
    /// Lifetime of a refresh token (each use gives a new one), 1h to 365d [default: 30d]
    refresh_token_ttl: String, "LATCHKEY_REFRESH_TOKEN_TTL";
    /// Domain of the forward-auth cookie (e.g. acme.example), so that the hosts behind forward-auth send it [default: none]
    cookie_domain: String, "LATCHKEY_COOKIE_DOMAIN";
    /// Comma-separated domains whose pages forward-auth may send people back to after signing in (a domain covers its subdomains) [default: the cookie domain]
    forward_auth_domains: String, "LATCHKEY_FORWARD_AUTH_DOMAINS";
    /// Comma-separated hosts (or domains) behind forward-auth that require two-factor authentication [default: none]
    forward_auth_require_2fa: String, "LATCHKEY_FORWARD_AUTH_REQUIRE_2FA";
}

/// Where the key for secrets at rest comes from.
#[derive(Debug, Clone)]
pub enum KeySource {
    Inline(SecretString),
    File(PathBuf),
    /// Generated on first start into this file (embedded SQLite default only).
    Generated(PathBuf),
}

/// Every setting, resolved and checked.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub public_url: Url,
    pub data_dir: PathBuf,
    pub database_url: String,
    pub database_max_connections: u32,
    pub database_timeout: Duration,
    pub connection_limit: usize,
    pub header_timeout: Duration,
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    pub secret_key: KeySource,
    pub trusted_proxies: Vec<IpAddr>,
    pub argon2: Argon2Params,
    pub hash_concurrency: usize,
    pub hash_queue: usize,
    pub session_idle: Duration,
    pub session_lifetime: Duration,
    pub verify_link_ttl: Duration,
    pub reset_link_ttl: Duration,
    pub invite_link_ttl: Duration,
    pub signin_account: ThrottlePolicy,
    pub signin_address: ThrottlePolicy,
    pub account_mails_per_hour: i64,
    pub email_code_ttl: Duration,
    pub email_code_max_tries: i64,
    pub code_resend_cooldown: Duration,
    pub codes_per_hour: i64,
    pub pending_signin_ttl: Duration,
    pub second_factor_account: ThrottlePolicy,
    pub second_factor_address: ThrottlePolicy,
    /// The issuer name in authenticator apps; `None`: the organization's name.
    pub totp_issuer: Option<String>,
    pub access_token_ttl: Duration,
    pub refresh_token_ttl: Duration,
    /// The forward-auth cookie's domain; `None`: no forward-auth cookie (the session cookie
    /// always stays on Latchkey's own host).
    pub cookie_domain: Option<String>,
    /// Where forward-auth may send people back to (each covers its subdomains).
    pub forward_auth_domains: Vec<String>,
    /// Hosts behind forward-auth that require two-factor authentication.
    pub forward_auth_require_2fa: Vec<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct Argon2Params {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Settings {
    /// Resolves the settings from parsed flags/variables and, if named, the TOML file.
    pub fn load(args: &SettingsArgs) -> Result<Self, ConfigError> {
        let args = match &args.config {
            Some(path) => args.clone().merged_with(read_file(path)?),
            None => args.clone(),
        };
        Self::resolve(args)
    }

    fn resolve(a: SettingsArgs) -> Result<Self, ConfigError> {
        let bind_text = a.bind.unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_text
            .parse()
            .map_err(|_| bad("bind", format!("'{bind_text}' is not an address like 127.0.0.1:8080")))?;
        let public_url = parse_public_url(a.public_url.as_deref(), bind)?;
        let data_dir = a.data_dir.unwrap_or_else(|| PathBuf::from("latchkey-data"));
        let database_url = database_url(a.database_url, &data_dir)?;
        let is_sqlite = database_url.starts_with("sqlite:");
        let secret_key =
            match (a.secret_key, a.secret_key_file) {
                (Some(k), _) => KeySource::Inline(SecretString::from(k)),
                (None, Some(f)) => KeySource::File(f),
                (None, None) if is_sqlite => KeySource::Generated(data_dir.join("secret.key")),
                (None, None) => return Err(bad(
                    "secret_key",
                    "with PostgreSQL every process must use the same key: set LATCHKEY_SECRET_KEY or --secret-key-file",
                )),
            };
        if let Some(url) = &a.smtp_url {
            crate::mail::transport::check_smtp_url(url).map_err(|e| bad("smtp_url", e))?;
        }
        let host = public_url.host_str().unwrap_or("localhost").to_string();
        let mail_from = a.mail_from.unwrap_or_else(|| format!("Latchkey <no-reply@{host}>"));
        mail_from.parse::<lettre::message::Mailbox>().map_err(|_| {
            bad("mail_from", format!("'{mail_from}' is not an address like Latchkey <no-reply@example.com>"))
        })?;
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        let argon2 = argon2_params(a.argon2_memory_kib, a.argon2_iterations, a.argon2_parallelism)?;
        let hash_concurrency = within("hash_concurrency", a.hash_concurrency, cores, 1, 256)?;
        let window = duration_within("throttle_window", a.throttle_window, "15m", "1m", "24h")?;
        let base = duration_within("lockout_base", a.lockout_base, "1m", "1s", "24h")?;
        let max = duration_within("lockout_max", a.lockout_max, "1h", "1s", "30d")?;
        not_above(("lockout_base", base), ("lockout_max", max), "the first lock cannot be longer than the longest")?;
        let (window, base_lock, max_lock) = (window.as_secs() as i64, base.as_secs() as i64, max.as_secs() as i64);
        let policy = |name: &str, given: Option<i64>, default: i64, hi: i64| -> Result<ThrottlePolicy, ConfigError> {
            let max_failures = within(name, given, default, 1, hi)?;
            Ok(ThrottlePolicy { max_failures, window, base_lock, max_lock })
        };
        let session_idle = duration_within("session_idle_timeout", a.session_idle_timeout, "30m", "1m", "7d")?;
        let session_lifetime = duration_within("session_lifetime", a.session_lifetime, "12h", "5m", "90d")?;
        not_above(
            ("session_idle_timeout", session_idle),
            ("session_lifetime", session_lifetime),
            "a session cannot stay idle longer than it lives",
        )?;
        let email_code_ttl = duration_within("email_code_ttl", a.email_code_ttl, "10m", "1m", "1h")?;
        let code_resend_cooldown = duration_within("code_resend_cooldown", a.code_resend_cooldown, "30s", "1s", "1h")?;
        not_above(
            ("code_resend_cooldown", code_resend_cooldown),
            ("email_code_ttl", email_code_ttl),
            "a code would expire before a new one may be sent",
        )?;
        let cookie_domain = cookie_domain(a.cookie_domain.as_deref(), &public_url)?;
        let forward_auth_domains = match a.forward_auth_domains.as_deref() {
            Some(list) => domains("forward_auth_domains", list)?,
            None => cookie_domain.iter().cloned().collect(),
        };
        let forward_auth_require_2fa =
            domains("forward_auth_require_2fa", a.forward_auth_require_2fa.as_deref().unwrap_or(""))?;
        let open_files = open_file_limit();
        let connection_limit = within(
            "connection_limit",
            a.connection_limit,
            checks::default_connection_limit(open_files),
            16,
            checks::max_connection_limit(open_files),
        )? as usize;
        Ok(Settings {
            bind,
            public_url,
            data_dir,
            database_url,
            database_max_connections: within("database_max_connections", a.database_max_connections, 10, 1, 1000)?,
            database_timeout: duration_within("database_timeout", a.database_timeout, "10s", "1s", "5m")?,
            connection_limit,
            header_timeout: duration_within("header_timeout", a.header_timeout, "10s", "1s", "5m")?,
            smtp_url: a.smtp_url.map(SecretString::from),
            mail_from,
            secret_key,
            trusted_proxies: parse_proxies(a.trusted_proxies.as_deref())?,
            argon2,
            hash_concurrency,
            hash_queue: within("hash_queue", a.hash_queue, 2 * hash_concurrency, 0, 10_000)?,
            session_idle,
            session_lifetime,
            verify_link_ttl: duration_within("verify_link_ttl", a.verify_link_ttl, "24h", "5m", "30d")?,
            reset_link_ttl: duration_within("reset_link_ttl", a.reset_link_ttl, "1h", "5m", "7d")?,
            invite_link_ttl: duration_within("invite_link_ttl", a.invite_link_ttl, "7d", "1h", "90d")?,
            signin_account: policy("signin_failures_per_account", a.signin_failures_per_account, 10, 1000)?,
            signin_address: policy("signin_failures_per_address", a.signin_failures_per_address, 100, 1_000_000)?,
            account_mails_per_hour: within("account_mails_per_hour", a.account_mails_per_hour, 5, 1, 100)?,
            email_code_ttl,
            email_code_max_tries: within("email_code_max_tries", a.email_code_max_tries, 5, 1, 10)?,
            code_resend_cooldown,
            codes_per_hour: within("codes_per_hour", a.codes_per_hour, 10, 1, 100)?,
            pending_signin_ttl: duration_within("pending_signin_ttl", a.pending_signin_ttl, "10m", "1m", "1h")?,
            second_factor_account: policy(
                "second_factor_failures_per_account",
                a.second_factor_failures_per_account,
                5,
                100,
            )?,
            second_factor_address: policy(
                "second_factor_failures_per_address",
                a.second_factor_failures_per_address,
                50,
                1_000_000,
            )?,
            totp_issuer: a.totp_issuer.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            access_token_ttl: duration_within("access_token_ttl", a.access_token_ttl, "10m", "1m", "1h")?,
            refresh_token_ttl: duration_within("refresh_token_ttl", a.refresh_token_ttl, "30d", "1h", "365d")?,
            cookie_domain,
            forward_auth_domains,
            forward_auth_require_2fa,
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }

    /// A link to `path` (which starts with `/`) under the public URL.
    pub fn link(&self, path: &str) -> String {
        format!("{}{}", self.public_url.as_str().trim_end_matches('/'), path)
    }
}

fn read_file(path: &std::path::Path) -> Result<FileSettings, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError(format!("Cannot read the configuration file {}: {e}.", path.display())))?;
    toml::from_str(&text).map_err(|e| {
        let why = e.message().trim_end_matches('.').replace('`', "'");
        ConfigError(format!("The configuration file {} is not valid: {why}.", path.display()))
    })
}

fn parse_public_url(given: Option<&str>, bind: SocketAddr) -> Result<Url, ConfigError> {
    let text = match given {
        Some(t) => t.to_string(),
        None if bind.ip().is_unspecified() => format!("http://localhost:{}", bind.port()),
        None => format!("http://{bind}"),
    };
    let url = Url::parse(&text)
        .map_err(|_| bad("public_url", format!("'{text}' is not a URL like https://login.example.com")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(bad("public_url", format!("'{text}' must be an http:// or https:// URL")));
    }
    Ok(url)
}

fn database_url(given: Option<String>, data_dir: &std::path::Path) -> Result<String, ConfigError> {
    let url = given.unwrap_or_else(|| format!("sqlite://{}", data_dir.join("latchkey.db").display()));
    if url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(url)
    } else {
        Err(bad("database_url", "must start with sqlite:// or postgres://"))
    }
}

/// The argon2id cost: memory 1 MiB to 1 GiB per hash (and at least 8 KiB per lane), 1 to 64
/// passes, 1 to 16 lanes.
fn argon2_params(
    memory: Option<u32>,
    iterations: Option<u32>,
    lanes: Option<u32>,
) -> Result<Argon2Params, ConfigError> {
    let parallelism = within("argon2_parallelism", lanes, 1, 1, 16)?;
    let memory_kib = within("argon2_memory_kib", memory, 19_456, 1024, 1_048_576)?;
    let iterations = within("argon2_iterations", iterations, 2, 1, 64)?;
    Ok(Argon2Params { memory_kib, iterations, parallelism })
}

/// A comma-separated list of host or domain names, lower-cased.
fn domains(name: &str, list: &str) -> Result<Vec<String>, ConfigError> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            crate::domain::email::Domain::parse(s)
                .map(|d| d.as_str().to_string())
                .map_err(|_| bad(name, format!("'{s}' is not a host or domain name like acme.example")))
        })
        .collect()
}

/// The cookie domain, which must be the public URL's host or a domain above it (browsers ignore
/// any other).
fn cookie_domain(given: Option<&str>, public_url: &Url) -> Result<Option<String>, ConfigError> {
    let Some(given) = given.map(str::trim).filter(|s| !s.is_empty()) else { return Ok(None) };
    let domain = domains("cookie_domain", given)?.pop().unwrap_or_default();
    let host = public_url.host_str().unwrap_or_default();
    if !crate::domain::forward::covered(host, &domain) {
        return Err(bad("cookie_domain", format!("'{domain}' does not cover the public URL's host {host}")));
    }
    Ok(Some(domain))
}

fn parse_proxies(given: Option<&str>) -> Result<Vec<IpAddr>, ConfigError> {
    given
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<IpAddr>()
                .map(|ip| ip.to_canonical())
                .map_err(|_| bad("trusted_proxies", format!("'{s}' is not an IP address")))
        })
        .collect()
}

#[cfg(test)]
mod tests;
