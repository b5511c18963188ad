//! The canonical columns of a work order (工单), the names every export's headers are mapped
//! onto through the configured aliases.
//!
//! This list is the one source of the work-order columns: the staging table's Arrow schema,
//! the merge flags and the stored table's column order derive from it, and a test checks
//! that the SQL (`queries/migrations/0001_init.sql`, `queries/ingest/stage_create.sql`,
//! the merge queries) names the same columns in the same order.

/// How many canonical columns there are.
pub const COUNT: usize = 14;

/// How many optional columns there are (all but the four required ones).
pub const OPTIONAL_COUNT: usize = COUNT - 4;

/// The column stored beside the address: the address normalized for matching.
pub const ADDRESS_NORM: &str = "address_norm";

/// The first column of the staging table: the order's row in its file.
pub const SOURCE_ROW: &str = "source_row";

/// Columns `work_orders` keeps after the work-order columns: where the state came from.
pub const PROVENANCE: [&str; 3] = ["file_id", SOURCE_ROW, "first_file_id"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    OrderId,
    ReceivedAt,
    Category,
    Address,
    Channel,
    Street,
    Community,
    Content,
    CallerName,
    CallerPhone,
    HandlerUnit,
    Status,
    ClosedAt,
    RelatedOrderId,
}

impl Column {
    pub const ALL: [Column; COUNT] = [
        Column::OrderId,
        Column::ReceivedAt,
        Column::Category,
        Column::Address,
        Column::Channel,
        Column::Street,
        Column::Community,
        Column::Content,
        Column::CallerName,
        Column::CallerPhone,
        Column::HandlerUnit,
        Column::Status,
        Column::ClosedAt,
        Column::RelatedOrderId,
    ];

    pub const REQUIRED: [Column; 4] = [
        Column::OrderId,
        Column::ReceivedAt,
        Column::Category,
        Column::Address,
    ];

    /// The optional columns (all after the four required ones), in the order of the merge
    /// queries' flags ($1..$10): a file that lacks one keeps the stored value.
    pub const OPTIONAL: [Column; OPTIONAL_COUNT] = {
        let mut out = [Column::OrderId; OPTIONAL_COUNT];
        let mut i = 0;
        while i < OPTIONAL_COUNT {
            out[i] = Column::ALL[COUNT - OPTIONAL_COUNT + i];
            i += 1;
        }
        out
    };

    /// The work-order part of a stored row, in table order: every column, with the
    /// normalized address after the address.
    pub fn stored_names() -> Vec<&'static str> {
        let mut names = Vec::with_capacity(COUNT + 1);
        for c in Column::ALL {
            names.push(c.name());
            if c == Column::Address {
                names.push(ADDRESS_NORM);
            }
        }
        names
    }

    /// The columns of `stage_orders`, in order.
    pub fn staging_names() -> Vec<&'static str> {
        let mut names = vec![SOURCE_ROW];
        names.extend(Column::stored_names());
        names
    }

    /// The columns of `work_orders`, in order.
    pub fn work_order_names() -> Vec<&'static str> {
        let mut names = Column::stored_names();
        names.extend(PROVENANCE);
        names
    }

    /// The canonical name, as used in the config and the database.
    pub fn name(self) -> &'static str {
        match self {
            Column::OrderId => "order_id",
            Column::ReceivedAt => "received_at",
            Column::Category => "category",
            Column::Address => "address",
            Column::Channel => "channel",
            Column::Street => "street",
            Column::Community => "community",
            Column::Content => "content",
            Column::CallerName => "caller_name",
            Column::CallerPhone => "caller_phone",
            Column::HandlerUnit => "handler_unit",
            Column::Status => "status",
            Column::ClosedAt => "closed_at",
            Column::RelatedOrderId => "related_order_id",
        }
    }

    /// The usual Chinese heading, for messages and reports.
    pub fn label(self) -> &'static str {
        match self {
            Column::OrderId => "工单编号",
            Column::ReceivedAt => "受理时间",
            Column::Category => "诉求类型",
            Column::Address => "事发地址",
            Column::Channel => "来源渠道",
            Column::Street => "所属街道",
            Column::Community => "所属社区",
            Column::Content => "诉求内容",
            Column::CallerName => "来电人",
            Column::CallerPhone => "联系电话",
            Column::HandlerUnit => "承办单位",
            Column::Status => "办理状态",
            Column::ClosedAt => "办结时间",
            Column::RelatedOrderId => "关联工单",
        }
    }

    pub fn is_required(self) -> bool {
        Column::REQUIRED.contains(&self)
    }

    pub fn is_date(self) -> bool {
        matches!(self, Column::ReceivedAt | Column::ClosedAt)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_required_columns_come_first_and_the_optional_ones_after() {
        assert_eq!(Column::ALL[..4], Column::REQUIRED);
        assert!(Column::OPTIONAL.iter().all(|c| !c.is_required()));
        assert_eq!(Column::OPTIONAL.len() + Column::REQUIRED.len(), COUNT);
        assert_eq!(Column::stored_names().len(), COUNT + 1);
    }
}
