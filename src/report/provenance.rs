//! 数据来源: what a report was made from (the export files with their SHA-256, rows loaded
//! and rejected, the data window, the as-of instant, the rules in force), printed at the
//! report's end and stored in the PDF's metadata.

use chrono::NaiveDateTime;
use duckdb::params;

use super::model::Block;
use crate::analysis::AsOf;
use crate::config::Config;
use crate::period::zh_datetime;
use crate::queries;
use crate::store::Store;

/// An export file named in a report's provenance.
#[derive(Debug, Clone)]
pub(super) struct SourceFile {
    name: String,
    sha256: String,
    loaded: i64,
    rejected: i64,
    data_from: Option<NaiveDateTime>,
    data_to: Option<NaiveDateTime>,
    ingested_at: NaiveDateTime,
}

pub(super) fn provenance_files(
    store: &Store,
    from: NaiveDateTime,
) -> duckdb::Result<Vec<SourceFile>> {
    let mut stmt = store.conn().prepare(queries::REPORT_FILES)?;
    let rows = stmt.query_map(params![from], |r| {
        Ok(SourceFile {
            name: r.get(0)?,
            sha256: r.get(1)?,
            loaded: r.get(2)?,
            rejected: r.get(3)?,
            data_from: r.get(4)?,
            data_to: r.get(5)?,
            ingested_at: r.get(6)?,
        })
    })?;
    rows.collect()
}

/// 数据来源: what a report was made from, printed at its end and stored in its metadata.
pub(super) struct Provenance<'a> {
    pub(super) files: Vec<SourceFile>,
    pub(super) window_start: NaiveDateTime,
    pub(super) as_of: AsOf,
    pub(super) config: &'a Config,
    pub(super) masked: bool,
}

impl Provenance<'_> {
    pub(super) fn rules(&self) -> String {
        let r = &self.config.rules;
        format!(
            "规则:绿色预警≥{}件,黄色预警≥{}件,红色预警≥{}件;静默期{}天;办结状态:{};时区 {}",
            r.green,
            r.yellow,
            r.red,
            r.quiet_days,
            r.closed_statuses.join("、"),
            r.timezone
        )
    }

    pub(super) fn blocks(&self, missing: usize) -> Vec<Block> {
        let fmt = |t: Option<NaiveDateTime>| t.map(zh_datetime).unwrap_or_else(|| "—".into());
        let mut lines = vec![
            format!(
                "数据时点:截至 {}({});数据窗口:{} 至 {}",
                zh_datetime(self.as_of.0),
                self.config.rules.timezone,
                zh_datetime(self.window_start),
                zh_datetime(self.as_of.0)
            ),
            self.rules(),
            format!("导出文件({}个):", self.files.len()),
        ];
        for f in &self.files {
            lines.push(format!(
                "{} SHA-256 {} 载入{}行 拒收{}行 数据{}至{} 导入于{}",
                f.name,
                f.sha256,
                f.loaded,
                f.rejected,
                fmt(f.data_from),
                fmt(f.data_to),
                zh_datetime(f.ingested_at)
            ));
        }
        if missing > 0 {
            lines.push(format!("字库缺字:{missing}个字符无法显示,已以“?”代替。"));
        }
        lines.push(format!(
            "个人信息{};由 hotline-ledger {} 生成。",
            if self.masked {
                "已脱敏"
            } else {
                "未脱敏(按要求完整显示)"
            },
            env!("CARGO_PKG_VERSION")
        ));
        vec![
            Block::Gap(8.0),
            Block::KeepWithNext(Box::new(Block::Heading("数据来源与生成信息".into()))),
            Block::Small(lines),
        ]
    }

    pub(super) fn summary(&self) -> String {
        let files: Vec<String> = self
            .files
            .iter()
            .map(|f| format!("{} ({})", f.name, &f.sha256[..f.sha256.len().min(12)]))
            .collect();
        format!(
            "数据截至 {};{};文件:{}",
            self.as_of.0.format("%Y-%m-%d %H:%M:%S"),
            self.rules(),
            files.join(", ")
        )
    }

    pub(super) fn json(&self) -> String {
        let r = &self.config.rules;
        let files: Vec<serde_json::Value> = self
            .files
            .iter()
            .map(|f| {
                serde_json::json!({
                    "file": f.name,
                    "sha256": f.sha256,
                    "rows_loaded": f.loaded,
                    "rows_rejected": f.rejected,
                    "data_from": f.data_from.map(|t| t.to_string()),
                    "data_to": f.data_to.map(|t| t.to_string()),
                    "ingested_at": f.ingested_at.to_string(),
                })
            })
            .collect();
        serde_json::json!({
            "as_of": self.as_of.0.to_string(),
            "data_window_start": self.window_start.to_string(),
            "timezone": r.timezone,
            "rules": {
                "green": r.green, "yellow": r.yellow, "red": r.red,
                "quiet_days": r.quiet_days, "closed_statuses": r.closed_statuses,
            },
            "files": files,
            "masked": self.masked,
        })
        .to_string()
    }
}
