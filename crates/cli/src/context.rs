//! What every registry command needs: where the registry is, its passphrase, the clock.

use anyhow::{bail, Context as _};
use model::time::Timestamp;
use std::io::IsTerminal;
use std::path::PathBuf;
use store::{AuditInput, Registry};

/// Global options, shared by all commands.
#[derive(clap::Args, Debug, Clone)]
pub struct Global {
    /// The registry file.
    #[arg(
        long,
        global = true,
        env = "HOMEWARD_REGISTRY",
        default_value = "homeward.db"
    )]
    pub registry: PathBuf,
    /// Read the passphrase from the first line of this file (else $HOMEWARD_PASSPHRASE,
    /// else a prompt).
    #[arg(long, global = true)]
    pub passphrase_file: Option<PathBuf>,
}

impl Global {
    /// The passphrase, from the environment, the file, or an interactive prompt.
    pub fn passphrase(&self, confirm: bool) -> anyhow::Result<String> {
        if let Ok(p) = std::env::var("HOMEWARD_PASSPHRASE") {
            if !p.is_empty() {
                return Ok(p);
            }
        }
        if let Some(file) = &self.passphrase_file {
            let text = std::fs::read_to_string(file)
                .with_context(|| format!("cannot read the passphrase file {}", file.display()))?;
            let line = text.lines().next().unwrap_or_default().to_string();
            if line.is_empty() {
                bail!(
                    "the passphrase file {} is empty; put the passphrase on its first line",
                    file.display()
                );
            }
            return Ok(line);
        }
        if !std::io::stdin().is_terminal() {
            bail!("no passphrase given: set HOMEWARD_PASSPHRASE or pass --passphrase-file FILE");
        }
        let first = rpassword::prompt_password("Registry passphrase: ")
            .context("cannot read the passphrase")?;
        if confirm {
            let again = rpassword::prompt_password("Repeat the passphrase: ")
                .context("cannot read the passphrase")?;
            if again != first {
                bail!("the two passphrases differ; nothing was created");
            }
        }
        Ok(first)
    }

    pub fn open(&self) -> anyhow::Result<Registry> {
        let pass = self.passphrase(false)?;
        Ok(Registry::open(&self.registry, &pass)?)
    }

    pub fn create(&self) -> anyhow::Result<Registry> {
        if self.registry.exists() {
            // Checked before asking for a passphrase, so nobody types one for nothing.
            return Err(store::StoreError::AlreadyExists(self.registry.clone()).into());
        }
        let pass = self.passphrase(true)?;
        if pass.chars().count() < 8 {
            bail!("the passphrase is too short: use at least 8 characters (a few words is best)");
        }
        Ok(Registry::create(&self.registry, &pass)?)
    }
}

/// Records what the passphrase holder reads or changes on the command line. The operator
/// holds the whole registry, but is not unseen: like a user's, each read of a person and
/// each change is an audit entry (actor `operator`, interface `cli`), written before
/// anything is shown, so a read that cannot be audited shows nothing.
pub fn audit_operator(
    reg: &Registry,
    action: &str,
    subjects: &[String],
    detail: &str,
) -> anyhow::Result<()> {
    let at = now().0;
    let entries: Vec<AuditInput> = subjects
        .iter()
        .map(|subject| AuditInput {
            at,
            actor: "operator",
            interface: "cli",
            action,
            subject,
            detail,
        })
        .collect();
    reg.audit_batch(&entries)
        .context("cannot write the audit entry, so nothing is shown or changed")?;
    Ok(())
}

pub fn now() -> Timestamp {
    Timestamp::from_datetime(chrono::Utc::now())
}
