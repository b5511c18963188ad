//! 登录 / 退出.

use crate::codes::AuditAction;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Form, State as Ext};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::web::auth::{self, LOGIN_COOKIE, SESSION_COOKIE};
use crate::web::{State, User, WebError};

/// The login form, with a fresh CSRF token in a cookie and in the form.
pub async fn get(Ext(state): Ext<State>) -> Result<Response, WebError> {
    login_page(&state, None, StatusCode::OK)
}

fn login_page(
    state: &State,
    error: Option<&str>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let token = auth::random_token();
    let html = state.templates.page(
        "login.html",
        None,
        "",
        minijinja::context! { csrf => token.clone(), error => error },
    )?;
    Ok((
        status,
        [(
            header::SET_COOKIE,
            auth::set_cookie(LOGIN_COOKIE, &token, state.secure(), Some(1800)),
        )],
        html,
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

pub async fn post(
    Ext(state): Ext<State>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let expected = auth::cookie(&headers, LOGIN_COOKIE).unwrap_or_default();
    if expected.is_empty() || !auth::same_token(&form.csrf, &expected) {
        return Err(WebError::Csrf);
    }
    let name = form.name.trim().to_string();
    let ip = Some(peer.ip());
    if !state.limiter.try_attempt(&name, ip) {
        return login_page(
            &state,
            Some("登录失败次数过多,请15分钟后再试。"),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let user = state
        .config
        .web
        .users
        .iter()
        .find(|u| u.name == name)
        .cloned();
    let known = user.as_ref().and_then(|u| state.password_hash(&u.name));
    let hash = known.clone().unwrap_or_else(|| state.dummy_hash.clone());
    let password = form.password;
    // Each check takes about 19 MiB and a core for a moment: only so many at once, the
    // others wait their turn.
    let permit = state.password_checks.clone().acquire_owned().await;
    let ok = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        auth::verify_password(&password, &hash)
    })
    .await
    .unwrap_or(false);
    let user = match user.filter(|_| ok && known.is_some()) {
        Some(u) => u,
        None => {
            return login_page(&state, Some("用户名或密码错误。"), StatusCode::UNAUTHORIZED);
        }
    };
    state.limiter.succeeded(&name, ip);
    let id = state
        .sessions
        .open(&user.name, user.role, user.lead.clone());
    let who = user.name.clone();
    state
        .run(move |c| {
            crate::jobs::audit(
                c,
                &who,
                AuditAction::Login,
                "",
                &format!("来自 {}", peer.ip()),
            )
        })
        .await?;
    let secure = state.secure();
    Ok((
        AppendHeaders([
            (
                header::SET_COOKIE,
                auth::set_cookie(SESSION_COOKIE, &id, secure, None),
            ),
            (
                header::SET_COOKIE,
                auth::set_cookie(LOGIN_COOKIE, "", secure, Some(0)),
            ),
        ]),
        // A lead opens on his cases.
        Redirect::to(
            &user
                .lead
                .as_deref()
                .map_or("/".to_string(), crate::web::render::my_cases),
        ),
    )
        .into_response())
}

#[derive(Deserialize)]
pub struct Token {
    #[serde(default)]
    pub csrf: String,
}

pub async fn logout(
    Ext(state): Ext<State>,
    user: User,
    headers: HeaderMap,
    Form(form): Form<Token>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    if let Some(id) = auth::cookie(&headers, SESSION_COOKIE) {
        state.sessions.close(&id);
    }
    Ok((
        [(
            header::SET_COOKIE,
            auth::set_cookie(SESSION_COOKIE, "", state.secure(), Some(0)),
        )],
        Redirect::to("/login"),
    )
        .into_response())
}
