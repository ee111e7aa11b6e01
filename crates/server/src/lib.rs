//! The HTTP API (`/api/v1`) and the web UI (`web`) over the embedded registry. Every handler authenticates the
//! bearer token, then asks the access layer ([`access::Gate`]) — which checks the policy,
//! redacts and audits — and prints what it gets. No handler reads the store directly.
//!
//! rusqlite connections are not `Sync`: the registry sits behind a mutex and every
//! request that touches it runs on tokio's blocking pool.

mod api;
mod api_case_change;
mod api_case_travel;
mod api_cases;
pub mod chart;
mod openapi;
mod problem;
mod routes;
mod sessions;
mod state;
mod web;

pub use routes::router;
pub use state::AppState;

use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot listen on {addr}: {source}. Is another program using it? Choose another with --listen")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("the server stopped: {0}")]
    Serve(std::io::Error),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// Serves the API on `addr` until interrupted (Ctrl-C).
pub async fn serve(state: Arc<AppState>, addr: SocketAddr) -> Result<(), ServerError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })?;
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .map_err(ServerError::Serve)
}
