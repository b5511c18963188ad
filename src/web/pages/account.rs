//! 账号: a user changes his own password (the current one asked), an admin resets
//! another's. The new hash (argon2) is in force at once and written to the config file for
//! the next start; both are audited, never with the password.

use axum::extract::{Form, State as Ext};
use axum::response::{Html, Response};
use serde::Deserialize;

use crate::codes::AuditAction;
use crate::web::auth::{self, Flash};
use crate::web::{State, User, WebError};

/// The shortest password the console takes (as `web passwd` does).
const SHORTEST: usize = 8;

pub async fn get(Ext(state): Ext<State>, user: User) -> Result<Html<String>, WebError> {
    let users: Vec<String> = state
        .config
        .web
        .users
        .iter()
        .map(|u| u.name.clone())
        .filter(|n| n != user.name())
        .collect();
    state.templates.page(
        "account.html",
        Some(&user),
        "account",
        minijinja::context! { users => users },
    )
}

#[derive(Deserialize)]
pub struct ChangeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    again: String,
}

/// Checks a password off the async threads, no more at once than the cores.
async fn verify(state: &State, password: String, hash: String) -> bool {
    let permit = state.password_checks.clone().acquire_owned().await;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        auth::verify_password(&password, &hash)
    })
    .await
    .unwrap_or(false)
}

/// Sets `name`'s password: hashed, written to the config file, in force at once, audited.
async fn set(state: &State, by: &User, name: &str, password: String) -> Result<(), WebError> {
    if password.chars().count() < SHORTEST {
        return Err(WebError::BadRequest(format!(
            "新密码至少要 {SHORTEST} 个字符，密码没有修改。"
        )));
    }
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password))
        .await
        .map_err(|e| WebError::Internal(anyhow::anyhow!("hashing stopped: {e}")))??;
    let file = std::path::PathBuf::from(&state.config.source);
    if !file.is_file() {
        return Err(WebError::BadRequest(
            "程序没有从配置文件启动，无法保存新密码；请在服务器上用 hotline-ledger web passwd 设置。"
                .into(),
        ));
    }
    let (who, target, written) = (by.name().to_string(), name.to_string(), hash.clone());
    state
        .run(move |c| {
            crate::config::Config::write_password_hash(&file, &target, &written)?;
            let what = if who == target {
                "修改了自己的密码"
            } else {
                "重设了密码"
            };
            crate::jobs::audit(c, &who, AuditAction::Password, &target, what)
        })
        .await?;
    state
        .changed_passwords
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(name.to_string(), hash);
    Ok(())
}

/// Changes one's own password: the current one asked, the new one twice.
pub async fn change(
    Ext(state): Ext<State>,
    user: User,
    Form(form): Form<ChangeForm>,
) -> Result<Response, WebError> {
    user.check_csrf(&form.csrf)?;
    let hash = state
        .password_hash(user.name())
        .unwrap_or_else(|| state.dummy_hash.clone());
    if !verify(&state, form.current, hash).await {
        return Err(WebError::BadRequest("当前密码不对，密码没有修改。".into()));
    }
    if form.new != form.again {
        return Err(WebError::BadRequest(
            "两次输入的新密码不一样，密码没有修改。".into(),
        ));
    }
    set(&state, &user, user.name(), form.new).await?;
    let flash = Flash {
        ok: true,
        title: "密码已修改，下次登录请用新密码".into(),
        ..Flash::default()
    };
    Ok(user.done(&state, flash, "/account"))
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    user: String,
    #[serde(default)]
    new: String,
}

/// An admin sets another user's password.
pub async fn reset(
    Ext(state): Ext<State>,
    user: User,
    Form(form): Form<ResetForm>,
) -> Result<Response, WebError> {
    user.act(&form.csrf)?;
    if !state.config.web.users.iter().any(|u| u.name == form.user) {
        return Err(WebError::NotFound(format!("用户“{}”", form.user)));
    }
    set(&state, &user, &form.user, form.new).await?;
    let flash = Flash {
        ok: true,
        title: format!("已重设{}的密码", form.user),
        ..Flash::default()
    };
    Ok(user.done(&state, flash, "/account"))
}
