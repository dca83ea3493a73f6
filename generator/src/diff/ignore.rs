//! Accepted changes: an ignore file (`sdkgen-diff-ignore.toml`) lists changes that are known and
//! accepted, by fingerprint or by kind and location. An ignored change is still listed (as
//! ignored) but neither counts as breaking nor raises the semver level.
//!
//! ```toml
//! [[ignore]]
//! fingerprint = "3f2a9c01b7de"        # as printed next to each change
//! reason = "the old endpoint was never public"
//!
//! [[ignore]]
//! kind = "property-removed"
//! location = "/components/schemas/Pet/properties/tag"   # a trailing `*` matches a prefix
//! ```

use super::{Change, Report};
use serde::Deserialize;

/// The name the ignore file usually has.
pub const IGNORE_FILE: &str = "sdkgen-diff-ignore.toml";

/// A parsed ignore file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    #[serde(default)]
    pub ignore: Vec<Rule>,
}

/// One accepted change.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub fingerprint: Option<String>,
    pub kind: Option<String>,
    pub location: Option<String>,
    /// Why the change is accepted (for people; not read).
    pub reason: Option<String>,
}

impl Rule {
    fn matches(&self, c: &Change) -> bool {
        if let Some(f) = &self.fingerprint {
            return c.fingerprint() == *f;
        }
        let kind = self.kind.as_deref().is_none_or(|k| k == c.kind.as_str());
        let location = match self.location.as_deref() {
            Some(l) => match l.strip_suffix('*') {
                Some(prefix) => c.location.starts_with(prefix),
                None => c.location == l,
            },
            None => true,
        };
        kind && location
    }
}

impl Ignore {
    /// Reads an ignore file's text.
    ///
    /// # Errors
    ///
    /// The TOML error, or the first rule that names neither a fingerprint nor a kind and a
    /// location (such a rule would ignore too much).
    pub fn parse(text: &str) -> Result<Ignore, String> {
        let ignore: Ignore = toml::from_str(text).map_err(|e| e.to_string())?;
        for (i, r) in ignore.ignore.iter().enumerate() {
            if r.fingerprint.is_none() && (r.kind.is_none() || r.location.is_none()) {
                return Err(format!("ignore[{i}]: give a `fingerprint`, or both `kind` and `location`"));
            }
        }
        Ok(ignore)
    }

    /// Marks the changes the file accepts as ignored.
    pub fn apply(&self, report: &mut Report) {
        for c in &mut report.changes {
            if self.ignore.iter().any(|r| r.matches(c)) {
                c.ignored = true;
            }
        }
    }
}
