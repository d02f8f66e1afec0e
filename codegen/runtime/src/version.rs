//! The contract between generated code and this crate.

/// Placed by the generator at the top of every generated module:
/// `codegen_runtime::require_version!(0, 7, 2);`. Expands to a check that
/// passes when the generated code's runtime version is compatible with
/// this crate (same major and minor version, and a patch release no later
/// than this one's: a patch release may add what newer generated code
/// uses), and to one error naming both versions otherwise, so a mismatch
/// reads as what it is instead of as a cascade of type errors.
///
/// ```
/// codegen_runtime::require_version!(0, 7, 1);
/// ```
///
/// ```compile_fail
/// codegen_runtime::require_version!(0, 6, 2);
/// ```
///
/// ```compile_fail
/// codegen_runtime::require_version!(9, 0, 0);
/// ```
///
/// ```compile_fail
/// codegen_runtime::require_version!(0, 7, 999);
/// ```
#[macro_export]
macro_rules! require_version {
    // Keep in step with Cargo.toml's version (a unit test checks).
    (0, 7, $patch:literal) => {
        const _: () = ::core::assert!(
            $crate::__runtime_has_patch($patch),
            "this code was generated for a later codegen-runtime 0.7 release than the crate builds with: run `cargo update -p codegen-runtime`"
        );
    };
    ($major:literal, $minor:literal, $patch:literal) => {
        ::core::compile_error!(::core::concat!(
            "this code was generated for codegen-runtime ",
            ::core::stringify!($major), ".", ::core::stringify!($minor), ".", ::core::stringify!($patch),
            ", but the crate depends on codegen-runtime 0.7: regenerate the code with a matching `codegen`, or depend on codegen-runtime ",
            ::core::stringify!($major), ".", ::core::stringify!($minor)
        ));
    };
}

/// This release's patch number.
const PATCH: u64 = match u64::from_str_radix(env!("CARGO_PKG_VERSION_PATCH"), 10) {
    Ok(patch) => patch,
    Err(_) => 0,
};

/// Whether this release has what generated code of `patch` uses, for
/// [`require_version!`] (a function: a literal `0 <= PATCH` would trip
/// `unused_comparisons` in the user's crate).
#[doc(hidden)]
// In a `.0` release `PATCH` is 0 and the comparison reads as `==`; it is
// written for every release.
#[allow(clippy::absurd_extreme_comparisons)]
pub const fn has_patch(patch: u64) -> bool {
    patch <= PATCH
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_macro_accepts_this_crates_version() {
        // The macro's first arm must name this crate's major.minor.
        let mut parts = crate::VERSION.split('.');
        assert_eq!(parts.next(), Some("0"));
        assert_eq!(parts.next(), Some("7"));
        crate::require_version!(0, 7, 0);
        crate::require_version!(0, 7, 1);
        crate::require_version!(0, 7, 2);
        assert_eq!(super::PATCH, 2);
    }
}
