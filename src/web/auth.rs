//! Who is asking: password hashes (argon2), sessions (random ids in an HttpOnly,
//! SameSite=Strict cookie, logged out after the configured idle time), the CSRF token every
//! POST carries, and the login rate limit. Sessions live in memory: a restart logs
//! everyone out.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::http::HeaderMap;
use rand::RngCore;

use crate::config::Role;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "hl_session";
/// The cookie that carries the login form's CSRF token before there is a session.
pub const LOGIN_COOKIE: &str = "hl_login";

/// An argon2id PHC string for `password`.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?
        .to_string())
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the user does not exist, so that a missing user takes
/// as long as a wrong password.
pub fn dummy_hash() -> String {
    hash_password("no such user").unwrap_or_default()
}

/// 32 random bytes, hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Compares two tokens in time independent of where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A logged-in user.
#[derive(Debug, Clone)]
pub struct Session {
    /// The session's id (its cookie's value).
    pub id: String,
    pub user: String,
    pub role: Role,
    /// A lead's name in `[leads]`, for a lead's login.
    pub lead: Option<String>,
    pub csrf: String,
    /// The outcome of the action just done, shown once by the page it redirected to.
    pub flash: Option<Flash>,
    /// A case whose personal data an admin asked to see in full: the next view of that
    /// case shows it, once.
    pub unmasked: Option<String>,
    /// The notice that the data is old, for the page being viewed (set per request).
    pub stale: Option<String>,
    last_seen: Instant,
}

/// What an action did, for the page it redirects to (post/redirect/get): shown once.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Flash {
    pub ok: bool,
    pub title: String,
    pub lines: Vec<String>,
    /// (address, text) of links the outcome offers: a made report, the undo form's id.
    pub links: Vec<(String, String)>,
    /// A decision that can be undone from the message.
    pub undo: Option<i64>,
}

/// The open sessions.
pub struct Sessions {
    idle: Duration,
    open: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    pub fn new(idle: Duration) -> Sessions {
        Sessions {
            idle,
            open: Mutex::new(HashMap::new()),
        }
    }

    /// Opens a session; returns its id.
    pub fn open(&self, user: &str, role: Role, lead: Option<String>) -> String {
        let id = random_token();
        let mut open = self.open.lock().expect("sessions");
        let idle = self.idle;
        open.retain(|_, s| s.last_seen.elapsed() < idle);
        open.insert(
            id.clone(),
            Session {
                id: id.clone(),
                user: user.to_string(),
                role,
                lead,
                csrf: random_token(),
                flash: None,
                unmasked: None,
                stale: None,
                last_seen: Instant::now(),
            },
        );
        id
    }

    /// The session of `id` if it is open and not idle too long (and marks it used). A
    /// page view (`viewing`) takes what the last action left to show, so it shows once.
    pub fn touch(&self, id: &str, viewing: bool) -> Option<Session> {
        let mut open = self.open.lock().expect("sessions");
        match open.get_mut(id) {
            Some(s) if s.last_seen.elapsed() < self.idle => {
                s.last_seen = Instant::now();
                let seen = s.clone();
                if viewing {
                    s.flash = None;
                    s.unmasked = None;
                }
                Some(seen)
            }
            Some(_) => {
                open.remove(id);
                None
            }
            None => None,
        }
    }

    /// Leaves `flash` for the session's next page view.
    pub fn flash(&self, id: &str, flash: Flash) {
        if let Some(s) = self.open.lock().expect("sessions").get_mut(id) {
            s.flash = Some(flash);
        }
    }

    /// Lets the session's next view of `case` show its personal data in full.
    pub fn unmask(&self, id: &str, case: &str) {
        if let Some(s) = self.open.lock().expect("sessions").get_mut(id) {
            s.unmasked = Some(case.to_string());
        }
    }

    pub fn close(&self, id: &str) {
        self.open.lock().expect("sessions").remove(id);
    }
}

