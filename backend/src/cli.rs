//! The operator command line: `serve` (the default), `migrate`, `ready`, `openapi`, the key
//! and audit tools, and `run-retention`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use secrecy::SecretString;

use crate::db::Database;
use crate::settings::Settings;
use crate::{Application, audit, demo, keys, openapi, privacy, rotation, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "examcloud",
    version,
    about = "ExamCloud (考试云) API server and operator tools"
)]
pub struct Cli {
    /// A TOML configuration file (also `APP_CONFIG_FILE`). `APP_...` variables override it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the API server and the SPA (the default).
    Serve(ServeArgs),
    /// Create the demo organisation (demo@example.com), if it does not exist yet.
    SeedDemo(DbArgs),
    /// Apply pending database migrations, then exit.
    Migrate(DbArgs),
    /// Run the readiness checks (database, migrations, keys, key usage) and print each one;
    /// exit status 1 when one fails. The public `/api/ready` answers only ready or not.
    Ready(DbArgs),
    /// Verify the audit log's hash chain; names the first broken entry (exit status 1).
    AuditVerify(DbArgs),
    /// Delete or anonymise the data past its retention (the `[retention]` settings) now, in
    /// batches, and print how many rows of each kind changed. Idempotent; safe beside the
    /// daily job and live traffic. A run that changes anything is recorded in the audit log.
    RunRetention(DbArgs),
    /// Re-encrypt every stored ciphertext under the primary key (resumable; safe beside live
    /// traffic). With --add-key, first add a new primary key to the key file.
    RotateKeys {
        /// Add a new encryption key to the key file and make it primary, then stop: give every
        /// node the new file and restart them before re-encrypting.
        #[arg(long)]
        add_key: bool,
        /// Rows per transaction.
        #[arg(long, default_value_t = 500)]
        batch_size: i64,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Create a platform staff account (support, finance or security). The password is read
    /// from `EXAMCLOUD_STAFF_PASSWORD` or, if unset, from the first line of standard input.
    CreateStaff {
        /// The login account (4–32 letters, digits, `_.-`, starting with a letter).
        #[arg(long)]
        account: String,
        /// support, finance or security.
        #[arg(long)]
        role: String,
        /// The person's name (stored encrypted).
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Write a new key file (for production: keep it safe and give every node the same one).
    GenerateKeys {
        /// Where to write it; refuses to overwrite an existing file.
        #[arg(long)]
        output: PathBuf,
    },
    /// Print the OpenAPI document (or write it to a file).
    Openapi {
        /// Write to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Default, clap::Args)]
struct ServeArgs {
    /// Address to bind (overrides `server.host`).
    #[arg(long)]
    host: Option<String>,
    /// Port to bind (overrides `server.port`).
    #[arg(long)]
    port: Option<u16>,
    /// Create the demo organisation first (if it does not exist yet).
    #[arg(long)]
    demo: bool,
    #[command(flatten)]
    db: DbArgs,
}

#[derive(Debug, Default, clap::Args)]
struct DbArgs {
    /// Database URL: `postgres://...` or a SQLite file path (overrides `database.url`).
    #[arg(long)]
    database_url: Option<String>,
}

impl DbArgs {
    fn apply(&self, settings: &mut Settings) {
        if let Some(url) = &self.database_url {
            settings.database.url = SecretString::from(url.clone());
        }
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err:#}");
            eprintln!("examcloud: error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => {
            if let Some(host) = args.host {
                settings.server.host = host;
            }
            if let Some(port) = args.port {
                settings.server.port = port;
            }
            args.db.apply(&mut settings);
            telemetry::init(&settings.log);
            if args.demo {
                seed_demo(&settings)?;
            }
            serve(settings)
        }
        Command::SeedDemo(args) => {
            args.apply(&mut settings);
            telemetry::init(&settings.log);
            seed_demo(&settings)
        }
        Command::Migrate(args) => {
            args.apply(&mut settings);
            telemetry::init(&settings.log);
            let db = Database::connect(&settings.database)?;
            let applied = db.migrate()?;
            if applied.is_empty() {
                println!(
                    "no pending migrations; the {} schema is current",
                    db.kind().as_str()
                );
            } else {
                println!(
                    "applied {} migration(s): {}",
                    applied.len(),
                    applied.join(", ")
                );
            }
            Ok(())
        }
        Command::Ready(args) => {
            args.apply(&mut settings);
            telemetry::init(&settings.log);
            let ring = keys::KeyRing::load(&settings.keys)?;
            let cipher = crate::crypto::FieldCipher::new(&ring);
            let db = Database::connect(&settings.database)?;
            let report = crate::health::report(&db, &ring, &cipher);
            println!("database backend: {}", report.database_backend);
            for c in &report.checks {
                let status = match c.status {
                    shared::CheckStatus::Ok => "ok",
                    shared::CheckStatus::Failing => "FAILING",
                };
                println!(
                    "{:<12} {status:<8} {} ({} ms)",
                    c.name, c.detail, c.duration_ms
                );
            }
            if report.status == shared::CheckStatus::Ok {
                println!("ready");
                Ok(())
            } else {
                anyhow::bail!("not ready: at least one check failed")
            }
        }
        Command::AuditVerify(args) => {
            args.apply(&mut settings);
            telemetry::init(&settings.log);
            let db = Database::connect(&settings.database)?;
            let cipher = crate::crypto::FieldCipher::new(&keys::KeyRing::load(&settings.keys)?);
            let mut conn = db.get()?;
            match audit::verify(&mut conn, Some(&cipher))? {
                audit::VerifyReport::Intact { entries } => {
                    println!("audit log intact: {entries} entries verified");
                    Ok(())
                }
                audit::VerifyReport::Broken { seq, id, reason } => {
                    let id = id.map(|id| format!(" (id {id})")).unwrap_or_default();
                    anyhow::bail!("audit log broken at entry {seq}{id}: {reason}")
                }
            }
        }
        Command::RunRetention(args) => {
            args.apply(&mut settings);
            telemetry::init(&settings.log);
            run_retention(&settings)
        }
        Command::RotateKeys {
            add_key,
            batch_size,
            db,
        } => {
            db.apply(&mut settings);
            telemetry::init(&settings.log);
            if add_key {
                if settings.keys.inline.is_some() {
                    anyhow::bail!(
                        "keys are given inline (APP_KEYS__INLINE): add the key in your secret store"
                    );
                }
                let id = keys::add_encryption_key(&settings.keys.file)?;
                println!(
                    "added encryption key {id} as the primary key in {}. Give every node this key file and \
                     restart them, then run `examcloud rotate-keys` to re-encrypt existing data.",
                    settings.keys.file.display()
                );
                return Ok(());
            }
            let ring = keys::KeyRing::load(&settings.keys)?;
            let database = Database::connect(&settings.database)?;
            let mut conn = database.get()?;
            ring.ensure_matches(&mut conn)?;
            let cipher = crate::crypto::FieldCipher::new(&ring);
            let report = rotation::reencrypt_all(&mut conn, &cipher, batch_size, None)?;
            for (table, column, done, remaining) in &report.columns {
                println!(
                    "{table}.{column}: {done} re-encrypted, {remaining} still under an older key"
                );
            }
            println!(
                "re-encrypted {} values under key {}",
                report.reencrypted(),
                cipher.primary_key_id()
            );
            Ok(())
        }
        Command::CreateStaff {
            account,
            role,
            name,
            db,
        } => {
            db.apply(&mut settings);
            telemetry::init(&settings.log);
            create_staff(&settings, &account, &role, name.as_deref())
        }
        Command::GenerateKeys { output } => {
            if output.exists() {
                anyhow::bail!(
                    "{} already exists; refusing to overwrite keys",
                    output.display()
                );
            }
            keys::write_private_file(&output, &keys::generate_key_file()?)?;
            println!("wrote a new key file to {} (mode 0600)", output.display());
            Ok(())
        }
        Command::Openapi { output } => {
            let json = openapi::document_json()?;
            match output {
                Some(path) => std::fs::write(&path, json)?,
                None => print!("{json}"),
            }
            Ok(())
        }
    }
}

fn create_staff(
    settings: &Settings,
    account: &str,
    role: &str,
    name: Option<&str>,
) -> anyhow::Result<()> {
    use anyhow::Context;
    let account = crate::domain::LoginAccount::parse(account)
        .map_err(|why| anyhow::anyhow!("--account: {}", why.as_str()))?;
    let role = shared::access::StaffRole::parse(role)
        .context("--role must be support, finance or security")?;
    let name = name
        .map(crate::domain::PersonName::parse)
        .transpose()
        .map_err(|why| anyhow::anyhow!("--name: {}", why.as_str()))?;
    let password = match std::env::var("EXAMCLOUD_STAFF_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .context("reading the password from standard input")?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let password = crate::domain::Password::parse(&password)
        .map_err(|why| anyhow::anyhow!("password: {}", why.as_str()))?;
    let ring = keys::KeyRing::load(&settings.keys)?;
    let db = Database::connect(&settings.database)?;
    db.migrate()?;
    let mut conn = db.get()?;
    ring.ensure_matches(&mut conn)?;
    let cipher = crate::crypto::FieldCipher::new(&ring);
    let bidx = crate::crypto::BlindIndex::new(&ring);
    let hash = crate::domain::password::hash_password(password.expose())?;
    let id = crate::staff::model::insert(
        &mut conn,
        &cipher,
        &bidx,
        &account,
        name.as_ref(),
        role,
        &hash,
    )
    .context("creating the staff account (is the account taken?)")?;
    let entry = audit::AuditEntry {
        org_id: None,
        actor: audit::Actor::System,
        action: "staff.create",
        target_kind: Some("staff"),
        target_id: Some(id.to_string()),
        outcome: audit::Outcome::Success,
        request_id: None,
        details: serde_json::json!({ "role": role.as_str() }),
        ip: None,
        user_agent: None,
        device: None,
    };
    audit::append(&mut conn, &cipher, entry)?;
    println!(
        "created {} staff account {} ({id})",
        role.as_str(),
        account.as_str()
    );
    Ok(())
}

/// `run-retention`: applies the policy in effect now and prints the counts per kind.
fn run_retention(settings: &Settings) -> anyhow::Result<()> {
    let policy = privacy::retention::policy(&settings.retention)?;
    let ring = keys::KeyRing::load(&settings.keys)?;
    let db = Database::connect(&settings.database)?;
    let mut conn = db.get()?;
    ring.ensure_matches(&mut conn)?;
    let cipher = crate::crypto::FieldCipher::new(&ring);
    let now = crate::db::types::Timestamp::now();
    let report = privacy::retention::run(&mut conn, &cipher, now, &policy)?;
    for rule in &policy.kinds {
        let action = match rule.action {
            shared::privacy::RetentionAction::Delete => "deleted",
            shared::privacy::RetentionAction::Anonymise => "anonymised",
        };
        println!(
            "{:<20} {:>6} {action} (after {} days)",
            rule.kind.as_str(),
            report.count(rule.kind),
            rule.days
        );
    }
    println!("retention run done: {} rows changed", report.total());
    Ok(())
}

/// Migrates, checks the keys against the data, and seeds the demo organisation.
fn seed_demo(settings: &Settings) -> anyhow::Result<()> {
    let ring = keys::KeyRing::load(&settings.keys)?;
    let db = Database::connect(&settings.database)?;
    db.migrate()?;
    ring.ensure_matches(&mut *db.get()?)?;
    demo::seed(&db, &ring)
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    actix_web::rt::System::new().block_on(async move {
        let host = settings.server.host.clone();
        let app = Application::build(settings).await?;
        // A stable line on standard output that tools (and `cargo xtask run`) can wait for.
        println!("examcloud listening on http://{host}:{}", app.port());
        tracing::info!(port = app.port(), "listening");
        app.run_until_stopped().await?;
        Ok(())
    })
}
