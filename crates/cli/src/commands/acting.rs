//! Who a command acts as, for the commands that go through the access layer: the
//! registry's operator (the passphrase holder, acting with the administrator's role and
//! audited as `operator`), or a signed-in user (`homeward as USER ...`). Both read through
//! [`Gate`] and change through [`Writer`], so the rules — consent above all — are the
//! same whoever types the command.

use crate::context::now;
use access::gate::Gate;
use access::{AccessError, Directory, Role, User, Writer};
use anyhow::anyhow;
use model::ids::PersonId;
use store::Registry;

/// A command about one person.
#[derive(clap::Args, Debug)]
pub struct PersonArgs {
    /// A person id (the operator may give its first 8 characters).
    pub person: String,
    #[arg(long)]
    pub json: bool,
}

/// Someone acting on the registry from the command line.
pub struct Actor {
    pub user: User,
    /// The operator may type the first characters of an id; a user gives it in full, so
    /// that no lookup searches persons outside the access layer.
    pub prefixes: bool,
}

impl Actor {
    pub fn operator() -> Self {
        Self {
            user: User::new("operator", Role::Admin),
            prefixes: true,
        }
    }

    pub fn user(user: User) -> Self {
        Self {
            user,
            prefixes: false,
        }
    }

    /// A person id as typed.
    pub fn person(&self, reg: &Registry, text: &str) -> anyhow::Result<PersonId> {
        if self.prefixes {
            return crate::person_ids::resolve(reg, text);
        }
        text.parse().map_err(|_| {
            anyhow!(
                "no person with id '{text}' that {} may see; give a full id",
                self.user.name
            )
        })
    }

    /// An access error as the command line reports it.
    fn error(&self, e: AccessError) -> anyhow::Error {
        match e {
            AccessError::NotFound => {
                anyhow!("no person with that id that {} may see", self.user.name)
            }
            e => e.into(),
        }
    }

    pub fn read<T>(
        &self,
        reg: &Registry,
        f: impl FnOnce(&Gate) -> Result<T, AccessError>,
    ) -> anyhow::Result<T> {
        let dir = Directory::build(reg)?;
        let gate = Gate {
            registry: reg,
            directory: &dir,
            user: &self.user,
            interface: "cli",
            now_ms: now().0,
        };
        f(&gate).map_err(|e| self.error(e))
    }

    pub fn write<T>(
        &self,
        reg: &mut Registry,
        f: impl FnOnce(&mut Writer) -> Result<T, AccessError>,
    ) -> anyhow::Result<T> {
        let dir = Directory::build(reg)?;
        let mut writer = Writer {
            registry: reg,
            directory: &dir,
            user: &self.user,
            interface: "cli",
            now_ms: now().0,
        };
        f(&mut writer).map_err(|e| self.error(e))
    }
}
