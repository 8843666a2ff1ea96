//! The `latchkey` command: parses the command line and calls the library.

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use latchkey::cli;
use latchkey::config::SettingsArgs;

#[derive(Parser)]
#[command(
    name = "latchkey",
    version,
    about = "Self-hosted account security: sign-in, sessions, email verification and two-factor authentication"
)]
struct Cli {
    #[command(flatten)]
    settings: SettingsArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (applies database migrations first)
    Serve,
    /// Apply database migrations and exit
    Migrate,
    /// Manage organizations
    #[command(subcommand)]
    Org(OrgCommand),
    /// Manage users
    #[command(subcommand)]
    User(UserCommand),
    /// Manage the applications that sign their users in through Latchkey (OpenID Connect clients)
    #[command(subcommand)]
    App(AppCommand),
    /// Manage the keys that sign ID tokens
    #[command(subcommand, name = "signing-key")]
    SigningKey(SigningKeyCommand),
}

#[derive(Subcommand)]
enum SigningKeyCommand {
    /// Make a new current key for each algorithm (RS256, ES256); the previous keys stay published until the tokens they signed have expired
    Rotate,
}

#[derive(Subcommand)]
enum AppCommand {
    /// Register an application; prints client_id=... (and client_secret=... for a confidential client) once
    Create {
        /// The domain of the organization the application belongs to
        #[arg(long)]
        org: String,
        #[arg(long)]
        name: String,
        /// Where the application may be sent back after sign-in (exact match; repeat for more)
        #[arg(long = "redirect-uri", required = true)]
        redirect_uris: Vec<String>,
        /// Where the application may be sent after logout (exact match; repeat for more)
        #[arg(long = "post-logout-uri")]
        post_logout_uris: Vec<String>,
        /// A public client (a browser or native app): no secret, PKCE only
        #[arg(long)]
        public: bool,
        /// Require two-factor authentication to sign in to this application
        #[arg(long = "require-2fa")]
        require_2fa: bool,
        /// A third-party application: members are asked for their consent
        #[arg(long = "third-party")]
        third_party: bool,
        /// How its ID tokens are signed: RS256 (the OpenID Connect default) or ES256
        #[arg(long = "id-token-alg", default_value = "RS256")]
        id_token_alg: String,
    },
    /// List the applications of the organization owning DOMAIN
    List {
        #[arg(long)]
        org: String,
    },
    /// Replace a confidential client's secret; prints client_secret=... once (the old one stops working)
    #[command(name = "rotate-secret")]
    RotateSecret { client_id: String },
    /// Delete an application
    Delete { client_id: String },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create an organization that owns an email domain
    Create {
        #[arg(long)]
        name: String,
        #[arg(long)]
        domain: String,
        /// The members' default language: en or id (without it, each member's browser chooses)
        #[arg(long, default_value = "")]
        language: String,
        /// The members' default time zone, an IANA name such as Asia/Jakarta
        #[arg(long = "time-zone", default_value = "UTC")]
        time_zone: String,
    },
    /// Turn "Require Two-Factor Authentication" on or off for the organization owning DOMAIN
    #[command(name = "require-2fa")]
    Require2fa {
        domain: String,
        /// Require it
        #[arg(long, conflicts_with = "off", required_unless_present = "off")]
        on: bool,
        /// Stop requiring it
        #[arg(long)]
        off: bool,
        /// Days members without two-factor authentication may still sign in (0: next sign-in)
        #[arg(long, default_value_t = 0, conflicts_with = "off")]
        grace_days: i64,
        /// Allowed methods: email, authenticator or both (comma-separated)
        #[arg(long, default_value = "email,authenticator", conflicts_with = "off")]
        methods: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a member (or admin) of the organization owning the email's domain
    Create {
        #[arg(long)]
        email: String,
        /// Make the user an admin of the organization
        #[arg(long)]
        admin: bool,
        /// Mark the email address as verified
        #[arg(long)]
        verified: bool,
        /// Read the password from standard input; without it, an invitation link is emailed
        #[arg(long)]
        password_stdin: bool,
    },
    /// Reset the two-factor authentication of a member who lost their device
    #[command(name = "reset-2fa")]
    Reset2fa { email: String },
    /// Make a user an admin of their organization, or a member again (one active admin always remains)
    #[command(name = "set-role")]
    SetRole {
        email: String,
        /// Make the user an admin
        #[arg(long, conflicts_with = "member", required_unless_present = "member")]
        admin: bool,
        /// Make the user a member (not an admin)
        #[arg(long)]
        member: bool,
    },
    /// Enable a disabled account, so that it can sign in again
    Enable { email: String },
}

fn main() -> ExitCode {
    limit_malloc_arenas();
    // Each client connection is a file descriptor; the default connection limit is set below
    // whatever this allows.
    latchkey::config::raise_open_file_limit();
    let args = Cli::parse();
    cli::init_logging(matches!(args.command, Command::Serve));
    let result = match args.command {
        Command::Serve => cli::serve(&args.settings),
        Command::Migrate => cli::migrate(&args.settings),
        Command::Org(OrgCommand::Create { name, domain, language, time_zone }) => {
            cli::create_org(&args.settings, &name, &domain, &language, &time_zone)
        }
        Command::Org(OrgCommand::Require2fa { domain, on, off: _, grace_days, methods }) => {
            cli::require_2fa(&args.settings, &domain, on, grace_days, &methods)
        }
        Command::App(AppCommand::Create {
            org,
            name,
            redirect_uris,
            post_logout_uris,
            public,
            require_2fa,
            third_party,
            id_token_alg,
        }) => {
            let app = cli::NewApp {
                org,
                name,
                redirect_uris,
                post_logout_uris,
                public,
                require_2fa,
                third_party,
                id_token_alg,
            };
            cli::create_app(&args.settings, app)
        }
        Command::App(AppCommand::List { org }) => cli::list_apps(&args.settings, &org),
        Command::SigningKey(SigningKeyCommand::Rotate) => cli::rotate_signing_keys(&args.settings),
        Command::App(AppCommand::RotateSecret { client_id }) => cli::rotate_app_secret(&args.settings, &client_id),
        Command::App(AppCommand::Delete { client_id }) => cli::delete_app(&args.settings, &client_id),
        Command::User(UserCommand::Reset2fa { email }) => cli::reset_2fa(&args.settings, &email),
        Command::User(UserCommand::SetRole { email, admin, member: _ }) => cli::set_role(&args.settings, &email, admin),
        Command::User(UserCommand::Enable { email }) => cli::enable_user(&args.settings, &email),
        Command::User(UserCommand::Create { email, admin, verified, password_stdin }) => {
            let password = if password_stdin { read_password() } else { Ok(None) };
            password.and_then(|p| cli::create_user(&args.settings, &email, admin, verified, p))
        }
    };
    match result {
        Ok(message) => {
            if !message.is_empty() {
                println!("{message}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("latchkey: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The password given on standard input: its first line, without the line ending.
fn read_password() -> Result<Option<String>, cli::CliError> {
    let mut input = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut input)
        .map_err(|e| cli::CliError(format!("Cannot read the password from standard input: {e}.")))?;
    let line = input.lines().next().unwrap_or_default().to_string();
    if line.is_empty() {
        return Err(cli::CliError("No password on standard input.".into()));
    }
    Ok(Some(line))
}

/// glibc gives each thread that allocates its own arena (up to 8 per core), and freed memory
/// stays in them: with a dozen threads (runtime, hashing, SQLite connections) that fragmentation
/// is most of the resident memory. Two arenas keep it in check at no measurable cost; the
/// MALLOC_ARENA_MAX environment variable still overrides this.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only changes allocator tuning; it runs before any other thread starts.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}
