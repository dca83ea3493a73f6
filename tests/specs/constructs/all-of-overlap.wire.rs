//! A property that two `allOf` members define holds what both allow: the properties of both
//! object schemas (none is dropped because a later member lists fewer), and a member that only
//! says `type: object` leaves the other's properties typed.

use fixture_all_of_overlap::types::{ConflictError, Issue, IssueUserType};
use serde_json::json;

#[test]
fn a_narrowing_member_keeps_the_other_members_properties() {
    let issue: Issue = serde_json::from_value(json!({
        "number": 7,
        "user": {"login": "octocat", "email": "octo@example.com", "type": "User"},
        "assignee": {"login": "hubot"},
    }))
    .unwrap();
    // `user` is required by the second member and not nullable in it: no `Option`.
    let email: &Option<String> = &issue.user.email;
    assert_eq!(email.as_deref(), Some("octo@example.com"));
    assert_eq!(issue.user.login, "octocat");
    // Both members type `type`; the first one's enum is the narrower.
    assert_eq!(issue.user.r#type, Some(IssueUserType::User));
    let assignee = issue.assignee.as_ref().expect("an assignee");
    assert_eq!(assignee.login.as_deref(), Some("hubot"));
}

#[test]
fn an_extending_member_keeps_the_base_properties() {
    let value = json!({"code": "conflict", "context_info": {"message": "exists", "conflicts": [{"id": "f_1"}]}});
    let error: ConflictError = serde_json::from_value(value).unwrap();
    let info = error.context_info.as_ref().expect("context_info");
    assert_eq!(info.message.as_deref(), Some("exists"));
    assert_eq!(info.conflicts.as_ref().map(Vec::len), Some(1));
}
