//! The place a complaint's text (诉求内容) names, for the orders whose address column holds
//! only a town, a community or a road: "市民来电反映：集里街道花炮大道111号宏达公寓楼12栋
//! 夜间噪音扰民" names 集里街道花炮大道111号宏达公寓楼12栋. The call-taker's lead-in goes,
//! and the text ends where the complaint itself starts (a matter's or a time's word). Pure.

/// How call-takers and platforms start the text, before the place.
const LEAD_INS: &[&str] = &[
    "数字城管信息采集员巡查上报",
    "网格员巡查上报",
    "网格员巡查发现",
    "巡查发现",
    "我要反映一下",
    "我要反映",
    "反映一下",
    "喂你好",
    "你好",
    "喂",
    "来电人说",
    "网格员上报",
    "市民网上反映",
    "市民再次来电反映",
    "再次来电反映",
    "来电人再次反映",
    "市民来电反映",
    "来电人反映",
    "来电人称",
    "来电反映",
    "又来电反映",
    "再次反映",
    "微信公众号留言",
    "公众号留言",
    "网友留言",
    "留言反映",
    "留言称",
    "留言",
    "来电称",
    "来电表示",
    "市民反映",
    "群众反映",
    "市民称",
    "反映",
    "投诉",
    "来电",
    "表示",
    "举报",
    "称",
    "又",
    "再次",
    // Spoken fillers before the place (来电人反映那个潘楼南地…).
    "那个",
    "这个",
    "就是",
    "俺说",
    "嗯",
    "呃",
    // Where it is (位于府城农贸市场的地方, 在灵源路168号…); 在建 is a site's word.
    "位于",
];

/// Who speaks, before what they did (市民 of 市民来电称): taken off only when a lead-in
/// follows, since a place may start with the word (市民中心).
const SPEAKERS: &[&str] = &[
    "市民",
    "群众",
    "网友",
    "网民",
    "居民",
    "业主",
    "来电人",
    "诉求人",
    "留言人",
    "游客",
    "住户",
    "有市民",
];

/// Words a complaint uses to say outright where (地点：东门菜市场, 具体位置在万江大桥底), longest
/// first, each followed by one of `MARKED_BY`.
const PLACE_MARKERS: [&str; 5] = ["具体位置", "具体地址", "地点", "位置", "地址"];
const MARKED_BY: [&str; 5] = ["：", ":", "在", "为", "是"];

