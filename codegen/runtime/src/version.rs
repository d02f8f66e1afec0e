//! The contract between generated code and this crate.

/// Placed by the generator at the top of every generated module:
/// `codegen_runtime::require_version!(0, 6, 0);`. Expands to nothing when
/// the generated code's runtime version is compatible with this crate (same
/// major and minor version), and to one `compile_error!` naming both
/// versions otherwise, so a mismatch reads as what it is instead of as a
/// cascade of type errors.
///
/// ```
/// codegen_runtime::require_version!(0, 6, 0);
/// ```
///
/// ```compile_fail
/// codegen_runtime::require_version!(9, 0, 0);
/// ```
#[macro_export]
macro_rules! require_version {
    // Keep in step with Cargo.toml's version (a unit test checks).
    (0, 6, $patch:literal) => {};
    ($major:literal, $minor:literal, $patch:literal) => {
        ::core::compile_error!(::core::concat!(
            "this code was generated for codegen-runtime ",
            ::core::stringify!($major), ".", ::core::stringify!($minor), ".", ::core::stringify!($patch),
            ", but the crate depends on codegen-runtime 0.6: regenerate the code with a matching `codegen`, or depend on codegen-runtime ",
            ::core::stringify!($major), ".", ::core::stringify!($minor)
        ));
    };
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_macro_accepts_this_crates_version() {
        // The macro's first arm must name this crate's major.minor.
        let mut parts = crate::VERSION.split('.');
        assert_eq!(parts.next(), Some("0"));
        assert_eq!(parts.next(), Some("6"));
        crate::require_version!(0, 6, 0);
        crate::require_version!(0, 6, 7);
    }
}
