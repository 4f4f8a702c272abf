use super::*;

#[test]
fn payloads_name_the_row_and_round_trip() {
    let change = Change {
        record: RecordType::JointUnit,
        id: 42,
        version: Some(3),
        kind: ChangeKind::StatusChanged,
    };
    let payload = change.payload();
    assert_eq!(
        payload,
        r#"{"entity":"joint_unit","key":42,"version":3,"change":"status_changed"}"#
    );
    assert_eq!(Change::from_payload(&payload), Some(change));
    assert_eq!(
        Change::from_payload("{\"entity\":\"nope\",\"key\":1}"),
        None
    );
    assert_eq!(Change::from_payload("not json"), None);
}
