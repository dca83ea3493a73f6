//! `required` beside an `allOf` (or beside a `$ref`, in 3.1) makes the property required in the
//! merged type: a response without it does not decode, and the field is not an `Option`.

use fixture_all_of_required::types::{GetTagResponse, Label};
use serde_json::json;

#[test]
fn required_beside_all_of_is_required() {
    let label: Label = serde_json::from_value(json!({"id": "l_1", "name": "Urgent"})).unwrap();
    let name: &String = &label.name;
    assert_eq!(name, "Urgent");
    let missing = serde_json::from_value::<Label>(json!({"id": "l_1"})).unwrap_err();
    assert!(missing.to_string().contains("name"), "{missing}");
}

#[test]
fn required_beside_a_ref_is_required() {
    let tag: GetTagResponse = serde_json::from_value(json!({"id": "g_1", "name": "Blue"})).unwrap();
    let name: &String = &tag.name;
    assert_eq!(name, "Blue");
    assert!(serde_json::from_value::<GetTagResponse>(json!({"id": "g_1"})).is_err());
}
