//! The tokens the test servers accept, and their secrets.

/// The tokens the write tests' servers accept (`name:role:secret`), and their secrets.
pub const TOKENS: &str = "ana:editor:editor-secret-0123456789,\
                          root:admin:admin-secret-0123456789,\
                          rita:reader:reader-secret-0123456789";
pub const EDITOR: &str = "editor-secret-0123456789";
pub const ADMIN: &str = "admin-secret-0123456789";
pub const READER: &str = "reader-secret-0123456789";

/// A well-formed secret no token has.
pub const WRONG: &str = "not-a-configured-secret-000";
