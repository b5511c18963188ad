//! The web console (管理后台): server-rendered pages in Chinese for the squad's office. A
//! front end like the command line: every page calls the library's `jobs` and renders a
//! template from `report-templates/web/`; nothing about SQL or PDFs lives here.
//!
//! Security: it listens on `[web] listen` (loopback unless TLS or allow_plain_http), users
//! log in with argon2-hashed passwords, sessions are HttpOnly SameSite=Strict cookies with
//! an idle timeout, every POST carries a CSRF token, logins are rate-limited, viewers
//! read and admins act, and every action goes to the audit log. Personal data is masked.

pub mod auth;
mod cache;
mod pages;
mod render;
pub mod words;

pub use pages::cases::csv_safe;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::config::{Config, Role};
use auth::{LoginLimiter, Session, Sessions};

/// What every request shares.
pub struct Console {
    pub config: Arc<Config>,
    pub sessions: Sessions,
    pub limiter: LoginLimiter,
    /// One request at a time holds the database (DuckDB allows one opener per process);
    /// the daemon's jobs share it when the console runs inside `serve`.
    pub database: Arc<Mutex<()>>,
    pub templates: render::Templates,
    pub cache: cache::Cache,
    pub dummy_hash: String,
    /// Password checks (argon2) running at once: no more than the cores.
    pub password_checks: Arc<tokio::sync::Semaphore>,
    /// Passwords changed in the console since it started (user → hash): in force at once,
    /// and written to the config file for the next start.
    pub changed_passwords: Mutex<std::collections::HashMap<String, String>>,
    /// When the newest stored order was received, as last read (and when it was read):
    /// every page's notice that the data is old reads it from here for a minute.
    newest_order: Mutex<Option<(std::time::Instant, Option<chrono::NaiveDateTime>)>>,
}

pub type State = Arc<Console>;

impl Console {
    pub fn new(config: Config, database: Arc<Mutex<()>>) -> anyhow::Result<Console> {
        pages::import::remove_stale_uploads(&config);
        let web = &config.web;
        Ok(Console {
            sessions: Sessions::new(Duration::from_secs(
                u64::from(web.session_idle_minutes) * 60,
            )),
            limiter: LoginLimiter::new(web.login_attempts, Duration::from_secs(15 * 60)),
            templates: render::Templates::new()?,
            cache: cache::Cache::default(),
            dummy_hash: auth::dummy_hash(),
            password_checks: Arc::new(tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get().min(4)),
            )),
            changed_passwords: Mutex::new(std::collections::HashMap::new()),
            newest_order: Mutex::new(None),
            database,
            config: Arc::new(config),
        })
    }

    /// The notice every page shows when the stored data is old: its newest order was
    /// received more than `[reports] stale_after_days` days ago, or nothing is loaded yet.
    /// Read from the database at most once a minute, and again after an upload.
    pub async fn stale_notice(self: &Arc<Self>) -> Option<String> {
        const FOR: Duration = Duration::from_secs(60);
        let cached = *self.newest_order.lock().unwrap_or_else(|e| e.into_inner());
        let newest = match cached {
            Some((at, newest)) if at.elapsed() < FOR => newest,
            _ => {
                let newest = self
                    .run(|c| Ok(crate::jobs::freshness(c)?.newest_order))
                    .await
                    .ok()?;
                *self.newest_order.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some((std::time::Instant::now(), newest));
                newest
            }
        };
        let days = i64::from(self.config.reports.stale_after_days);
        match newest {
            None => Some("还没有导入任何工单：请在“导入”页上传平台的导出文件。".into()),
            Some(t) if crate::clock::now(&self.config) - t > chrono::Duration::days(days) => {
                Some(format!(
                    "数据可能不是最新的：最新一单受理于{}，已超过 {days} 天没有新工单。请导入新的导出文件。",
                    crate::period::zh_date(t.date())
                ))
            }
            Some(_) => None,
        }
    }

    /// Forgets the newest order read, after data was loaded.
    pub fn data_changed(&self) {
        *self.newest_order.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }

    /// A user's password hash now: as changed in the console, or as the config has it.
    pub fn password_hash(&self, user: &str) -> Option<String> {
        if let Some(hash) = self
            .changed_passwords
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(user)
        {
            return Some(hash.clone());
        }
        self.config
            .web
            .users
            .iter()
            .find(|u| u.name == user)
            .and_then(|u| u.password_hash.clone())
    }

    /// Runs `work` on a blocking thread while holding the database.
    pub async fn run<T, F>(self: &Arc<Self>, work: F) -> Result<T, WebError>
    where
        T: Send + 'static,
        F: FnOnce(&Config) -> anyhow::Result<T> + Send + 'static,
    {
        let me = self.clone();
        tokio::task::spawn_blocking(move || {
            let _held = me.database.lock().unwrap_or_else(|e| e.into_inner());
            work(&me.config)
        })
        .await
        .map_err(|e| WebError::Internal(anyhow::anyhow!("the job stopped: {e}")))?
        .map_err(WebError::from)
    }

    pub fn secure(&self) -> bool {
        self.config.web.tls()
    }
}

