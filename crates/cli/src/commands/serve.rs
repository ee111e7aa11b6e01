//! `homeward serve`: the web UI and the HTTP API on the embedded registry, no other setup.

use crate::context::Global;
use anyhow::Context as _;
use clap::Args;
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Counts below this are withheld (never below 5).
    #[arg(long, default_value_t = access::suppression::DEFAULT_THRESHOLD)]
    pub threshold: u64,
}

pub fn run(global: &Global, args: &ServeArgs) -> anyhow::Result<()> {
    let reg = global.open()?;
    if reg.user_count()? == 0 {
        eprintln!(
            "warning: the registry has no users yet; create one with `homeward user add NAME --role admin --password-file F`"
        );
    }
    let mut state = server::AppState::new(reg, args.threshold)?;
    // Browsers send Secure cookies over HTTPS only; on loopback there is no TLS to need.
    state.secure_cookies = !args.listen.ip().is_loopback();
    let state = Arc::new(state);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    eprintln!(
        "Serving Homeward: web UI on http://{0}/ and the API on http://{0}/api/v1 (Ctrl-C stops).",
        args.listen
    );
    runtime.block_on(server::serve(state, args.listen))?;
    Ok(())
}
