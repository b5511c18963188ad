//! The `[web]` table (the admin console: where it listens, who may log in) and the
//! `[leads]` table (who the captain, deputy captains and group leaders are, and which
//! streets or handling units each covers). Only descriptions and checks live here.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::codes::{LeadRole, Tier};

/// 管理后台: the web console.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Web {
    /// Address and port; a non-loopback address needs TLS or `allow_plain_http`.
    pub listen: String,
    /// PEM certificate chain and key: the console is served over HTTPS when both are set.
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// Serve plain HTTP on a non-loopback address (only behind a TLS proxy).
    pub allow_plain_http: bool,
    /// A session unused this long (minutes) is logged out.
    pub session_idle_minutes: u32,
    /// Largest uploaded export (MB).
    pub upload_limit_mb: u32,
    /// Failed logins allowed per user name and per client address in 15 minutes.
    pub login_attempts: u32,
    /// The console's address as the leads reach it (`https://ledger.example.cn`): when set,
    /// every warning carries the link to its case page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_url: Option<String>,
    pub users: Vec<WebUser>,
}

impl Web {
    /// The address of a case's page in the console, when `public_url` is set.
    pub fn case_link(&self, case_id: &str) -> Option<String> {
        let base = self.public_url.as_deref()?.trim().trim_end_matches('/');
        let id: String = url::form_urlencoded::byte_serialize(case_id.as_bytes()).collect();
        Some(format!("{base}/cases/{id}"))
    }
}

impl Default for Web {
    fn default() -> Self {
        Web {
            listen: "127.0.0.1:8350".into(),
            tls_cert: None,
            tls_key: None,
            allow_plain_http: false,
            session_idle_minutes: 30,
            upload_limit_mb: 50,
            login_attempts: 5,
            public_url: None,
            users: Vec::new(),
        }
    }
}

/// Who may log in to the console.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebUser {
    pub name: String,
    pub role: Role,
    /// For a lead: his name as `[leads]` lists it (the cases he leads are his; his
    /// handling records are signed with it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<String>,
    /// An argon2 PHC string, set by `hotline-ledger web passwd NAME`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
}

/// What a console user may do: viewers read; a lead reads and writes the handling records
/// of the cases he leads; admins act.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Lead,
    Viewer,
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "管理员",
            Role::Lead => "牵头人",
            Role::Viewer => "只读",
        }
    }
}

impl Web {
    /// The listen address (validated at load).
    pub fn addr(&self) -> SocketAddr {
        self.listen
            .parse()
            .expect("web.listen is validated at load")
    }

    pub fn tls(&self) -> bool {
        self.tls_cert.is_some() && self.tls_key.is_some()
    }

    /// The first problem with the table, as (key, message).
    pub fn check(&self) -> Option<(String, String)> {
        let addr: SocketAddr = match self.listen.parse() {
            Ok(a) => a,
            Err(_) => {
                return Some((
                    "web.listen".into(),
                    format!(
                        "\"{}\" is not an address and port such as \"127.0.0.1:8350\"",
                        self.listen
                    ),
                ))
            }
        };
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            return Some((
                "web.tls_key".into(),
                "give both web.tls_cert and web.tls_key, or neither".into(),
            ));
        }
        if !addr.ip().is_loopback() && !self.tls() && !self.allow_plain_http {
            return Some((
                "web.listen".into(),
                format!(
                    "{addr} is reachable from other machines: set web.tls_cert and web.tls_key, or allow_plain_http = true behind a TLS proxy"
                ),
            ));
        }
        if self.session_idle_minutes == 0 {
            return Some((
                "web.session_idle_minutes".into(),
                "must be at least 1".into(),
            ));
        }
        if self.upload_limit_mb == 0 {
            return Some(("web.upload_limit_mb".into(), "must be at least 1".into()));
        }
        if self.login_attempts == 0 {
            return Some(("web.login_attempts".into(), "must be at least 1".into()));
        }
        if let Some(url) = &self.public_url {
            let fine = url::Url::parse(url.trim())
                .is_ok_and(|u| matches!(u.scheme(), "https" | "http") && u.host().is_some());
            if !fine {
                return Some((
                    "web.public_url".into(),
                    format!("\"{url}\" is not a web address such as \"https://ledger.example.cn\""),
                ));
            }
        }
        for (i, user) in self.users.iter().enumerate() {
            let key = format!("web.users[{i}]");
            if user.name.trim().is_empty() || user.name.chars().any(char::is_control) {
                return Some((format!("{key}.name"), "must be a non-empty name".into()));
            }
            if self.users[..i].iter().any(|u| u.name == user.name) {
                return Some((
                    format!("{key}.name"),
                    format!("\"{}\" is listed twice", user.name),
                ));
            }
            match (user.role, &user.lead) {
                (Role::Lead, None) => {
                    return Some((
                        format!("{key}.lead"),
                        "a lead's login names the lead: his name as [leads] lists it".into(),
                    ))
                }
                (Role::Admin | Role::Viewer, Some(_)) => {
                    return Some((
                        format!("{key}.lead"),
                        "only a user with role = \"lead\" names a lead".into(),
                    ))
                }
                _ => {}
            }
            if let Some(hash) = &user.password_hash {
                if !hash.starts_with("$argon2") {
                    return Some((
                        format!("{key}.password_hash"),
                        "is not an argon2 hash: set it with `hotline-ledger web passwd NAME`, never a plain password".into(),
                    ));
                }
            }
        }
        None
    }
}

