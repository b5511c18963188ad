//! 帮助: the guide for the office (docs/使用手册.md) with this squad's own numbers, and its
//! screenshots.

use axum::extract::{Path, State as Ext};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};

use crate::web::{State, User, WebError};

pub async fn get(Ext(state): Ext<State>, user: User) -> Result<Html<String>, WebError> {
    let guide = crate::guide::html(&state.config);
    state.templates.page(
        "help.html",
        Some(&user),
        "help",
        minijinja::context! { guide => minijinja::Value::from_safe_string(guide) },
    )
}

/// A screenshot of the guide, built into the program.
pub async fn image(_user: User, Path(name): Path<String>) -> Result<Response, WebError> {
    let bytes = crate::guide::image(&name).ok_or_else(|| WebError::NotFound("此图片".into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        bytes,
    )
        .into_response())
}