/// What a request can end in besides its page.
#[derive(Debug)]
pub enum WebError {
    /// Not logged in (or the session went idle): to the login page.
    Login,
    /// A viewer asked for an action.
    AdminOnly,
    /// A POST without the session's CSRF token.
    Csrf,
    NotFound(String),
    BadRequest(String),
    /// Another process holds the database for now.
    Busy,
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for WebError {
    fn from(e: anyhow::Error) -> Self {
        use crate::jobs::FailureKind;
        if let Some(crate::jobs::Refusal::ExactMatching) = e.downcast_ref::<crate::jobs::Refusal>()
        {
            return WebError::BadRequest(
                "诉求对象按地址原文归并（配置 subjects.matching = \"exact\"），没有可审核或决定的内容；改为 \"fuzzy\" 后才能合并或拆分。".into(),
            );
        }
        if let Some(crate::handling::HandlingError::NotACase(id)) =
            e.downcast_ref::<crate::handling::HandlingError>()
        {
            return WebError::NotFound(format!("案件 {id}"));
        }
        let failure = crate::jobs::JobError::from(e);
        match failure.kind {
            FailureKind::NotFound => WebError::NotFound(failure.to_string()),
            FailureKind::Invalid => WebError::BadRequest(failure.to_string()),
            FailureKind::Busy => WebError::Busy,
            FailureKind::Failed => WebError::Internal(failure.error),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, text, detail) = match self {
            WebError::Login => return Redirect::to("/login").into_response(),
            WebError::AdminOnly => (
                StatusCode::FORBIDDEN,
                "此操作需要管理员权限。".to_string(),
                None,
            ),
            WebError::Csrf => (
                StatusCode::FORBIDDEN,
                "表单已过期或来源不明（缺少防伪令牌），请返回页面刷新后重试。".to_string(),
                None,
            ),
            WebError::NotFound(what) => (StatusCode::NOT_FOUND, format!("未找到：{what}"), None),
            WebError::BadRequest(why) => (StatusCode::BAD_REQUEST, why, None),
            WebError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                "数据库正被另一个进程使用（例如正在导入或生成报表），请稍后再试。".to_string(),
                None,
            ),
            WebError::Internal(e) => {
                tracing::warn!("console: {e:#}");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "这一步没能完成。请稍后再试；再次出现时，请把下面的技术细节告诉管理员。"
                        .to_string(),
                    Some(format!("{e:#}")),
                )
            }
        };
        (status, render::error_page(status, &text, detail.as_deref())).into_response()
    }
}

/// The logged-in user of a request (extracting it sends others to the login page).
pub struct User(pub Session);

