//! What can make a whole export file unusable. Each message is written for the person who
//! exported the file: it says what is wrong and, where there is one, what to do.

use std::fmt;

const MB: u64 = 1024 * 1024;

/// Why a file could not be used at all. Nothing of such a file reaches the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    Io(String),
    Empty,
    UnsupportedType(String),
    /// A workbook name (its extension) on content that is no workbook.
    NotWorkbook(String),
    /// A web page (an HTML table) under a spreadsheet's name (its extension).
    WebPage(String),
    /// A workbook that needs a password to open.
    Encrypted,
    Utf16,
    /// NUL bytes in numbers no text has; the first is on `line`, `offset` bytes into the
    /// file.
    Binary {
        line: u64,
        offset: u64,
    },
    UnknownEncoding(String),
    Workbook(String),
    NoSheets,
    SheetNotFound {
        sheet: String,
        available: Vec<String>,
    },
    /// No sheet is configured and more than one sheet holds a header row: which to read
    /// (or whether all) is not for the program to guess.
    SheetsWithOrders(Vec<String>),
    NoHeader(HeaderMiss),
    NoRows,
    /// A CSV line longer than `limit` bytes (ingest.max_line_mb).
    LineTooLong {
        line: u64,
        limit: u64,
    },
    /// An .xls of `size` bytes, more than `limit` (ingest.max_xls_mb).
    XlsTooLarge {
        size: u64,
        limit: u64,
    },
    /// A zipped workbook that unpacks to `size` bytes, more than `limit`
    /// (ingest.max_unpacked_mb).
    UnpacksTooLarge {
        size: u64,
        limit: u64,
    },
    /// A quote opened at the start of a cell on `line` never closes: the cell would take
    /// in the record starting on `swallowed`, or run to the end of the file (None).
    UnclosedQuote {
        line: u64,
        swallowed: Option<u64>,
    },
    /// A header again below the first, naming other columns than it: two exports in one
    /// file, whose rows cannot be read by one header.
    SecondHeader {
        row: u64,
        first: Vec<String>,
        second: Vec<String>,
    },
}

/// The best header candidate when no row has all required columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMiss {
    pub searched_rows: u32,
    /// (row number, known column headings found, required columns lacking)
    pub best: Option<(u64, Vec<String>, Vec<String>)>,
    pub required: Vec<String>,
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileProblem::Io(e) => write!(f, "cannot read the file: {e}"),
            FileProblem::Empty => write!(f, "the file is empty"),
            FileProblem::UnsupportedType(ext) => write!(
                f,
                "unsupported file type \"{ext}\": only spreadsheet exports (.xlsx, .xls, .xlsb, .ods) and .csv can be read"
            ),
            FileProblem::NotWorkbook(ext) if ext == "xls" || ext == "et" => write!(
                f,
                "not a valid .{ext} workbook: it is neither an Excel 97-2003 workbook nor a web page or CSV text saved under that name"
            ),
            FileProblem::NotWorkbook(ext) => write!(
                f,
                "not a valid .{ext} workbook (an .{ext} file is a zip archive, this one is not)"
            ),
            FileProblem::WebPage(ext) => write!(
                f,
                "this .{ext} file is really a web page (an HTML table, as some platforms export under a spreadsheet's name), not a workbook: open it in Excel or WPS and save it as .xlsx, or export the orders as CSV, and ingest that file"
            ),
            FileProblem::Encrypted => write!(
                f,
                "the workbook is encrypted (it needs a password to open), so it cannot be read: open it in Excel or WPS with its password, save a copy without one (Excel: File > Info > Protect Workbook > Encrypt with Password, then clear the password; WPS: 文件 > 文档加密), and ingest that copy"
            ),
            FileProblem::Utf16 => write!(
                f,
                "the CSV is UTF-16 encoded: save it as CSV in UTF-8 or GBK"
            ),
            FileProblem::Binary { line, offset } => write!(
                f,
                "the CSV holds NUL bytes from line {line} on (the first at byte {offset}), so it is not a text file (UTF-16 without a byte order mark, or binary data): save it as CSV in UTF-8 or GBK"
            ),
            FileProblem::UnknownEncoding(guess) => write!(
                f,
                "the CSV is neither UTF-8 nor GBK/GB18030 (it looks like {guess}): save it as CSV in UTF-8 or GBK"
            ),
            FileProblem::Workbook(e) => write!(f, "cannot read the workbook: {e}"),
            FileProblem::NoSheets => write!(f, "the workbook has no worksheets"),
            FileProblem::SheetNotFound { sheet, available } => write!(
                f,
                "the workbook has no worksheet named \"{sheet}\" (it has: {}); check ingest.sheet in the config",
                available.join(", ")
            ),
            FileProblem::SheetsWithOrders(sheets) => write!(
                f,
                "more than one worksheet holds a header row of work orders ({}): nothing was loaded; save each sheet as a file of its own, or name the one to read in ingest.sheet in the config",
                sheets
                    .iter()
                    .map(|s| format!("\"{s}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            FileProblem::NoHeader(miss) => write!(f, "{miss}"),
            FileProblem::NoRows => write!(
                f,
                "the file has a header row but no work orders below it"
            ),
            FileProblem::LineTooLong { line, limit } => write!(
                f,
                "line {line} is longer than {} MB (ingest.max_line_mb): this is not a hotline export",
                limit / MB
            ),
            FileProblem::XlsTooLarge { size, limit } => write!(
                f,
                "the .xls workbook is {:.1} MB, more than ingest.max_xls_mb ({} MB): an .xls is read into memory whole, so save it as .xlsx (read as it streams) or raise the limit",
                *size as f64 / MB as f64,
                limit / MB
            ),
            FileProblem::UnpacksTooLarge { size, limit } => write!(
                f,
                "the workbook would unpack to {} MB, more than ingest.max_unpacked_mb ({} MB): refused as a possible zip bomb",
                size / MB,
                limit / MB
            ),
            FileProblem::UnclosedQuote { line, swallowed: Some(next) } => write!(
                f,
                "line {line}: a cell opens a quote (\") that does not close before line {next}, which reads as a work order of its own: the rows in between would be lost inside that cell, so nothing from this file was kept; remove the stray quote or close it, and ingest the file again"
            ),
            FileProblem::SecondHeader { row, first, second } => write!(
                f,
                "row {row} is a second header with other columns ({}) than the first ({}): the file joins two exports, so nothing from it was kept; split it at row {row} and ingest each part",
                second.join(", "),
                first.join(", ")
            ),
            FileProblem::UnclosedQuote { line, swallowed: None } => write!(
                f,
                "line {line}: a cell opens a quote (\") that never closes, so the cell would run to the end of the file; nothing from this file was kept: remove the stray quote or close it, and ingest the file again"
            ),
        }
    }
}