/// Words where the complaint starts and the place ends.
const COMPLAINT_STARTS: &[&str] = &[
    "烧烤油烟",
    "下午",
    "上午",
    "中午",
    "傍晚",
    "整夜",
    "通宵",
    "收市",
    "每逢",
    "的地方",
    "希望",
    "要求",
    "经营到",
    "营业到",
    "堵塞",
    "占用",
    "正在",
    "晚高峰",
    "早高峰",
    "放学",
    "墙上",
    "路面",
    "院里",
    "楼道里",
    "夜里",
    "大量",
    "半夜",
    "违章",
    "违法",
    "私自",
    "私搭",
    "乱搭",
    "搭建",
    "加建",
    "噪音",
    "噪声",
    "很吵",
    "太吵",
    "吵闹",
    "占道",
    "摆摊",
    "摊贩",
    "摆卖",
    "油烟",
    "商贩",
    "小贩",
    "逢圩",
    "靠近",
    "今晚",
    "今天",
    "昨晚",
    "昨天",
    "最近",
    "近期",
    "近日",
    "天天",
    "每天",
    "每晚",
    "晚上",
    "夜间",
    "深夜",
    "凌晨",
    "白天",
    "早上",
    "周末",
    "经常",
    "一直",
    "有人",
    "存在",
    "长期",
    "多次",
    "严重",
    "影响",
    "堆放",
    "堆物",
    "乱扔",
    "乱贴",
    "施工",
    "渣土",
    "扬尘",
    "撒漏",
    "广场舞",
    "音响",
    "喇叭",
    "排放",
    "异味",
    "出店",
    "扰民",
    "跳舞",
    "唱歌",
    "好几",
    "那点",
    "那里",
    "那边",
    "那块",
    "那嘎达",
    "这嘎达",
    "那疙瘩",
    "那旮旯",
    "那家",
    "这里",
    "这边",
    "这家",
    "请",
    // Spoken fillers of a speech-to-text draft (华兴木业一厂那个木粉飘到俺家): what follows
    // is the complaint.
    "那个",
    "这个",
    "就是",
    "俺说",
    "然后",
    "焚烧",
    "烧秸秆",
    "烧麦",
    "臭味",
    "苍蝇",
    "粉尘",
    "木粉",
    "电锯",
    // What stalls and callers do there (摊位越摆越多, 商户出摊, 唱K的喝多了, 逢集摊子).
    "越摆",
    "越来越",
    "出摊",
    "流动",
    "摊位",
    "摊档",
    "摊子",
    "把路",
    "堵了",
    "占满",
    "摆满",
    "摆到",
    "唱k",
    "唱K",
    "喝多",
    "打麻将",
    "音箱",
    // 声音 and how loud, in any region's words (声音蛮大, 声音贼大), not a name's 声音
    // (好声音KTV).
    "声音很",
    "声音大",
    "声音蛮",
    "声音太",
    "声音特",
    "声音非常",
    "声音巨",
    "声音贼",
    "声音挺",
    "声音超",
    "声音吵",
    "声音好大",
    "逢集",
    "赶集的",
    "烟很大",
    "炭火烧烤烟",
    "排烟管",
    "排烟口",
    "正对着",
    "正对居民",
    "正对窗",
    "对着",
    "排风口",
    "那些",
    // What trucks and chimneys do (运砂车超载, 烟囱冒黑烟), and a loudspeaker said big
    // (门口大音箱外放).
    "运砂车",
    "拉砂",
    "拉土",
    "渣土车",
    "罐车",
    "大车",
    "超载",
    "烟囱",
    "冒黑烟",
    "冒烟",
    "大音箱",
    "大喇叭",
    // Music played there (隐士清吧放音乐声太大, 音乐声震天).
    "放音乐",
    "放歌",
    "外放",
    "音乐声",
    // What is done there (摆桌子喝扎啤大声喧哗, 卖海鲜的推车, 露天烤海鲜).
    "摆桌子",
    "喧哗",
    "推车",
    "露天",
    // Who does it (琴屿路鲁迅公园一帮人在…) and where the caller points (早市这儿).
    "一帮人",
    "一群人",
    "一伙人",
    "这儿",
    "那儿",
    "这块",
];

/// What a clause that speaks of the caller holds (来电人称其为附近住户, 来电人系外籍商户):
/// who calls, not where.
const ABOUT_THE_CALLER: &[&str] = &[
    "其为",
    "其系",
    "来电人系",
    "本人",
    "我家",
    "翻译",
    // 我是南牛乡的居民: who calls.
    "我是",
];

/// What a caller says to the call-taker in a speech-to-text draft (是12345吧, 能听见吧,
/// 我跟你说个事): no place.
const SPOKEN_TO_THE_HOTLINE: [&str; 5] = ["12345", "听见", "听得见", "说个事", "反映个事"];

/// Words that speak of the caller only at a clause's start (住户反映, 业主称): further on,
/// who is complained of (顶楼业主加盖阳光房, 排烟口对着住户).
const CALLER_AT_START: [&str; 4] = ["住户", "业主", "附近住户", "附近业主"];

/// Marks that end the place (a clause ends).
const CLAUSE_ENDS: [char; 10] = ['，', ',', '。', '！', '!', '？', '?', '\n', '：', ':'];

/// Lead-ins, remarks in brackets and who speaks, taken off the start of a clause.
fn without_lead_in(mut text: &str) -> &str {
    loop {
        let before = text;
        text = text.trim_start_matches([':', '：', ' ', '，', ',', '；']);
        // A remark in brackets before the text (【重复来电】, （催办）).
        for (open, close) in [('【', '】'), ('（', '）'), ('(', ')'), ('[', ']')] {
            if let Some(rest) = text.strip_prefix(open) {
                if let Some(at) = rest.find(close) {
                    text = &rest[at + close.len_utf8()..];
                }
            }
        }
        // Who speaks first (来电人 of 来电人表示: not 来电 and a place 人表示…).
        if let Some(who) = SPEAKERS.iter().find(|w| {
            text.strip_prefix(**w)
                .is_some_and(|rest| LEAD_INS.iter().any(|l| after_aside(rest).starts_with(l)))
        }) {
            text = after_aside(&text[who.len()..]);
        } else if let Some(lead) = LEAD_INS.iter().find(|l| text.starts_with(**l)) {
            text = &text[lead.len()..];
        } else if text.starts_with('在') && !text.starts_with("在建") {
            text = &text['在'.len_utf8()..];
        }
        if text == before {
            return text;
        }
    }
}

