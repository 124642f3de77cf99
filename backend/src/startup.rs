//! Builds the application from settings: keys, database, migrations, notification providers,
//! routes, middleware. `Application::build` binds the listener, so tests can ask for port 0 and
//! read `port()`; background work (the outbox worker) starts with `run_until_stopped`.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use utoipa_swagger_ui::SwaggerUi;

use crate::db::Database;
use crate::db::types::Timestamp;
use crate::errors::ApiError;
use crate::http::{self, SecurityHeaders};
use crate::keys::KeyRing;
use crate::notifications::OutboxWorker;
use crate::settings::Settings;
use crate::spa::{self, SpaDir};
use crate::state::AppState;
use crate::{
    accounts, audit, auth, candidates, certificates, dashboard, exams, grading, health,
    integration, openapi, org_users, orgs, papers, portal, privacy, questions, results, staff,
};

pub struct Application {
    port: u16,
    server: Server,
    /// Started by `run_until_stopped`, so an application that is built but never run leaves
    /// nothing behind.
    outbox_worker: Option<OutboxWorker>,
    /// For recording the encryption counts (see [`crate::crypto::usage`]).
    db: Database,
    cipher: crate::crypto::FieldCipher,
    /// The job kinds this node runs, bound to its state.
    jobs: crate::jobs::Registry,
}

impl Application {
    /// Loads keys, connects to the database, applies migrations (unless disabled), checks that
    /// the keys match the data, binds the listener and prepares the server.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        // A wrong retention setting stops the node before it serves or deletes anything.
        privacy::retention::policy(&settings.retention)?;
        privacy::cancellation::check_settings(&settings.cancellation)?;
        let keys = Arc::new(KeyRing::load(&settings.keys)?);
        let db_settings = settings.database.clone();
        let migrate = settings.database.migrate_on_start;
        let keys_for_check = keys.clone();
        let db = tokio::task::spawn_blocking(move || -> anyhow::Result<Database> {
            let db = Database::connect(&db_settings)?;
            if migrate {
                let applied = db.migrate()?;
                if applied.is_empty() {
                    tracing::info!("database schema is current");
                } else {
                    tracing::info!(migrations = ?applied, "applied migrations");
                }
            }
            let mut conn = db.get().context("connecting to check keys")?;
            keys_for_check.ensure_matches(&mut conn)?;
            // The policy documents of this release, published once (every node may try).
            crate::privacy::policies::ensure_builtin(&mut conn)?;
            privacy::retention::ensure_scheduled(&mut conn, Timestamp::now(), false)?;
            Ok(db)
        })
        .await
        .context("start-up task failed")??;
        tracing::info!(backend = db.kind().as_str(), "database ready");

        let address = format!("{}:{}", settings.server.host, settings.server.port);
        let listener = TcpListener::bind(&address).with_context(|| format!("binding {address}"))?;
        let port = listener.local_addr()?.port();
        let state = AppState::new(db, keys, settings)?;
        let outbox_worker = OutboxWorker::from_settings(
            &state.settings.notifications,
            state.db.clone(),
            state.notifier.clone(),
        )?;
        let (db, cipher) = (state.db.clone(), state.cipher.clone());
        let jobs = job_kinds(&state);
        let server = run(listener, state)?;
        Ok(Application {
            port,
            server,
            outbox_worker,
            db,
            cipher,
            jobs,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server from outside (tests stop one in the middle of an exam).
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped (SIGINT/SIGTERM trigger a graceful shutdown), with
    /// the outbox worker running beside it; the worker finishes its batch before returning.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let worker = self.outbox_worker.map(OutboxWorker::spawn);
        let jobs = crate::jobs::JobWorker::spawn(self.db.clone(), self.jobs.clone());
        let (db, cipher) = (self.db.clone(), self.cipher.clone());
        let usage = tokio::spawn(async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every.tick().await;
                record_key_usage(&db, &cipher).await;
            }
        });
        let served = self.server.await;
        usage.abort();
        jobs.abort();
        record_key_usage(&self.db, &self.cipher).await;
        if let Some(worker) = worker {
            worker.shutdown().await;
        }
        served
    }
}

/// Adds this node's encryption counts to the database totals; a failure is logged and the
/// counts wait for the next try.
async fn record_key_usage(db: &Database, cipher: &crate::crypto::FieldCipher) {
    let cipher = cipher.clone();
    let result: anyhow::Result<()> = db
        .run(move |conn| crate::crypto::usage::flush(conn, &cipher).map_err(anyhow::Error::from))
        .await;
    if let Err(err) = result {
        tracing::warn!(error = %format!("{err:#}"), "could not record encryption key usage");
    }
}

