//! The commands behind `latchkey`: each loads the settings, opens the database and calls one
//! use case. Errors come back as one sentence for stderr.

use crate::service::accounts::OrgDefaults;
use std::time::Duration;

use crate::app::{AppState, Server};
use crate::config::{Settings, SettingsArgs};
use crate::domain::account::{OrgName, Role};
use crate::domain::application::{AppName, ClientKind, RedirectUri};
use crate::domain::email::{Domain, EmailAddress};
use crate::domain::password::NewPassword;
use crate::domain::policy::{Methods, Policy};
use crate::jose::Alg;
use crate::service::accounts::{self, Access, NewAccount};
use crate::service::applications::{self, Manager, Registration};
use crate::service::operator;
use crate::service::setup;
use crate::store::audit::Actor;

/// A command's failure, said in one sentence.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CliError(pub String);

impl CliError {
    fn from(e: impl std::fmt::Display) -> Self {
        CliError(e.to_string())
    }
}

type Outcome = Result<String, CliError>;

/// Logs to stderr. `serve` logs at info; one-shot commands only warnings, and the lines of the
/// local outbox (they carry the link a person trying Latchkey follows). `LATCHKEY_LOG` overrides.
pub fn init_logging(serving: bool) {
    let default = if serving { "info" } else { "warn,latchkey::mail::transport=info" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("LATCHKEY_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    // Colours only on a terminal: a log file or a journal gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(ansi).with_writer(std::io::stderr).try_init();
}

fn runtime() -> Result<tokio::runtime::Runtime, CliError> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(CliError::from)
}

async fn state(args: &SettingsArgs) -> Result<AppState, CliError> {
    let settings = Settings::load(args).map_err(CliError::from)?;
    AppState::build(settings).await.map_err(CliError::from)
}

pub fn serve(args: &SettingsArgs) -> Outcome {
    runtime()?.block_on(async {
        let state = state(args).await?;
        let server = Server::start(state.clone(), state.settings.bind).await.map_err(CliError::from)?;
        let url = state.settings.public_url.to_string();
        tracing::info!(address = %server.addr, "Latchkey is listening; open {url}");
        println!("Latchkey is running: open {url}");
        if let Some(link) = setup::setup_link_if_needed(&state).await.map_err(CliError::from)? {
            tracing::info!("no organization exists yet; the one-time setup link is printed on standard output");
            println!(
                "First-run setup: open this one-time link to create your organization and its admin account:\n  {link}"
            );
        }
        server.run_until_signal().await;
        Ok(String::new())
    })
}

pub fn migrate(args: &SettingsArgs) -> Outcome {
    runtime()?.block_on(async {
        let state = state(args).await?;
        state.db.close().await;
        Ok("The database is up to date.".into())
    })
}

/// `org create`; `language` "" leaves each member's browser to choose.
pub fn create_org(args: &SettingsArgs, name: &str, domain: &str, language: &str, time_zone: &str) -> Outcome {
    let name = OrgName::parse(name).map_err(CliError::from)?;
    let domain = Domain::parse(domain).map_err(CliError::from)?;
    let defaults = OrgDefaults::parse(language, time_zone).map_err(CliError::from)?;
    runtime()?.block_on(async {
        let state = state(args).await?;
        let org =
            accounts::create_org(&state, &name, &domain, &defaults, &Actor::cli()).await.map_err(CliError::from)?;
        state.db.close().await;
        Ok(format!("Created the organization {} for the domain {}.", org.name, org.domain))
    })
}

pub fn create_user(args: &SettingsArgs, email: &str, admin: bool, verified: bool, password: Option<String>) -> Outcome {
    let email = EmailAddress::parse(email).map_err(CliError::from)?;
    let password = match password {
        Some(p) => Some(NewPassword::parse(&p, &p, email.as_str()).map_err(CliError::from)?),
        None => None,
    };
    let role = if admin { Role::Admin } else { Role::Member };
    runtime()?.block_on(async {
        let state = state(args).await?;
        let account = NewAccount { email: email.clone(), role, verified, password };
        let (_, access) = accounts::create_user(&state, account, &Actor::cli()).await.map_err(CliError::from)?;
        let who = if admin { "admin" } else { "member" };
        let message = match access {
            Access::Password => format!("Created the {who} {email}."),
            Access::Invited => {
                // Try to send the invitation now; if mail is down it stays queued for `serve`.
                let sent = tokio::time::timeout(Duration::from_secs(30), state.mailer.deliver_due()).await;
                let note = match sent {
                    Ok(Ok(n)) if n > 0 => "an invitation to choose a password was emailed",
                    _ => "an invitation to choose a password is queued and will be sent by latchkey serve",
                };
                format!("Created the {who} {email}; {note}.")
            }
        };
        state.db.close().await;
        Ok(message)
    })
}

pub fn require_2fa(args: &SettingsArgs, domain: &str, on: bool, grace_days: i64, methods: &str) -> Outcome {
    let domain = Domain::parse(domain).map_err(CliError::from)?;
    let methods = Methods::parse(methods).map_err(|e| CliError(format!("--methods: {e}.")))?;
    if !(0..=365).contains(&grace_days) {
        return Err(CliError("--grace-days must be from 0 to 365.".into()));
    }
    let policy = Policy { required_since: on.then_some(0), grace_days, methods, admin_keys_since: None };
    runtime()?.block_on(async {
        let state = state(args).await?;
        let message = operator::set_policy_for_domain(&state, domain.as_str(), policy, &Actor::cli())
            .await
            .map_err(CliError::from)?;
        state.db.close().await;
        Ok(message)
    })
}

pub fn reset_2fa(args: &SettingsArgs, email: &str) -> Outcome {
    runtime()?.block_on(async {
        let state = state(args).await?;
        let email = EmailAddress::parse(email).map_err(CliError::from)?;
        operator::reset_two_factor_by_email(&state, &email, &Actor::cli()).await.map_err(CliError::from)?;
        state.db.close().await;
        Ok(format!(
            "Reset two-factor authentication for {}; their sessions were signed out and they were emailed.",
            email
        ))
    })
}

pub fn set_role(args: &SettingsArgs, email: &str, admin: bool) -> Outcome {
    let role = if admin { Role::Admin } else { Role::Member };
    runtime()?.block_on(async {
        let state = state(args).await?;
        let email = EmailAddress::parse(email).map_err(CliError::from)?;
        let message = operator::set_role(&state, &email, role, &Actor::cli()).await.map_err(CliError::from)?;
        state.db.close().await;
        Ok(message)
    })
}

pub fn enable_user(args: &SettingsArgs, email: &str) -> Outcome {
    runtime()?.block_on(async {
        let state = state(args).await?;
        let email = EmailAddress::parse(email).map_err(CliError::from)?;
        let message = operator::enable(&state, &email, &Actor::cli()).await.map_err(CliError::from)?;
        state.db.close().await;
        Ok(message)
    })
}

/// `latchkey app create`'s arguments, as typed.
pub struct NewApp {
    pub org: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub post_logout_uris: Vec<String>,
    pub public: bool,
    pub require_2fa: bool,
    pub third_party: bool,
    /// RS256 or ES256.
    pub id_token_alg: String,
}

fn uris(typed: &[String]) -> Result<Vec<RedirectUri>, CliError> {
    typed.iter().map(|u| RedirectUri::parse(u).map_err(CliError::from)).collect()
}

/// Registers an application; prints its client id, and a confidential client's secret, once,
/// each alone on its line.
pub fn create_app(args: &SettingsArgs, a: NewApp) -> Outcome {
    let domain = Domain::parse(&a.org).map_err(CliError::from)?;
    let registration = Registration {
        name: AppName::parse(&a.name).map_err(CliError::from)?,
        kind: if a.public { ClientKind::Public } else { ClientKind::Confidential },
        redirect_uris: uris(&a.redirect_uris)?,
        post_logout_uris: uris(&a.post_logout_uris)?,
        require_2fa: a.require_2fa,
        third_party: a.third_party,
        id_token_alg: Alg::parse(&a.id_token_alg)
            .ok_or_else(|| CliError(format!("--id-token-alg {} is not RS256 or ES256.", a.id_token_alg)))?,
    };
    runtime()?.block_on(async {
        let state = state(args).await?;
        let created =
            applications::register(&state, Manager::Operator(Some(&domain)), registration, &Actor::cli()).await;
        state.db.close().await;
        let c = created.map_err(CliError::from)?;
        Ok(match c.client_secret {
            Some(secret) => format!("client_id={}\nclient_secret={secret}", c.client_id),
            None => format!("client_id={}", c.client_id),
        })
    })
}

/// One line per application of the organization owning DOMAIN.
pub fn list_apps(args: &SettingsArgs, org: &str) -> Outcome {
    let domain = Domain::parse(org).map_err(CliError::from)?;
    runtime()?.block_on(async {
        let state = state(args).await?;
        let listed = applications::list(&state, Manager::Operator(Some(&domain))).await;
        state.db.close().await;
        let apps = listed.map_err(CliError::from)?;
        if apps.is_empty() {
            return Ok(format!("The organization owning {} has no applications.", domain.as_str()));
        }
        let lines: Vec<String> = apps
            .iter()
            .map(|a| {
                let kind = if a.row.secret_hash.is_some() { "confidential" } else { "public" };
                let mut flags = vec![kind];
                if a.row.require_2fa != 0 {
                    flags.push("requires 2FA");
                }
                if a.row.third_party != 0 {
                    flags.push("third-party");
                }
                if a.row.id_token_alg != "RS256" {
                    flags.push(a.row.id_token_alg.as_str());
                }
                let mut line = format!(
                    "{}  {}  ({})  redirect: {}",
                    a.row.client_id,
                    a.row.name,
                    flags.join(", "),
                    a.redirect_uris.join(" ")
                );
                if !a.post_logout_uris.is_empty() {
                    line.push_str(&format!("  after logout: {}", a.post_logout_uris.join(" ")));
                }
                line
            })
            .collect();
        Ok(lines.join("\n"))
    })
}

/// A new secret for a confidential client, printed once.
pub fn rotate_app_secret(args: &SettingsArgs, client_id: &str) -> Outcome {
    runtime()?.block_on(async {
        let state = state(args).await?;
        let rotated =
            applications::rotate_secret(&state, Manager::Operator(None), client_id.trim(), &Actor::cli()).await;
        state.db.close().await;
        Ok(format!("client_secret={}", rotated.map_err(CliError::from)?))
    })
}

pub fn delete_app(args: &SettingsArgs, client_id: &str) -> Outcome {
    runtime()?.block_on(async {
        let state = state(args).await?;
        let deleted = applications::delete(&state, Manager::Operator(None), client_id.trim(), &Actor::cli()).await;
        state.db.close().await;
        Ok(format!("Deleted the application {}.", deleted.map_err(CliError::from)?))
    })
}

/// `latchkey signing-key rotate`: new current ID token signing keys; prints their key ids.
pub fn rotate_signing_keys(args: &SettingsArgs) -> Outcome {
    runtime()?.block_on(async {
        let state = state(args).await?;
        let rotated = crate::service::oidc::keys::rotate(&state, &Actor::cli()).await;
        state.db.close().await;
        let kids = rotated.map_err(CliError::from)?;
        Ok(format!(
            "New signing keys: {}. The previous keys stay published until the tokens they signed have expired.",
            kids.join(", ")
        ))
    })
}