impl User {
    pub fn admin(&self) -> Result<(), WebError> {
        match self.0.role {
            Role::Admin => Ok(()),
            Role::Lead | Role::Viewer => Err(WebError::AdminOnly),
        }
    }

    pub fn check_csrf(&self, token: &str) -> Result<(), WebError> {
        if auth::same_token(token, &self.0.csrf) {
            Ok(())
        } else {
            Err(WebError::Csrf)
        }
    }

    /// An action: admins only, with the session's CSRF token.
    pub fn act(&self, token: &str) -> Result<(), WebError> {
        self.check_csrf(token)?;
        self.admin()
    }

    pub fn name(&self) -> &str {
        &self.0.user
    }

    /// The lead a lead's login is (his name in `[leads]`).
    pub fn lead(&self) -> Option<&str> {
        self.0.lead.as_deref()
    }

    /// Who signs what this user writes: a lead by his name, anyone else by the login.
    pub fn signature(&self) -> &str {
        self.lead().unwrap_or(&self.0.user)
    }

    /// Ends an action: its outcome is left for the page `to`, which the browser is sent to
    /// (post/redirect/get: Back and reload never repeat the action).
    pub fn done(&self, state: &State, flash: auth::Flash, to: &str) -> Response {
        state.sessions.flash(&self.0.id, flash);
        Redirect::to(to).into_response()
    }
}

impl FromRequestParts<State> for User {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &State) -> Result<User, WebError> {
        let id = auth::cookie(&parts.headers, auth::SESSION_COOKIE).ok_or(WebError::Login)?;
        let viewing = parts.method == axum::http::Method::GET;
        let mut session = state.sessions.touch(&id, viewing).ok_or(WebError::Login)?;
        if viewing {
            session.stale = state.stale_notice().await;
        }
        Ok(User(session))
    }
}

/// Headers every response gets: no caching of personal data, a strict
/// Content-Security-Policy (no script at all, styles from our own file).
async fn harden(response: Response) -> Response {
    let mut response = response;
    let h = response.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: header::HeaderName, v: &'static str| {
        h.entry(k).or_insert(HeaderValue::from_static(v));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::CACHE_CONTROL, "no-store");
    response
}