/// Failed logins per user name and per client address, in a sliding window.
pub struct LoginLimiter {
    window: Duration,
    allowed: usize,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    pub fn new(allowed: u32, window: Duration) -> LoginLimiter {
        LoginLimiter {
            window,
            allowed: allowed as usize,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn keys(name: &str, ip: Option<IpAddr>) -> Vec<String> {
        let mut keys = vec![format!("user:{name}")];
        if let Some(ip) = ip {
            keys.push(format!("ip:{ip}"));
        }
        keys
    }

    /// Takes an attempt if one is allowed now, in one step: a name gets the configured
    /// number of failures, a client address four times that (an office shares one
    /// address). The attempt counts as a failure until `succeeded` says otherwise, so
    /// attempts sent at once cannot all pass the check before any is recorded.
    pub fn try_attempt(&self, name: &str, ip: Option<IpAddr>) -> bool {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let window = self.window;
        let keys = Self::keys(name, ip);
        let allowed = keys.iter().all(|k| {
            let list = failures.entry(k.clone()).or_default();
            list.retain(|t| t.elapsed() < window);
            let allowed = if k.starts_with("ip:") {
                self.allowed * 4
            } else {
                self.allowed
            };
            list.len() < allowed
        });
        if allowed {
            let now = Instant::now();
            for k in keys {
                failures.entry(k).or_default().push(now);
            }
        }
        allowed
    }

    /// An attempt taken by `try_attempt` succeeded: the name starts afresh, and the
    /// address's count loses that attempt.
    pub fn succeeded(&self, name: &str, ip: Option<IpAddr>) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(&format!("user:{name}"));
        if let Some(ip) = ip {
            if let Some(list) = failures.get_mut(&format!("ip:{ip}")) {
                list.pop();
            }
        }
    }
}

/// The value of cookie `name` in the request's Cookie headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// A Set-Cookie value: HttpOnly, SameSite=Strict, Secure under TLS; `max_age` 0 deletes.
pub fn set_cookie(name: &str, value: &str, secure: bool, max_age: Option<u64>) -> String {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if secure {
        c.push_str("; Secure");
    }
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let h = hash_password("秘密 password").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("秘密 password", &h));
        assert!(!verify_password("秘密 passwor", &h));
        assert!(!verify_password("x", "not a hash"));
    }

    #[test]
    fn logins_are_refused_after_the_allowed_failures() {
        let l = LoginLimiter::new(2, Duration::from_secs(60));
        assert!(l.try_attempt("a", None));
        assert!(l.try_attempt("a", None));
        assert!(!l.try_attempt("a", None));
        assert!(l.try_attempt("b", None));
        // A success starts the name afresh.
        l.succeeded("b", None);
        assert!(l.try_attempt("b", None));
        assert!(l.try_attempt("b", None));
        assert!(!l.try_attempt("b", None));
    }

    #[test]
    fn attempts_made_at_once_get_no_more_than_the_limit() {
        let l = LoginLimiter::new(5, Duration::from_secs(60));
        let taken = std::thread::scope(|scope| {
            let tries: Vec<_> = (0..40)
                .map(|_| scope.spawn(|| l.try_attempt("a", None)))
                .collect();
            tries
                .into_iter()
                .filter_map(|t| t.join().ok())
                .filter(|taken| *taken)
                .count()
        });
        assert_eq!(taken, 5);
    }

    #[test]
    fn an_idle_session_is_closed() {
        let s = Sessions::new(Duration::from_millis(0));
        let id = s.open("a", Role::Admin, None);
        assert!(s.touch(&id, false).is_none());
        let s = Sessions::new(Duration::from_secs(60));
        let id = s.open("a", Role::Viewer, None);
        assert_eq!(s.touch(&id, false).unwrap().user, "a");
        s.close(&id);
        assert!(s.touch(&id, false).is_none());
    }

    #[test]
    fn an_actions_outcome_is_shown_by_one_page_view() {
        let s = Sessions::new(Duration::from_secs(60));
        let id = s.open("a", Role::Admin, None);
        s.flash(
            &id,
            Flash {
                ok: true,
                title: "导入完成".into(),
                ..Flash::default()
            },
        );
        // An action (a POST) leaves it; the next page view takes it; the one after has none.
        assert!(s.touch(&id, false).unwrap().flash.is_some());
        assert_eq!(s.touch(&id, true).unwrap().flash.unwrap().title, "导入完成");
        assert!(s.touch(&id, true).unwrap().flash.is_none());
        s.unmask(&id, "GD1");
        assert_eq!(s.touch(&id, true).unwrap().unmasked.as_deref(), Some("GD1"));
        assert!(s.touch(&id, true).unwrap().unmasked.is_none());
    }
}
