//! The generator and the runtime agree on the runtime's version, and
//! generated modules state it.

#[test]
fn the_generator_writes_code_for_this_runtime() {
    assert_eq!(codegen::RUNTIME_VERSION, codegen_runtime::VERSION);
}

#[test]
fn every_generated_module_states_the_runtime_version() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated/src/tokens/mod.rs"),
    )
    .expect("the checked-in module");
    let (major, minor, patch) = {
        let mut v = codegen::RUNTIME_VERSION.split('.');
        (v.next().unwrap(), v.next().unwrap(), v.next().unwrap())
    };
    let contract = format!("::codegen_runtime::require_version!({major}, {minor}, {patch});");
    assert!(text.contains(&contract), "{text}");
}