impl fmt::Display for HeaderMiss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no header row found in the first {} rows: ",
            self.searched_rows
        )?;
        match &self.best {
            Some((row, found, lacking)) => write!(
                f,
                "row {row} looks most like one (it has {}) but lacks the required column{} {}; add the column or its name to [columns] in the config",
                found.join(", "),
                if lacking.len() == 1 { "" } else { "s" },
                lacking.join(", ")
            ),
            None => write!(
                f,
                "no row holds a known column name (required: {}); add the file's names to [columns] in the config",
                self.required.join(", ")
            ),
        }
    }
}

/// What a refusal means and what to do about it, in Chinese, for the people who run the
/// office (the guide lists these beside each message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Advice {
    /// A short name for the problem.
    pub title: &'static str,
    /// What the message means.
    pub meaning: &'static str,
    /// What to do.
    pub action: &'static str,
}

impl FileProblem {
    /// What this refusal means and what to do, in Chinese. Every kind of problem has its
    /// own, so a new kind cannot reach people without one.
    pub fn advice(&self) -> Advice {
        let advice = |title, meaning, action| Advice {
            title,
            meaning,
            action,
        };
        match self {
            FileProblem::Io(_) => advice(
                "文件读不了",
                "文件打不开，或读到一半出错：可能还在复制或下载中、被别的程序占用、没有读取权限，或者选中的是一个文件夹。",
                "等文件完整保存后再导入一次；仍然不行，把消息原文发给管理员。",
            ),
            FileProblem::Empty => advice(
                "文件是空的",
                "文件里一个字节也没有，通常是导出或下载没有完成。",
                "回到热线平台重新导出，确认文件大小不为 0 后再导入。",
            ),
            FileProblem::UnsupportedType(_) => advice(
                "不是能读的文件类型",
                "只认表格文件（.xlsx、.xls、.xlsb、.ods）和 .csv 文件，其他类型（如 .txt、.docx、.pdf、压缩包）读不了。",
                "从热线平台按 Excel 或 CSV 格式重新导出；已有的表格用 Excel 或 WPS 打开后另存为 .xlsx。",
            ),
            FileProblem::NotWorkbook(ext) if ext == "xls" || ext == "et" => advice(
                "扩展名是 .xls，内容却不是表格",
                "文件名是 .xls，但内容既不是 Excel 97-2003 工作簿，也不是以这个名字保存的网页或 CSV 文本，多半是文件已损坏或被改了扩展名。",
                "用 Excel 或 WPS 打开它：能打开就另存为 .xlsx 再导入；打不开就回到热线平台重新导出。",
            ),
            FileProblem::NotWorkbook(_) => advice(
                "扩展名是工作簿，内容却不是",
                ".xlsx、.xlsb、.ods 文件实际上是一个压缩包，这个文件不是，多半是文件已损坏、下载不完整，或被改了扩展名。",
                "用 Excel 或 WPS 打开它：能打开就另存为 .xlsx 再导入；打不开就回到热线平台重新导出。",
            ),
            FileProblem::WebPage(_) => advice(
                "名为表格，实为网页",
                "有些平台把网页里的表格（HTML）直接存成 .xls 文件，它不是真正的工作簿。",
                "用 Excel 或 WPS 打开后另存为 .xlsx 再导入，或者在平台上改为导出 CSV。",
            ),
            FileProblem::Encrypted => advice(
                "工作簿设了密码",
                "文件加了打开密码，程序没有密码，读不了里面的内容。",
                "用 Excel 或 WPS 输入密码打开，取消密码后另存一份（Excel：文件 > 信息 > 保护工作簿 > 用密码进行加密，清空密码；WPS：文件 > 文档加密），导入这一份。",
            ),
            FileProblem::Utf16 => advice(
                "CSV 是 UTF-16 编码",
                "这个 CSV 是以“Unicode 文本”（UTF-16）保存的，不是常用的 UTF-8 或 GBK。",
                "用 Excel 或 WPS 打开，另存为“CSV UTF-8（逗号分隔）”或普通 CSV，再导入。",
            ),
            FileProblem::Binary { .. } => advice(
                "CSV 里有非文本内容",
                "文件里有文本文件不会有的空字节（NUL），它不是普通文本：可能是没有标记的 UTF-16 文本，也可能是把别的文件改成了 .csv。",
                "用 Excel 或 WPS 打开，另存为 CSV（UTF-8 或 GBK）后再导入；打不开就回到平台重新导出。",
            ),
            FileProblem::UnknownEncoding(_) => advice(
                "CSV 的文字编码认不出",
                "CSV 既不是 UTF-8 也不是 GBK/GB18030，中文会变成乱码，所以整个文件都没有导入。",
                "用 Excel 或 WPS 打开，确认中文显示正常，另存为 CSV（UTF-8 或 GBK）后再导入。",
            ),
            FileProblem::Workbook(_) => advice(
                "工作簿读不了",
                "文件看起来是工作簿，但内部结构有问题（损坏、保存不完整，或是读取程序不支持的写法），消息后半句是读取时遇到的具体问题。",
                "用 Excel 或 WPS 打开后另存为 .xlsx 再导入；打不开就回到平台重新导出。",
            ),
            FileProblem::NoSheets => advice(
                "工作簿里没有工作表",
                "工作簿里一张工作表也没有（或只有图表页），没有可读的数据。",
                "回到热线平台重新导出，确认打开后能看到工单表格。",
            ),
            FileProblem::SheetNotFound { .. } => advice(
                "找不到指定的工作表",
                "配置里指定了要读的工作表名称，这个工作簿里没有这个名字的表；消息里列出了它实际有哪些表。",
                "请管理员把配置中 [ingest] sheet 改成正确的表名（留空表示读第一张表），或把工作表改回原来的名字。",
            ),
            FileProblem::SheetsWithOrders(_) => advice(
                "几张工作表都有工单",
                "工作簿里不止一张表有工单表头（例如每月一张），程序不替你猜该读哪一张，这个文件一行也没有导入。",
                "用 Excel 或 WPS 把每张表另存为一个文件分别导入；或请管理员在配置 [ingest] sheet 里写明要读的表名。",
            ),
            FileProblem::NoHeader(HeaderMiss { best: Some(_), .. }) => advice(
                "表头缺少必需的列",
                "找到了最像表头的一行，但缺少必需的列（如工单编号、受理时间、诉求类型、事发地址），通常是平台改了列名或导出时少选了列。",
                "在平台导出时勾选缺少的列；如果只是列名不同（例如“受理日期”），请管理员把这个名字加到配置的 [columns] 里。",
            ),
            FileProblem::NoHeader(HeaderMiss { best: None, .. }) => advice(
                "找不到表头",
                "文件开头的若干行里没有一行含有认识的列名，可能不是工单导出文件，或者列名全都换了叫法。",
                "确认导入的是热线工单导出文件；如果是列名换了，请管理员把新的列名加到配置的 [columns] 里。",
            ),
            FileProblem::NoRows => advice(
                "只有表头，没有工单",
                "找到了表头，但下面没有任何工单，常见于导出时选的时间段里没有数据。",
                "检查导出条件（时间段、类别），重新导出后再导入。",
            ),
            FileProblem::LineTooLong { .. } => advice(
                "某一行太长",
                "CSV 中有一行超过了长度上限，热线工单不会这么长，这个文件多半不是工单导出，或者已经损坏。",
                "确认导入的是热线工单导出文件，回到平台重新导出。确属工单时，请管理员调大 [ingest] max_line_mb。",
            ),
            FileProblem::XlsTooLarge { .. } => advice(
                ".xls 文件太大",
                "旧式 .xls 文件要整个读进内存，超过上限的不读，以免拖垮服务器。",
                "用 Excel 或 WPS 另存为 .xlsx（边读边导入，不受这个限制）再导入；或请管理员调大 [ingest] max_xls_mb。",
            ),
            FileProblem::UnpacksTooLarge { .. } => advice(
                "工作簿解压后过大",
                "工作簿是压缩文件，这个文件解压后大得不合常理，可能是恶意构造的“压缩炸弹”，为安全起见拒绝读取。",
                "确认文件来源可靠，回到平台重新导出；确属正常的超大导出，请管理员调大 [ingest] max_unpacked_mb，或分时间段导出。",
            ),
            FileProblem::UnclosedQuote { swallowed: Some(_), .. } => advice(
                "引号没有配对（会吞掉后面的工单）",
                "CSV 某个单元格以英文双引号开头，但引号一直没有闭合，后面几行工单会被当成这个单元格的内容。为了不丢工单，整个文件都没有导入。",
                "用文本编辑器或 Excel 找到消息所说的那一行，删掉多余的引号或补上闭合的引号，保存后重新导入；或回到平台重新导出。",
            ),
            FileProblem::SecondHeader { .. } => advice(
                "文件中间又出现一行表头，列也不同",
                "文件中间又有一行表头，列与第一行表头不同，多半是两次导出拼在了一个文件里。下面的行按哪一行表头读都会错位，所以整个文件都没有导入。（列相同、只是顺序不同的第二行表头会照它读下面的行，并在导入摘要里说明。）",
                "在消息所说的那一行把文件拆成两个，各自保留表头，分别导入。",
            ),
            FileProblem::UnclosedQuote { swallowed: None, .. } => advice(
                "引号没有配对（一直到文件末尾）",
                "CSV 某个单元格以英文双引号开头，但直到文件末尾都没有闭合，之后的内容都会被当成这一个单元格。整个文件都没有导入。",
                "找到消息所说的那一行，删掉多余的引号或补上闭合的引号，保存后重新导入；或回到平台重新导出。",
            ),
        }
    }