/// What follows an aside between who speaks and what they did: a remark in brackets
/// (来电人（要求回复）反映) or the channel (市民通过平台反映, 诉求人通过i莞家反映).
fn after_aside(text: &str) -> &str {
    for (open, close) in [('（', '）'), ('(', ')')] {
        if let Some(rest) = text.strip_prefix(open) {
            if let Some(at) = rest.find(close) {
                return &rest[at + close.len_utf8()..];
            }
        }
    }
    if let Some(rest) = text.strip_prefix("通过") {
        // The channel's name is short; the lead-in follows it.
        let lead = rest.char_indices().take(10).find(|(at, _)| {
            ["反映", "留言", "来电", "投诉"]
                .iter()
                .any(|l| rest[*at..].starts_with(l))
        });
        if let Some((at, _)) = lead {
            return &rest[at..];
        }
    }
    text
}

/// The place a complaint says outright where it is (地点：东门菜市场。, 具体位置在万江大桥底),
/// up to the end of its clause or bracket; not the address pointed back to (上述地址).
fn marked_place(content: &str) -> Option<&str> {
    for marker in PLACE_MARKERS {
        for (at, _) in content.match_indices(marker) {
            let before = &content[..at];
            if ["上述", "该", "此", "具体"]
                .iter()
                .any(|w| before.ends_with(w))
            {
                continue;
            }
            let rest = &content[at + marker.len()..];
            let Some(by) = MARKED_BY.iter().find(|m| rest.starts_with(**m)) else {
                continue;
            };
            let rest = &rest[by.len()..];
            let end = rest
                .find(|c: char| CLAUSE_ENDS.contains(&c) || matches!(c, '；' | ';' | '）' | ')'))
                .unwrap_or(rest.len());
            let place = rest[..end].trim();
            if place.chars().count() >= 3 {
                return Some(place);
            }
        }
    }
    None
}

/// The place one clause names, as written: the text before the complaint starts.
fn place_of_clause(clause: &str) -> Option<&str> {
    let text = without_lead_in(clause);
    // A remark in brackets (（来电人系附近住户）) says nothing of what the clause is about.
    let mut outside = String::new();
    let mut depth = 0usize;
    for c in clause.chars() {
        match c {
            '（' | '(' | '【' | '[' => depth += 1,
            '）' | ')' | '】' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => outside.push(c),
            _ => {}
        }
    }
    let start: String = text.chars().take(4).collect();
    if ABOUT_THE_CALLER.iter().any(|w| outside.contains(w))
        || SPOKEN_TO_THE_HOTLINE.iter().any(|w| outside.contains(w))
        || CALLER_AT_START.iter().any(|w| start.contains(w))
        || COMPLAINT_STARTS.iter().any(|w| text.starts_with(w))
    {
        return None;
    }
    let mut place = text;
    // The complaint starts at its first word past the place's first two characters.
    let skip: usize = place.chars().take(2).map(char::len_utf8).sum();
    let cut = COMPLAINT_STARTS
        .iter()
        .filter_map(|w| place.get(skip..)?.find(w).map(|at| at + skip))
        .chain(
            // 在, 被 and 把 start what is done there (宗塘三区顶楼在加盖一层, 人行道被摊点
            // 占满, 鲜果园水果店把水果摊摆到店外), but 在建 is a site's word.
            place
                .char_indices()
                .skip(2)
                .filter(|(at, c)| {
                    matches!(c, '被' | '把') || *c == '在' && !place[*at..].starts_with("在建")
                })
                .map(|(at, _)| at),
        )
        .min();
    if let Some(cut) = cut {
        place = &place[..cut];
    }
    let place = place
        .trim_end_matches(['的', '在', '有', '处', ' ', '啊', '呀', '哦', '嘛'])
        .trim();
    (place.chars().count() >= 3).then_some(place)
}

/// Spoken words that point at the place named after them (大关路上那家新丰小吃: the shop on
/// the road).
const POINTERS: [&str; 4] = ["那家", "这家", "那个", "这个"];

/// The places one clause names: the text before the complaint starts, and, when a spoken
/// pointer ended it (大关路上那家新丰小吃啊), the place the pointer points at.
fn places_of_clause(clause: &str) -> Vec<&str> {
    let mut out: Vec<&str> = place_of_clause(clause).into_iter().collect();
    if let Some(first) = out.first() {
        let rest = &clause[first.as_ptr() as usize - clause.as_ptr() as usize + first.len()..];
        let rest = rest.trim_start_matches(['上', '的', ' ']);
        if let Some(pointer) = POINTERS.iter().find(|p| rest.starts_with(**p)) {
            out.extend(place_of_clause(&rest[pointer.len()..]));
        }
    }
    out
}

