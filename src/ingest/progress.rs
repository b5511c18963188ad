//! A progress bar for a long file on the terminal; nothing else prints from an ingest.

use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress bar on the terminal, shown only once a file has taken more than a moment.
pub struct Progress {
    bar: Option<ProgressBar>,
    enabled: bool,
    started: Instant,
    label: String,
}

impl Progress {
    pub fn new(enabled: bool, label: String) -> Self {
        Progress {
            bar: None,
            enabled,
            started: Instant::now(),
            label,
        }
    }

    pub fn update(&mut self, done: u64, total: u64) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && self.started.elapsed().as_millis() >= 700 {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {percent:>3}% {elapsed_precise}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar.set_message(self.label.clone());
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    }

    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