    /// One problem of every kind, with made-up details, as the guide shows them.
    pub fn examples() -> Vec<FileProblem> {
        let required: Vec<String> = ["order_id", "received_at", "category", "address"]
            .map(String::from)
            .to_vec();
        vec![
            FileProblem::Io("Permission denied (os error 13)".into()),
            FileProblem::Empty,
            FileProblem::UnsupportedType(".txt".into()),
            FileProblem::NotWorkbook("xls".into()),
            FileProblem::NotWorkbook("xlsx".into()),
            FileProblem::WebPage("xls".into()),
            FileProblem::Encrypted,
            FileProblem::Utf16,
            FileProblem::Binary { line: 1, offset: 1 },
            FileProblem::UnknownEncoding("Big5".into()),
            FileProblem::Workbook("Invalid file: ZipError".into()),
            FileProblem::NoSheets,
            FileProblem::SheetNotFound {
                sheet: "工单".into(),
                available: vec!["Sheet1".into(), "统计".into()],
            },
            FileProblem::SheetsWithOrders(vec!["9月".into(), "10月".into()]),
            FileProblem::NoHeader(HeaderMiss {
                searched_rows: 50,
                best: Some((
                    2,
                    vec!["order_id".into(), "category".into(), "address".into()],
                    vec!["received_at".into()],
                )),
                required: required.clone(),
            }),
            FileProblem::NoHeader(HeaderMiss {
                searched_rows: 50,
                best: None,
                required,
            }),
            FileProblem::NoRows,
            FileProblem::LineTooLong {
                line: 3,
                limit: 16 * MB,
            },
            FileProblem::XlsTooLarge {
                size: 300 * MB,
                limit: 256 * MB,
            },
            FileProblem::UnpacksTooLarge {
                size: 4096 * MB,
                limit: 2048 * MB,
            },
            FileProblem::UnclosedQuote {
                line: 120,
                swallowed: Some(121),
            },
            FileProblem::UnclosedQuote {
                line: 120,
                swallowed: None,
            },
        ]
    }
}
