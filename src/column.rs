//! The canonical columns of a work order (工单), the names every export's headers are mapped
//! onto through the configured aliases.

/// How many canonical columns there are.
pub const COUNT: usize = 14;

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
