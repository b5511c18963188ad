//! `subjects`: every subject with its episodes and counts, warning or not; and the admin's
//! work on them: `show`, `review`, `merge`, `separate`, `decisions`, `undo`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use hotline_ledger::analysis::AsOf;
use hotline_ledger::config::Config;
use hotline_ledger::jobs;

use super::exit::Exit;
use super::format::ListFormat;
use super::table::Table;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    pub action: Option<Action>,
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::parse_day)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Only subjects whose key contains this text.
    #[arg(long)]
    pub contains: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Action {
    /// The orders of one subject (a subject key, or the id of one of its orders such as a
    /// case id): each address as written and why it is in the subject.
    Show { subject: String },
    /// Pairs of places that may be one (scored between subjects.suggest_at and merge_at),
    /// each pair once, with both sides' orders and what joining them would make; `subjects
    /// show KEY` lists a side's orders. --format csv gives one row a pair, for a script.
    Review {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Join two subjects into one, for every later run and rebuild.
    Merge { a: String, b: String },
    /// Keep two subjects apart, whatever their addresses score.
    Separate { a: String, b: String },
    /// The admin's decisions; --export writes those in force to a file, --import takes a
    /// file back (nothing changes when it names what the data does not have).
    Decisions {
        #[arg(long, value_name = "FILE", conflicts_with = "import")]
        export: Option<PathBuf>,
        #[arg(long, value_name = "FILE")]
        import: Option<PathBuf>,
    },
    /// Undo decision N (as `subjects decisions` numbers them).
    Undo { id: i64 },
}

/// Entry point of `subjects`.
pub fn run(config: &Config, args: &Args) -> anyhow::Result<Exit> {
    match &args.action {
        None => list(config, args),
        Some(action) => {
            jobs::require_fuzzy(config)?;
            act(config, action)
        }
    }
}

fn list(config: &Config, args: &Args) -> anyhow::Result<Exit> {
    let as_of = AsOf::day_or_now(args.as_of, config.tz());
    let mut table = Table::new([
        "subject_key",
        "episode",
        "count",
        "first_order_id",
        "first_received_at",
        "last_received_at",
        "open_orders",
        "to_green",
    ]);
    for s in jobs::list_subjects(config, as_of)? {
        if args
            .contains
            .as_ref()
            .is_some_and(|f| !s.subject_key.contains(f.as_str()))
        {
            continue;
        }
        table.push(vec![
            s.subject_key,
            s.episode_no.to_string(),
            s.count.to_string(),
            s.first_order_id,
            s.first_received_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            s.last_received_at.format("%Y-%m-%d %H:%M:%S").to_string(),
            s.open_orders.to_string(),
            s.to_green.to_string(),
        ]);
    }
    match args.format {
        ListFormat::Csv => out!("{}", table.to_csv()),
        ListFormat::Table => {
            outln!("subjects as of {as_of} (to_green: complaints still needed for 绿色预警)");
            out!("{}", table.max_width(40).render());
        }
    }
    Ok(Exit::Done)
}

fn act(config: &Config, action: &Action) -> anyhow::Result<Exit> {
    match action {
        Action::Show { subject } => {
            let shown = jobs::show_subject(config, subject)?;
            let plural = |n: usize, one: &str, many: &str| {
                format!("{n} {}", if n == 1 { one } else { many })
            };
            outln!(
                "{} ({}, {} of writing the place)",
                shown.subject.key(),
                plural(shown.members.len(), "order", "orders"),
                plural(shown.variants, "way", "ways")
            );
            let mut table =
                Table::new(["order", "received", "category", "address as written", "why"])
                    .max_width(48);
            for m in &shown.members {
                table.push(vec![
                    m.order_id.clone(),
                    m.received_at.format("%Y-%m-%d %H:%M").to_string(),
                    m.category.clone(),
                    m.address.clone(),
                    m.why(),
                ]);
            }
            out!("{}", table.render());
        }
        Action::Review { format } => {
            let list = jobs::subject_suggestions(config)?;
            if list.is_empty() && *format == ListFormat::Table {
                outln!("no suggestions: every pair of places scored clearly one way");
                return Ok(Exit::Done);
            }
            let csv = *format == ListFormat::Csv;
            // The machine form in CSV, as every CSV of the program; the Chinese for people.
            let tier = |n: i64| match config.rules.tier_of(n) {
                Some(t) if csv => t.as_str(),
                Some(t) => t.label(),
                None if csv => "",
                None => "—",
            };
            let key = |address: &str, category: &str| {
                if csv {
                    format!("{category}|{address}")
                } else {
                    address.to_string()
                }
            };
            let mut table = Table::new([
                "category",
                if csv { "subject_a" } else { "a" },
                "orders_a",
                if csv { "subject_b" } else { "b" },
                "orders_b",
                "score",
                "on",
                "joined_orders",
                "joined_tier",
            ])
            .max_width(36);
            for s in &list {
                let joined = s.orders_a + s.orders_b;
                table.push(vec![
                    s.category.clone(),
                    key(&s.a, &s.category),
                    s.orders_a.to_string(),
                    key(&s.b, &s.category),
                    s.orders_b.to_string(),
                    format!("{:.2}", s.score),
                    s.on.clone(),
                    joined.to_string(),
                    tier(joined).to_string(),
                ]);
            }
            if csv {
                out!("{}", table.to_csv());
            } else {
                out!("{}", table.render());
                outln!(
                    "(orders over all time; the tier is what the joined orders would reach in one episode. `subjects show KEY` lists a side's orders, `subjects merge KEY KEY` joins, `subjects separate KEY KEY` keeps apart; a side's KEY is \"category|a\" (or the id of one of its orders))"
                );
            }
        }
        Action::Merge { a, b } | Action::Separate { a, b } => {
            let merge = matches!(action, Action::Merge { .. });
            let (id, sa, sb) = jobs::decide_subjects(config, merge, a, b)?;
            outln!(
                "decision {id}: {} {} and {}",
                if merge { "joined" } else { "kept apart" },
                sa.key(),
                sb.key()
            );
        }
        Action::Decisions { export, import } => {
            if let Some(path) = export {
                let text = jobs::export_decisions(config)?;
                std::fs::write(path, text)
                    .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
                outln!("written to {}", path.display());
            } else if let Some(path) = import {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
                let added = jobs::import_decisions(config, &text)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                outln!("{added} decision(s) imported from {}", path.display());
            } else {
                let list = jobs::subject_decisions(config)?;
                if list.is_empty() {
                    outln!("no decisions");
                }
                let mut table = Table::new(["n", "action", "category", "a", "b", "made", "undone"]);
                for d in list {
                    table.push(vec![
                        d.id.to_string(),
                        d.action,
                        d.category,
                        d.address_a,
                        d.address_b,
                        d.made_at.format("%Y-%m-%d %H:%M").to_string(),
                        d.undone_at
                            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                            .unwrap_or_default(),
                    ]);
                }
                out!("{}", table.render());
            }
        }
        Action::Undo { id } => {
            let d = jobs::undo_subject_decision(config, *id)?;
            outln!(
                "decision {} undone ({} {} / {})",
                d.id,
                d.action,
                d.address_a,
                d.address_b
            );
        }
    }
    Ok(Exit::Done)
}
