//! Stopping on Ctrl-C or SIGTERM, for the daemon and the console alike.

/// Ctrl-C or SIGTERM, listened for from the moment it is made.
pub struct StopSignal {
    interrupt: Option<tokio::signal::unix::Signal>,
    terminate: Option<tokio::signal::unix::Signal>,
}

impl StopSignal {
    pub fn listen() -> StopSignal {
        use tokio::signal::unix::{signal, SignalKind};
        StopSignal {
            interrupt: signal(SignalKind::interrupt()).ok(),
            terminate: signal(SignalKind::terminate()).ok(),
        }
    }

    pub async fn wait(mut self) {
        async fn on(signal: Option<&mut tokio::signal::unix::Signal>) {
            match signal {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending().await,
            }
        }
        tokio::select! {
            _ = on(self.interrupt.as_mut()) => {},
            _ = on(self.terminate.as_mut()) => {},
        }
    }
}

/// Resolves at Ctrl-C or SIGTERM (listening from the call on).
pub fn stop_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    let signal = StopSignal::listen();
    signal.wait()
}