/// Every page and action.
pub fn router(state: State) -> Router {
    let upload_limit = (state.config.web.upload_limit_mb as usize) * 1024 * 1024 + 64 * 1024;
    Router::new()
        .route("/", get(pages::overview::get))
        .route("/login", get(pages::login::get).post(pages::login::post))
        .route("/logout", post(pages::login::logout))
        .route("/static/console.css", get(render::stylesheet))
        // Asked for by the browser's PDF viewer, which ignores the pages' icon link.
        .route("/favicon.ico", get(|| async { StatusCode::NO_CONTENT }))
        .route("/cases", get(pages::cases::get))
        .route("/cases.csv", get(pages::cases::csv))
        .route("/cases.xlsx", get(pages::cases::xlsx))
        .route("/cases/{id}", get(pages::case::get))
        .route("/cases/{id}/orders.csv", get(pages::case::orders_csv))
        .route("/cases/{id}/handling", post(pages::case::add_handling))
        .route("/cases/{id}/unmask", post(pages::case::unmask))
        .route("/subjects", get(pages::subjects::get))
        .route("/subjects/pair", get(pages::subjects::pair))
        .route("/subjects/decide", post(pages::subjects::decide))
        .route("/subjects/undo", post(pages::subjects::undo))
        .route("/reports", get(pages::reports::get))
        .route("/reports/make", post(pages::reports::make))
        .route("/reports/preview", post(pages::reports::preview))
        .route("/reports/ask", post(pages::reports::ask))
        .route(
            "/reports/send",
            get(pages::reports::confirm).post(pages::reports::send),
        )
        .route("/reports/file/{name}", get(pages::reports::file))
        .route("/archive/file", get(pages::reports::archived))
        .route("/import/rejected.xlsx", get(pages::import::download))
        .route(
            "/import",
            get(pages::import::get)
                .post(pages::import::post)
                .layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/runs", get(pages::runs::get))
        .route("/runs/resend", post(pages::runs::resend))
        .route("/help", get(pages::help::get))
        .route("/account", get(pages::account::get))
        .route("/account/password", post(pages::account::change))
        .route("/account/reset", post(pages::account::reset))
        .route("/help/images/{name}", get(pages::help::image))
        .fallback(|| async { WebError::NotFound("此页面".into()) })
        .layer(axum::middleware::map_response(harden))
        .with_state(state)
}

/// The address to open, for messages.
pub fn address_hint(config: &Config) -> String {
    let scheme = if config.web.tls() { "https" } else { "http" };
    format!("{scheme}://{}/", config.web.addr())
}

/// Serves the console until `stop` resolves. `on_bound` hears the address actually bound
/// (the configured port may be 0 in tests).
pub async fn serve(
    config: Config,
    database: Arc<Mutex<()>>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
    on_bound: impl FnOnce(SocketAddr),
) -> anyhow::Result<()> {
    let web = config.web.clone();
    let state: State = Arc::new(Console::new(config, database)?);
    if !web.users.iter().any(|u| u.password_hash.is_some()) {
        eprintln!(
            "web console: no user can log in yet: add [[web.users]] to the config and set a password with `hotline-ledger web passwd NAME`"
        );
    }
    spawn_warming(state.clone());
    let app = router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let listener = tokio::net::TcpListener::bind(web.addr())
        .await
        .map_err(|e| anyhow::anyhow!("web console: cannot listen on {}: {e}", web.listen))?;
    let bound = listener.local_addr()?;
    match (&web.tls_cert, &web.tls_key) {
        (Some(cert), Some(key)) => {
            let (cert, key) = (state.config.resolve(cert), state.config.resolve(key));
            let tls = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                .await
                .map_err(|e| {
                    anyhow::anyhow!(
                        "web console: cannot read the TLS certificate {} or key {}: {e}",
                        cert.display(),
                        key.display()
                    )
                })?;
            let handle = axum_server::Handle::new();
            let stopper = handle.clone();
            tokio::spawn(async move {
                stop.await;
                stopper.graceful_shutdown(Some(Duration::from_secs(5)));
            });
            on_bound(bound);
            axum_server::from_tcp_rustls(listener.into_std()?, tls)
                .handle(handle)
                .serve(app)
                .await?;
        }
        _ => {
            on_bound(bound);
            axum::serve(listener, app)
                .with_graceful_shutdown(stop)
                .await?;
        }
    }
    Ok(())
}

/// How often the console looks whether today's cases must be worked out again.
const WARM_EVERY: Duration = Duration::from_secs(10);

/// Keeps today's cases and overview figures worked out ahead of the pages: at start and
/// whenever the data changed (a load by any process, a subject decision) or the day turned,
/// so the first page opened after a load reads them instead of waiting seconds for them on
/// a large database. Other days are worked out when a page asks for them.
fn spawn_warming(state: State) {
    tokio::spawn(async move {
        loop {
            let me = state.clone();
            let warmed = state
                .run(move |c| {
                    me.cache.overview(c, pages::today(c))?;
                    Ok(())
                })
                .await;
            if let Err(WebError::Internal(e)) = warmed {
                tracing::warn!("web console: cannot work out today's cases ahead: {e:#}");
            }
            tokio::time::sleep(WARM_EVERY).await;
        }
    });
}

/// `hotline-ledger web`: the console alone, until Ctrl-C or SIGTERM.
pub fn run_alone(config: &Config) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let scheme = if config.web.tls() { "https" } else { "http" };
    runtime.block_on(async {
        serve(
            config.clone(),
            Arc::new(Mutex::new(())),
            crate::shutdown::stop_signal(),
            |addr| {
                use std::io::Write;
                println!("web console: {scheme}://{addr}/");
                let _ = std::io::stdout().flush();
            },
        )
        .await
    })
}