fn run(listener: TcpListener, state: AppState) -> anyhow::Result<Server> {
    let settings = state.settings.clone();
    let security = web::Data::new(Arc::new(SecurityHeaders {
        hsts: settings.server.behind_tls,
    }));
    let spa_dir = web::Data::new(SpaDir(settings.frontend.dist_dir.clone()));
    let state = web::Data::new(state);
    let json_limit = settings.server.json_limit_bytes;
    let openapi = openapi::document();
    let mut server = HttpServer::new(move || {
        App::new()
            // Order: the last `wrap` is outermost. Compression sees the final body; security
            // headers and the request id apply to every response, errors included.
            .wrap(from_fn(http::json_objects_only))
            .wrap(from_fn(auth::csrf::csrf_guard))
            .wrap(from_fn(http::error_envelope))
            .wrap(from_fn(http::request_id))
            .wrap(from_fn(http::security_headers))
            .wrap(Compress::default())
            .app_data(state.clone())
            .app_data(security.clone())
            .app_data(spa_dir.clone())
            .app_data(http::json_config(json_limit))
            .app_data(http::path_config())
            .app_data(http::query_config())
            // Swagger UI and the document are registered before the `/api` scope, which
            // answers 404 for anything it does not know.
            .service(
                SwaggerUi::new("/api/docs/{_:.*}")
                    .external_url_unchecked("/api/openapi.json", openapi.clone()),
            )
            .route(
                "/api/docs",
                web::get().to(|| async {
                    HttpResponse::PermanentRedirect()
                        .insert_header(("location", "/api/docs/"))
                        .finish()
                }),
            )
            .service(
                web::scope("/api")
                    .configure(health::config)
                    .configure(privacy::config)
                    .configure(accounts::config)
                    .configure(orgs::config)
                    .configure(dashboard::config)
                    .configure(portal::config)
                    .configure(candidates::config)
                    .configure(org_users::config)
                    .configure(integration::config)
                    .configure(staff::config)
                    .configure(questions::config)
                    .configure(papers::config)
                    .configure(exams::config)
                    .configure(grading::config)
                    .configure(certificates::config)
                    .configure(results::config)
                    .configure(crate::regrade::config)
                    .configure(audit::config)
                    .configure(crate::privacy::config)
                    .default_service(web::to(|| async {
                        Err::<HttpResponse, _>(ApiError::NotFound)
                    })),
            )
            .default_service(web::to(spa::serve))
    })
    .listen(listener)?
    .shutdown_timeout(30);
    if settings.server.workers > 0 {
        server = server.workers(settings.server.workers);
    }
    Ok(server.run())
}

/// The job kinds every node runs, with their handlers bound to the node's `state` (public so
/// tests can run the queue on a clock of their own with `jobs::run_due_with`).
pub fn job_kinds(state: &AppState) -> crate::jobs::Registry {
    use crate::exams::attempts::model::{AUTO_SUBMIT, run_auto_submit};
    use crate::results::notices::{NOTICE, NoticeContext, run_notice};
    use crate::results::release::{FINISHED, RELEASE, run_finished, run_release};
    let notices = NoticeContext {
        cipher: state.cipher.clone(),
        notifier: state.notifier.clone(),
        public_url: state.settings.server.public_url.clone(),
    };
    let (for_notice, for_finished) = (notices.clone(), notices);
    let (cipher, for_bulk) = (state.cipher.clone(), state.cipher.clone());
    let for_regrade = state.cipher.clone();
    let (for_policy, policy_notifier) = (state.cipher.clone(), state.notifier.clone());
    let for_retention = state.cipher.clone();
    let (for_export, export_storage) = (state.cipher.clone(), state.storage.clone());
    let expire_storage = state.storage.clone();
    let (for_erase, for_reminder) = (state.clone(), state.clone());
    // The policy is checked by `Application::build`, and again by each run.
    let retention = state.settings.retention.clone();
    crate::jobs::Registry::default()
        .register(AUTO_SUBMIT, |conn, payload, _now| {
            run_auto_submit(conn, payload)
        })
        .register(RELEASE, run_release)
        .register(NOTICE, move |conn, payload, now| {
            run_notice(conn, &for_notice, payload, now).map(|_| ())
        })
        .register(FINISHED, move |conn, payload, now| {
            run_finished(conn, &cipher, &for_finished, payload, now)
        })
        .register(crate::results::certify::BULK, move |conn, payload, now| {
            crate::results::certify::run_bulk(conn, &for_bulk, payload, now)
        })
        .register(crate::regrade::run::REGRADE, move |conn, payload, now| {
            crate::regrade::run::run_regrade(conn, &for_regrade, payload, now)
        })
        .register(
            crate::privacy::policies::NOTICE,
            move |conn, payload, now| {
                crate::privacy::policies::run_notice(
                    conn,
                    &for_policy,
                    &policy_notifier,
                    payload,
                    now,
                )
            },
        )
        .register(privacy::retention::JOB, move |conn, _payload, now| {
            let policy = privacy::retention::policy(&retention)?;
            privacy::retention::run_job(conn, &for_retention, &policy, now)
        })
        .register(privacy::my_data::export::JOB, move |conn, payload, now| {
            privacy::my_data::export::run_job(conn, &for_export, &*export_storage, payload, now)
        })
        .register(
            privacy::my_data::export::EXPIRE_JOB,
            move |conn, payload, now| {
                privacy::my_data::export::run_expire_job(conn, &*expire_storage, payload, now)
            },
        )
        .register(
            privacy::cancellation::ERASE_JOB,
            move |conn, payload, now| {
                privacy::cancellation::run_erase(conn, &for_erase, payload, now)
            },
        )
        .register(
            privacy::cancellation::REMINDER_JOB,
            move |conn, payload, _now| {
                privacy::cancellation::run_reminder(conn, &for_reminder, payload)
            },
        )
}
