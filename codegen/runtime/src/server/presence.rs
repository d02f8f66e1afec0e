//! Whether an input must be sent, as generated handlers say it.

/// Whether an input must be sent: what a generated handler passes where a
/// `bool` would not say which way it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Presence {
    /// Absent is a violation (`is required`).
    Required,
    /// Absent is fine.
    Optional,
}

impl Presence {
    /// `Required` when `required` holds (a part of a form that is itself
    /// optional is required only when the form is there).
    pub const fn required_if(required: bool) -> Self {
        if required {
            Presence::Required
        } else {
            Presence::Optional
        }
    }

    /// Whether absent is a violation.
    pub const fn is_required(self) -> bool {
        matches!(self, Presence::Required)
    }
}
