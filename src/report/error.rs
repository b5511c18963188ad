//! What can go wrong in making a report, and in a template.

use std::path::PathBuf;

/// A report template (or a message template) that cannot be used: where, and why.
#[derive(Debug, thiserror::Error)]
#[error("report template {source_name}, line {line}: {message}")]
pub struct TemplateError {
    pub source_name: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Template(#[from] TemplateError),
    #[error("the database failed while {step}: {source}")]
    Database { step: String, source: duckdb::Error },
    #[error("cannot work out the cases as of {as_of}: {source}")]
    Analysis {
        as_of: String,
        source: crate::analysis::AnalysisError,
    },
    #[error("cannot render the PDF: {0}")]
    Pdf(String),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Names the step a database error happened in.
pub(super) fn failed(step: String) -> impl FnOnce(duckdb::Error) -> ReportError {
    move |source| ReportError::Database { step, source }
}
