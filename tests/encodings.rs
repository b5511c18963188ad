//! CSV in UTF-8, UTF-8 with BOM and GBK/GB18030 is detected and read; bytes that are not
//! text in the detected encoding reject their row instead of being stored as mojibake.

use crate::common::*;

const GBK_HEADER: &[&str] = &[
    "工单号",
    "来电时间",
    "事项类别",
    "诉求地址",
    "来源",
    "街道",
    "社区",
    "工单内容",
    "诉求人",
    "来电号码",
    "执法组",
    "工单状态",
    "办结时间",
    "原工单编号",
];

#[test]
fn utf8_csv_is_loaded() {
    let ws = Workspace::new();
    let file = ws.path("a.csv");
    write_utf8(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "A1",
                "2025-01-03 08:05:00",
                "噪音扰民",
                "星沙街道开元东路18号",
                "处理中",
                "",
            ),
            order(
                "A2",
                "2025-01-04 09:00:00",
                "占道经营",
                "湘龙街道东四路1号",
                "已办结",
                "2025-01-05 10:00:00",
            ),
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("a.csv: loaded (csv UTF-8, header at row 1)"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains(
        "2 rows read (0 blank skipped): 2 new orders, 0 updated, 0 unchanged; 0 rejected"
    ));
    assert_eq!(ws.order_field("A1", "received_at"), "2025-01-03 08:05:00");
    assert_eq!(ws.order_field("A1", "category"), "噪音扰民");
    assert_eq!(ws.order_field("A1", "caller_phone"), "13812345678");
    assert_eq!(ws.order_field("A1", "closed_at"), "");
    assert_eq!(ws.order_field("A2", "closed_at"), "2025-01-05 10:00:00");
    assert_eq!(ws.order_field("A1", "address_norm"), "星沙街道开元东路18号");
}

#[test]
fn gbk_csv_with_alias_headers_is_detected_and_mapped() {
    let ws = Workspace::new();
    let file = ws.path("gbk.csv");
    write_gbk(
        &file,
        &[
            GBK_HEADER.to_vec(),
            vec![
                "G1",
                "2025/1/3 8:05",
                "违章建筑",
                "长沙县黄兴镇凉塘路5号",
                "85252110县热线",
                "黄兴镇",
                "大塘社区",
                "楼顶搭建彩钢棚",
                "李四",
                "13900001111",
                "执法三中队",
                "已办结",
                "2025/1/4 17:30",
                "G0",
            ],
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("gbk.csv: loaded (csv GBK, header at row 1)"),
        "{}",
        stdout(&out)
    );
    for (column, want) in [
        ("received_at", "2025-01-03 08:05:00"),
        ("category", "违章建筑"),
        ("address", "长沙县黄兴镇凉塘路5号"),
        ("address_norm", "黄兴镇凉塘路5号"),
        ("channel", "85252110县热线"),
        ("street", "黄兴镇"),
        ("community", "大塘社区"),
        ("content", "楼顶搭建彩钢棚"),
        ("caller_name", "李四"),
        ("caller_phone", "13900001111"),
        ("handler_unit", "执法三中队"),
        ("status", "已办结"),
        ("closed_at", "2025-01-04 17:30:00"),
        ("related_order_id", "G0"),
    ] {
        assert_eq!(ws.order_field("G1", column), want, "{column}");
    }
    assert_eq!(
        ws.count("SELECT count(*) FROM ingested_files WHERE encoding = 'GBK'"),
        1
    );
}

#[test]
fn gb18030_four_byte_characters_are_read() {
    let ws = Workspace::new();
    let file = ws.path("gb18030.csv");
    let text = csv_text(&[
        HEADER.to_vec(),
        order(
            "B1",
            "2025-01-03 08:05",
            "噪音扰民",
            "星沙街道𠮷祥路1号",
            "处理中",
            "",
        ),
    ]);
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(&text);
    assert!(!unmappable);
    std::fs::write(&file, bytes).unwrap();
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ws.order_field("B1", "address"), "星沙街道𠮷祥路1号");
}

#[test]
fn utf8_bom_csv_with_chinese_dates() {
    let ws = Workspace::new();
    let file = ws.path("bom.csv");
    write_utf8_bom(
        &file,
        &[
            HEADER.to_vec(),
            order(
                "C1",
                "2025年1月3日 8时5分",
                "噪音扰民",
                "星沙街道1号",
                "已办结",
                "2025年1月4日 16时30分",
            ),
        ],
    );
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(stdout(&out).contains("bom.csv: loaded (csv UTF-8 (BOM), header at row 1)"));
    // The BOM does not end up in the first heading: the order id column was found.
    assert_eq!(ws.order_field("C1", "received_at"), "2025-01-03 08:05:00");
    assert_eq!(ws.order_field("C1", "closed_at"), "2025-01-04 16:30:00");
}

#[test]
fn gbk_bytes_that_do_not_decode_reject_only_their_row() {
    let ws = Workspace::new();
    let file = ws.path("bad-gbk.csv");
    let good = csv_text(&[
        HEADER.to_vec(),
        order(
            "D1",
            "2025-01-03 08:05",
            "噪音扰民",
            "星沙街道开元东路18号某某商场",
            "处理中",
            "",
        ),
        order(
            "D0",
            "2025-01-03 08:15",
            "占道经营",
            "湘龙街道东四路88号阳光小区",
            "处理中",
            "",
        ),
    ]);
    let (mut bytes, _, _) = encoding_rs::GBK.encode(&good);
    let bytes = bytes.to_mut();
    // D2's address holds a lead byte followed by an invalid trail byte.
    bytes.extend_from_slice(b"D2,2025-01-03 09:00,");
    bytes.extend_from_slice(&encoding_rs::GBK.encode("噪音扰民").0);
    bytes.extend_from_slice(b",\x81\x7f,x,x,x,\n");
    std::fs::write(&file, &bytes).unwrap();
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert!(
        stdout(&out).contains("2 new orders, 0 updated, 0 unchanged; 1 rejected"),
        "{}",
        stdout(&out)
    );
    let db = ws.db();
    let (row, code, reason): (i64, String, String) = db
        .query_row(
            "SELECT row_number, reason_code, reason FROM rejected_rows",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(row, 4);
    assert_eq!(code, "bad_encoding");
    assert_eq!(reason, "事发地址: 含有无法解码的字节(文件编码有误)");
}

#[test]
fn invalid_utf8_past_the_sniffed_prefix_rejects_its_row() {
    let ws = Workspace::new();
    let file = ws.path("late.csv");
    let mut rows = vec![HEADER.to_vec()];
    let ids: Vec<String> = (0..2000).map(|i| format!("E{i}")).collect();
    for id in &ids {
        rows.push(order(
            id,
            "2025-01-03 08:05",
            "噪音扰民",
            "星沙街道开元东路十八号某某商场",
            "处理中",
            "",
        ));
    }
    let mut bytes = csv_text(&rows).into_bytes();
    assert!(
        bytes.len() > 64 * 1024,
        "the bad row must come after the sniffed prefix"
    );
    bytes.extend_from_slice(b"E9999,2025-01-03 08:05,\xB7\xA2,x,x,x,x,\n");
    std::fs::write(&file, &bytes).unwrap();
    let out = ws.run(&["ingest", file.to_str().unwrap()]);
    assert_exit(&out, 0);
    assert_eq!(ws.count("SELECT count(*) FROM work_orders"), 2000);
    assert_eq!(
        ws.count("SELECT count(*) FROM rejected_rows WHERE reason_code = 'bad_encoding' AND row_number = 2002"),
        1
    );
}