/// The texts of the places the content may name, clause by clause as written, the first
/// clause first, up to a clause that points back to the address (上述地址, 该处): from
/// there on the text speaks of the address itself. The caller keeps the first that parses
/// as a place.
pub fn places_in(content: &str) -> Vec<String> {
    let mut out: Vec<String> = marked_place(content)
        .map(str::to_string)
        .into_iter()
        .collect();
    // A speech-to-text draft breaks its phrases with spaces (我是秀水的 就是秀水街道根亲公园
    // 那块): each is a clause.
    let draft = content.contains("语音转写")
        || content.contains('　')
        || content
            .split(' ')
            .filter(|p| p.chars().count() >= 3)
            .count()
            >= 3;
    let ends = |c: char| CLAUSE_ENDS.contains(&c) || draft && (c == ' ' || c == '　');
    for clause in content.trim().split(ends) {
        if ["上述", "该地址", "该处", "此处", "该地", "同上"]
            .iter()
            .any(|w| clause.contains(w))
        {
            break;
        }
        out.extend(places_of_clause(clause).into_iter().map(str::to_string));
    }
    out
}

/// The place the content's first clause names (`places_in`'s first).
pub fn place_in(content: &str) -> Option<String> {
    places_in(content).into_iter().next()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn who_speaks_goes_before_what_they_did_and_there_ends_the_place() {
        assert_eq!(
            place_in("来电人表示德顺小吃那儿那嘎达排烟管道正对居民窗户").as_deref(),
            Some("德顺小吃")
        );
        assert_eq!(
            place_in("来电人表示吴家窑大街菜市场那嘎达卖菜的小喇叭一直喊").as_deref(),
            Some("吴家窑大街菜市场")
        );
        assert_eq!(
            place_in("市民来电反映：集里街道花炮大道111号噪音扰民").as_deref(),
            Some("集里街道花炮大道111号")
        );
    }

    #[test]
    fn who_spoke_and_when_are_not_the_place() {
        assert_eq!(
            place_in("市民来电称倪家桥路18号张记烧烤最近一周每晚油烟很大").as_deref(),
            Some("倪家桥路18号张记烧烤")
        );
        assert_eq!(
            place_in("留言反映武侯大道铁佛段今晚又有渣土车撒漏").as_deref(),
            Some("武侯大道铁佛段")
        );
        assert_eq!(
            place_in("市民中心广场晚上音响很吵").as_deref(),
            Some("市民中心广场")
        );
    }

    #[test]
    fn a_spoken_pointer_points_at_the_place_after_it() {
        // The road first, then the shop the caller points at on it.
        assert_eq!(
            places_in(
                "【语音转写】来电人说就是那个大关路上那家新丰小吃啊，早餐店把桌子摆到人行道上"
            ),
            vec!["大关路上", "新丰小吃", "早餐店"]
        );
    }

    #[test]
    fn a_spoken_drafts_fillers_are_not_the_place() {
        assert_eq!(
            place_in("来电人反映那个鑫盛木业二厂那个木粉飘到家里").as_deref(),
            Some("鑫盛木业二厂")
        );
        assert_eq!(
            place_in("来电人反映就是南寨村西地晚上偷偷烧秸秆").as_deref(),
            Some("南寨村西地")
        );
    }

    #[test]
    fn the_complaint_starts_at_what_happens_there() {
        assert_eq!(
            place_in("来电人称：金盏皮村东街68号院里正在私搭乱建，希望尽快解决。").as_deref(),
            Some("金盏皮村东街68号")
        );
        assert_eq!(
            place_in("来电反映望京站A口晚高峰有人摆摊卖水果").as_deref(),
            Some("望京站A口")
        );
        assert_eq!(
            place_in("微信公众号留言：位于府城农贸市场的地方每逢圩日商贩占道摆卖").as_deref(),
            Some("府城农贸市场")
        );
        assert_eq!(
            place_in("群众反映在起凤路城东大道路口工地，凌晨还有泥头车进出").as_deref(),
            Some("起凤路城东大道路口工地")
        );
        assert_eq!(place_in("在建工地夜间施工").as_deref(), Some("在建工地"));
        assert_eq!(
            place_in("来电反映霁虹街道隐士清吧放音乐声太大").as_deref(),
            Some("霁虹街道隐士清吧")
        );
    }

    #[test]
    fn who_is_complained_of_is_not_who_calls() {
        let place = place_in("来电人称，秀水街道今都花园顶楼业主加盖阳光房，违章搭建");
        assert!(
            place
                .as_deref()
                .is_some_and(|p| p.starts_with("秀水街道今都花园")),
            "{place:?}"
        );
        assert!(place_in("来电反映：番城街道好运来饭店（人民路）饭店排烟口对着住户").is_some());
        assert_eq!(place_in("住户反映楼下噪音"), None);
    }

    #[test]
    fn what_is_done_there_ends_the_place() {
        assert_eq!(
            place_in("乐和精酿扎啤馆店门口摆桌子喝扎啤大声喧哗").as_deref(),
            Some("乐和精酿扎啤馆店门口")
        );
        let stall = place_in("来电人称，团岛二路菜市场卖海鲜的推车占道经营");
        assert!(
            stall
                .as_deref()
                .is_some_and(|p| p.starts_with("团岛二路菜市场") && !p.contains("推车")),
            "{stall:?}"
        );
    }

    #[test]
    fn what_is_taken_somewhere_starts_the_complaint() {
        assert_eq!(
            place_in("来电人反映：秀水街道县医院南门对过的鲜果园水果店把水果摊摆到店外面占道")
                .as_deref(),
            Some("秀水街道县医院南门对过的鲜果园水果店")
        );
    }

    #[test]
    fn a_speech_drafts_phrases_are_clauses() {
        assert_eq!(
            place_in("【语音转写】喂 是12345吧 我是秀水的 就是秀水街道根亲公园那块 早上五点多就有人放音乐跳舞")
                .as_deref(),
            Some("秀水街道根亲公园")
        );
        assert_eq!(
            place_in("市民来电反映，江集镇鑫鑫砖瓦厂砖厂烟囱冒黑烟，呛得人咳嗽").as_deref(),
            Some("江集镇鑫鑫砖瓦厂砖厂")
        );
        assert_eq!(
            place_in("市民来电反映，史河砂场（郭陆滩镇李岗村）运砂车超载撒漏").as_deref(),
            Some("史河砂场（郭陆滩镇李岗村）")
        );
    }

    #[test]
    fn the_place_in_a_later_clause_after_who_calls() {
        assert_eq!(
            places_in("来电人称其为附近住户，稠城宗塘三区顶楼在加盖一层，晚上偷偷施工"),
            vec!["稠城宗塘三区顶楼".to_string()]
        );
        assert_eq!(
            places_in(
                "来电人系外籍商户（通过三方翻译），反映国际商贸城四区门口人行道被流动摊点占满"
            )
            .first()
            .map(String::as_str),
            Some("国际商贸城四区门口人行道")
        );
        // A remark about the caller in brackets does not make the clause the caller's.
        assert_eq!(
            place_in("来电人称双廊古镇听海小院民宿露台（来电人系附近住户）经营到深夜").as_deref(),
            Some("双廊古镇听海小院民宿露台（来电人系附近住户）")
        );
        assert_eq!(
            place_in("喂你好我要反映一下杰运达快递分拣场啊，分拣线机器整夜开着").as_deref(),
            Some("杰运达快递分拣场")
        );
        // From a clause that points back to the address on, the text speaks of it.
        assert!(places_in("上述地址占道经营问题反复出现，希望加强巡查").is_empty());
    }

    #[test]
    fn the_place_a_complaint_names() {
        assert_eq!(
            place_in(
                "市民反映：集里街道花炮大道111号宏达公寓楼12栋2单元夜间噪音扰民，吵得睡不着。"
            )
            .as_deref(),
            Some("集里街道花炮大道111号宏达公寓楼12栋2单元")
        );
        assert_eq!(
            place_in("来电人称：又来电反映浏阳市 沙市镇；赤马村3组违章搭建，占用公共空间。")
                .as_deref(),
            Some("浏阳市 沙市镇；赤马村3组")
        );
        assert_eq!(
            place_in("网友留言：又来电反映浏阳市淮川街道圭斋路53号（8号土菜馆）烧烤油烟很大")
                .as_deref(),
            Some("浏阳市淮川街道圭斋路53号（8号土菜馆）")
        );
        assert_eq!(place_in("楼道堆放杂物，堵塞消防通道"), None);
        assert_eq!(place_in("噪音扰民"), None);
    }
}
