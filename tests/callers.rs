//! 来电人: how many different people made a case's complaints, beside how many complaints.
//! The export `tests/fixtures/callers/2025-03-工单导出.csv` holds three cases: twelve noise
//! complaints of which eight come from one neighbour whose number is typed eight ways
//! (+86, 0086, 86, spaces, dashes, brackets, full-width digits), two from a landline typed
//! two ways and two without a phone; five street-vending complaints from five households;
//! five cooking-fume complaints without any phone. Figures are read back from `cases`, the
//! PDFs and the console, and turned off by `[callers] enabled = false`.


use crate::common::*;

#[test]
fn phone_numbers_written_many_ways_are_one_caller() {
    let ws = Workspace::new();
    let store = ws.store();
    hotline_ledger::callers::define_key(&store).unwrap();
    let key = |phone: Option<&str>| -> Option<String> {
        store
            .conn()
            .query_row("SELECT caller_key(?)", [phone], |r| r.get(0))
            .unwrap()
    };
    for written in [
        "13800001111",
        "+86 138 0000 1111",
        "+8613800001111",
        "0086 13800001111",
        "8613800001111",
        "138 0000 1111",
        "138-0000-1111",
        "(+86)138-0000-1111",
        "１３８００００１１１１",
        "＋８６ １３８ ００００ １１１１",
        "13800001111/13900002222",
        "13800001111、13900002222",
    ] {
        assert_eq!(
            key(Some(written)).as_deref(),
            Some("13800001111"),
            "{written}"
        );
    }
    for written in [
        "0731-84012345",
        "(0731)84012345",
        "+86 731 8401 2345",
        "0086-731-84012345",
    ] {
        assert_eq!(
            key(Some(written)).as_deref(),
            Some("073184012345"),
            "{written}"
        );
    }
    // A local number that starts with 86 is not a country code.
    assert_eq!(key(Some("86123456")).as_deref(), Some("86123456"));
    for none in [
        None,
        Some(""),
        Some("无"),
        Some("-"),
        Some("未提供"),
        Some("+86"),
    ] {
        assert_eq!(key(none), None, "{none:?}");
    }
}