/// 牵头人: the people who lead the handling of warning cases, by tier.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Leads {
    /// 大队长: leads red cases.
    pub captain: Option<Lead>,
    /// 副大队长: lead yellow cases of the streets or units they cover.
    pub deputies: Vec<Lead>,
    /// 组长: lead green cases of the streets or units they cover.
    pub group_leaders: Vec<Lead>,
    /// Who is told at once of a 专门办 (safety hazard) case, e.g. the street's working
    /// committee contact.
    pub special: Option<Lead>,
}

/// A named lead and what they cover; the e-mail address is where warnings of their cases
/// are sent (预警通知).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Lead {
    pub name: String,
    pub email: Option<String>,
    /// 所属街道 covered (deputies and group leaders).
    pub streets: Vec<String>,
    /// 承办单位 covered (deputies and group leaders).
    pub units: Vec<String>,
}

impl Lead {
    /// A lead who lists no street and no unit leads the cases no one else of the role
    /// covers.
    fn is_default(&self) -> bool {
        self.streets.iter().all(|s| s.trim().is_empty())
            && self.units.iter().all(|u| u.trim().is_empty())
    }

    fn covers(&self, street: &str, unit: &str) -> bool {
        (!street.is_empty() && self.streets.iter().any(|s| s.trim() == street))
            || (!unit.is_empty() && self.units.iter().any(|u| u.trim() == unit))
    }
}

impl Leads {
    /// Who leads a case of `tier` at `street` handled by `unit`: the captain for red, the
    /// deputy or group leader covering the street (or else the unit) for yellow or green,
    /// or else the role's default: the first of them who lists no street and no unit.
    pub fn lead_of(&self, tier: Tier, street: &str, unit: &str) -> Option<&Lead> {
        let (street, unit) = (street.trim(), unit.trim());
        let pick = |list: &'_ [Lead]| -> Option<usize> {
            list.iter()
                .position(|l| !street.is_empty() && l.streets.iter().any(|s| s.trim() == street))
                .or_else(|| list.iter().position(|l| l.covers("", unit)))
                .or_else(|| list.iter().position(Lead::is_default))
        };
        match tier.lead_role() {
            LeadRole::Captain => self.captain.as_ref(),
            LeadRole::DeputyCaptain => pick(&self.deputies).map(|i| &self.deputies[i]),
            LeadRole::GroupLeader => pick(&self.group_leaders).map(|i| &self.group_leaders[i]),
        }
        .filter(|l| !l.name.trim().is_empty())
    }

    /// Where a case's lead comes in a list by lead: the role (captain, deputy captains,
    /// group leaders), then the lead's place in `[leads]`; cases whose role has no one
    /// named come last within the role.
    pub fn rank(&self, tier: Tier, street: &str, unit: &str) -> (usize, usize) {
        let role = match tier.lead_role() {
            LeadRole::Captain => 0,
            LeadRole::DeputyCaptain => 1,
            LeadRole::GroupLeader => 2,
        };
        let index = self.lead_of(tier, street, unit).map(|lead| {
            [&self.deputies, &self.group_leaders]
                .iter()
                .find_map(|list| list.iter().position(|l| std::ptr::eq(l, lead)))
                .unwrap_or(0)
        });
        (role, index.unwrap_or(usize::MAX))
    }

    /// Every named lead, captain first, each once.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for l in self
            .captain
            .iter()
            .chain(&self.deputies)
            .chain(&self.group_leaders)
        {
            let name = l.name.trim().to_string();
            if !name.is_empty() && !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// "大队长 张某某", or the role alone when no one is named.
    pub fn label(&self, tier: Tier, street: &str, unit: &str) -> String {
        let role = tier.lead_role().label();
        match self.lead_of(tier, street, unit) {
            Some(l) => format!("{role} {}", l.name.trim()),
            None => role.to_string(),
        }
    }

    /// The first problem with the table, as (key, message).
    pub fn check(&self) -> Option<(String, String)> {
        let mut all: Vec<(String, &Lead)> = Vec::new();
        all.extend(
            self.captain
                .iter()
                .map(|l| ("leads.captain".to_string(), l)),
        );
        all.extend(
            self.special
                .iter()
                .map(|l| ("leads.special".to_string(), l)),
        );
        for (i, l) in self.deputies.iter().enumerate() {
            all.push((format!("leads.deputies[{i}]"), l));
        }
        for (i, l) in self.group_leaders.iter().enumerate() {
            all.push((format!("leads.group_leaders[{i}]"), l));
        }
        for (key, lead) in all {
            if lead.name.trim().is_empty() {
                return Some((format!("{key}.name"), "must not be empty".into()));
            }
            if let Some(email) = &lead.email {
                if email.parse::<lettre::message::Mailbox>().is_err() {
                    return Some((
                        format!("{key}.email"),
                        format!("\"{email}\" is not an e-mail address"),
                    ));
                }
            }
        }
        None
    }
}
