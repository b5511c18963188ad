//! `notify`: tell the leads of every warning not told yet, now; `notify --dry-run`: what
//! would go out now; `notify --resend CASE`: tell a case's recipients again; `notify
//! --mark-told`: record what is pending as told, sending nothing.

use hotline_ledger::config::Config;
use hotline_ledger::history::Trigger;
use hotline_ledger::jobs;

use super::exit::Exit;
use super::outbox::exit_of_sending;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Show the warnings that would go out now, to whom, with what subject; send and
    /// record nothing.
    #[arg(long, conflicts_with = "resend")]
    pub dry_run: bool,
    /// Send a case's warning again as it stands now (to its lead, the admin and, for a
    /// special case, leads.special), whatever was sent before. CASE is the case's id or
    /// the id of one of its orders.
    #[arg(long, value_name = "CASE", conflicts_with = "mark_told")]
    pub resend: Option<String>,
    /// Record every warning pending now as told and send nothing: once, when warnings are
    /// set up on a database that already holds cases, so the leads are not sent them all.
    #[arg(long, conflicts_with = "dry_run")]
    pub mark_told: bool,
}

/// Entry point of `notify`.
pub fn run(config: &Config, args: &Args) -> anyhow::Result<Exit> {
    if args.dry_run {
        return dry_run(config);
    }
    if !config.notify.enabled && args.resend.is_none() && !args.mark_told {
        outln!("warnings are switched off (notify.enabled = false): nothing done");
        return Ok(Exit::Done);
    }
    let outcome = match &args.resend {
        Some(case) => jobs::notify_resend(config, case)?,
        None if args.mark_told => jobs::notify_mark_told(config)?,
        None => jobs::notify(config, Trigger::Manual, false)?,
    };
    if outcome.lines.is_empty() {
        outln!("nothing to send: every warning case's events were told before");
    }
    for line in &outcome.lines {
        outln!("{line}");
    }
    Ok(exit_of_sending(outcome.unsent))
}

fn dry_run(config: &Config) -> anyhow::Result<Exit> {
    let (pending, plan) = jobs::notify_dry_run(config)?;
    if pending.is_empty() {
        outln!("nothing to send: every warning case's events were told before");
        return Ok(Exit::Done);
    }
    for n in &pending {
        let events: Vec<String> = n
            .events
            .iter()
            .map(|e| format!("{} {}", e.kind.as_str(), e.tier.as_str()))
            .collect();
        outln!(
            "case {} ({} · {} · {}件 · {}): {}",
            n.case.case_id,
            n.case.category,
            n.case.address,
            n.case.count,
            n.lead,
            events.join(", ")
        );
    }
    if plan.is_empty() {
        outln!("no one to tell: give the leads an email (leads.*.email) or set recipients.admin");
    }
    for p in &plan {
        let when = match p.held_until {
            Some(t) => format!("held until {}", t.format("%Y-%m-%d %H:%M")),
            None => "now".to_string(),
        };
        outln!("would send {when} to {}: {}", p.to, p.subject);
    }
    Ok(Exit::Done)
}
