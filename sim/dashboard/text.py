"""Every string of the dashboard, in Chinese (``zh``) and English (``en``).

The explanations of the levers summarise the seed reports and name them by file: ``seeds/000``
(Henan, 减县补乡), ``seeds/001`` (Zhucheng), ``seeds/002`` (Qujing), ``seeds/003`` (secondment
rules, Baotou, Weihai) and ``seeds/004`` (Puge).
"""

from __future__ import annotations

LANGUAGES = ("zh", "en")

TEXT: dict[str, dict[str, str]] = {
    # Page.
    "title": {"zh": "小马拉大车：乡镇减负改革课堂演示",
              "en": "A small horse pulling a big cart: township reforms, live"},
    "language": {"zh": "语言", "en": "Language"},
    "lang.zh": {"zh": "中文", "en": "中文"},
    "lang.en": {"zh": "English", "en": "English"},
    "intro": {
        "zh": "选择情景和改革措施，然后按 ▶ 播放或 Step 单步。灰色（左）为改革前（基线），"
              "蓝色（右）为改革后；两者面对完全相同的群众诉求（同一随机种子），"
              "差别只来自改革。",
        "en": "Pick a scenario and reforms, then press ▶ (play) or Step. Grey (left): before the "
              "reforms (baseline); blue (right): with them. Both face exactly the same citizen "
              "demand (same seed), so every difference is the reforms' doing.",
    },
    "speed.help": {
        "zh": "速度（下方“Controls”卡片）：Play Interval = 两次刷新之间的等待（毫秒）；"
              "Render Interval = 每次刷新模拟的天数；Reset = 从第0天重来；Step = 前进；"
              "▶ = 播放/暂停。"
              "改动任何设置都会从第0天重新开始；若一年已跑完，改设置后按 Reset 再播放。",
        "en": "Speed (the Controls card below): Play Interval = wait between updates (ms); "
              "Render Interval = simulated days per update; Reset = back to day 0; Step = advance; "
              "▶ = play/pause. Changing any setting starts again from day 0; after a finished "
              "year, press Reset before playing again.",
    },
    "panel.setup": {"zh": "情景与对照", "en": "Scenario and comparison"},
    "panel.levers": {"zh": "改革措施", "en": "Reform levers"},
    "levers.reset": {"zh": "全部回到改革前", "en": "All levers back to baseline"},
    "scenario": {"zh": "情景", "en": "Scenario"},
    "seed": {"zh": "随机种子（同一种子 = 同一批群众诉求）",
             "en": "Seed (same seed = same citizen demand)"},
    "side_by_side": {"zh": "并排对照：改革前 vs 改革后", "en": "Side by side: before vs after"},
    "command": {"zh": "同一运行的命令行：", "en": "The same run on the command line:"},
    "error": {"zh": "这组设置无法模拟：", "en": "These settings cannot be simulated:"},
    "inactive": {"zh": "（当前预设下不起作用）", "en": "(no effect under this preset)"},
    "source": {"zh": "出处", "en": "Source"},
    # Scenarios (configs/scenario/).
    "scenario.classroom": {"zh": "课堂县：4个乡镇、8个部门", "en": "Classroom county: 4 townships"},
    "scenario.baotou_street": {"zh": "包头科学路街道：23名干部、4人被借调（seeds/003）",
                               "en": "Baotou street: 23 cadres, 4 seconded (seeds/003)"},
    "scenario.yangting_town": {"zh": "威海羊亭镇：80个编制、70人在岗（seeds/003）",
                               "en": "Weihai Yangting town: 80 posts, 70 on duty (seeds/003)"},
    "scenario.typical_county": {"zh": "中西部典型县：14个乡镇、35个部门",
                                "en": "Typical county: 14 townships, 35 departments"},
    "scenario.puge": {"zh": "普格县：13个乡镇，改革前每乡镇18.7个编制（seeds/004）",
                      "en": "Puge county: 13 townships, 18.7 posts each (seeds/004)"},
    "scenario.henan_county": {"zh": "河南某县，减县补乡之前（seeds/000）",
                              "en": "A Henan county before the reform (seeds/000)"},
    "scenario.qujing_county": {"zh": "曲靖某县，编制保底之前（seeds/002）",
                               "en": "A Qujing county before the floors (seeds/002)"},
    "scenario.mmc": {"zh": "纯排队模型 M/M/c（检验用）", "en": "Pure M/M/c queue (validation)"},
    # Levers.
    "lever.posts": {"zh": "编制下沉（减县补乡）", "en": "Sink posts to townships (编制下沉)"},
    "lever.posts.about": {
        "zh": "把县直单位闲置的编制连人带编下沉到乡镇，可平均分、按人口或按工作量分，分批进行。"
              "河南全省下沉33,699名编制，平均每个乡镇约15名（seeds/000）；曲靖规定每个乡镇行政编制"
              "不少于20名、乡镇编制不低于全县12%（seeds/002）；普格乡镇平均编制从18.7个增至51.8个"
              "（seeds/004）。",
        "en": "Move idle posts of county units, with their holders, to townships: equally, by "
              "population or by workload, in batches. Henan moved 33,699 posts, about 15 per "
              "township (seeds/000); Qujing set floors of >= 20 admin posts per township and "
              ">= 12% of the county's posts (seeds/002); Puge went from 18.7 to 51.8 posts per "
              "township (seeds/004).",
    },
    "lever.secondment": {"zh": "借调管理", "en": "Secondment rules (借调)"},
    "lever.secondment.about": {
        "zh": "县直部门为专班从乡镇借调干部，被借调者还要兼顾原单位工作。"
              "包头某街道23名干部被借走4名；威海等地规定一般不超过3个月、续借须重新审批、累计不超过6个月；2024年起县以上机关一般"
              "不得从乡镇借调（seeds/003）。",
        "en": "County departments borrow township cadres for special projects; secondees still do "
              "part of their home work. A Baotou street lost 4 of its 23 cadres; Weihai's rules: "
              "<= 3 months a term, renewal re-approved, <= 6 months in all; from 2024 county "
              "organs generally may not borrow township staff (seeds/003).",
    },
    "lever.meetings": {"zh": "精文减会", "en": "Fewer meetings and documents (精文减会)"},
    "lever.meetings.about": {
        "zh": "会议“能合不分”，日常业务会由分管副职或工作人员参加；清理工作群（普格清理35个）；"
              "督查考核统一报备、统一开展，不搞临时督查（seeds/004）。滑块为会议削减比例。",
        "en": "Merge meetings, send deputies or staff to routine ones, close work chat groups "
              "(Puge closed 35), replace ad hoc inspections with unified ones (seeds/004). The "
              "slider is the share of meetings cut.",
    },
    "lever.tasks": {"zh": "事项准入清单", "en": "Task access list (准入清单)"},
    "lever.tasks.about": {
        "zh": "上级交办给乡镇的事项须在清单内，清单外的退回部门（部门担责、乡镇免责）。诸城严格交办"
              "事项准入（seeds/001）；曲靖制定村级事项准入清单13类43项（seeds/002）。滑块为清单外"
              "任务被退回的比例。",
        "en": "Tasks pushed down to townships must be on the list; those outside it go back to the "
              "department. Zhucheng enforces task access (seeds/001); Qujing listed 43 items in 13 "
              "classes (seeds/002). The slider is the share of outside-list tasks sent back.",
    },
    "lever.coordination": {"zh": "乡镇吹哨、部门报到",
                           "en": "Township whistles, departments report"},
    "lever.coordination.about": {
        "zh": "跨部门事项：改革前部门之间“踢皮球”，一个接一个地办、常被退回（seeds/001）；"
              "改革后部门限时响应、并联办理“一件事”，乡镇与部门双向考核各占50%（seeds/002、seeds/004）。"
              "滑块为部门响应时限（天，0 = 不设时限）。",
        "en": "Cross-department cases: before, departments pass the case on one after another and "
              "bounce it (buck-passing, 踢皮球, seeds/001); after, they answer within a deadline, "
              "handle \"one matter\" jointly and are scored 50/50 by the townships (seeds/002, "
              "seeds/004). The slider is the response deadline (days, 0 = none).",
    },
    "lever.pay": {"zh": "乡镇待遇倾斜", "en": "Township pay premium"},
    "lever.pay.about": {
        "zh": "包头落实苏木乡镇街道工作人员收入高于县直机关同职级20%的政策（seeds/003），"
              "干部更愿意留下、更少想被借走。滑块为加薪比例。",
        "en": "Baotou pays township staff at least 20% more than county staff of the same rank "
              "(seeds/003): fewer leave and fewer want to be borrowed. The slider is the premium.",
    },
    # Presets.
    "preset.posts.baseline": {"zh": "不下沉", "en": "none"},
    "preset.posts.sink": {"zh": "下沉15", "en": "sink 15"},
    "preset.posts.henan": {"zh": "河南", "en": "Henan"},
    "preset.posts.qujing": {"zh": "曲靖", "en": "Qujing"},
    "preset.posts.puge": {"zh": "普格", "en": "Puge"},
    "preset.secondment.unregulated": {"zh": "不管", "en": "unregulated"},
    "preset.secondment.regulated": {"zh": "限期", "en": "regulated"},
    "preset.secondment.banned": {"zh": "禁止", "en": "banned"},
    "preset.meetings.baseline": {"zh": "照旧", "en": "as before"},
    "preset.meetings.cut": {"zh": "精简", "en": "cut"},
    "preset.tasks.baseline": {"zh": "照单全收", "en": "take all"},
    "preset.tasks.access_list": {"zh": "准入清单", "en": "access list"},
    "preset.coordination.buck_passing": {"zh": "踢皮球", "en": "buck-passing"},
    "preset.coordination.whistle": {"zh": "吹哨报到", "en": "whistle"},
    "preset.pay.baseline": {"zh": "同县直", "en": "as county"},
    "preset.pay.premium": {"zh": "+20%", "en": "+20%"},
    # Parameters.
    "param.policy.posts.per_township": {"zh": "每个乡镇下沉编制数",
                                        "en": "Posts sunk per township"},
    "param.policy.posts.allocation": {"zh": "分配方式", "en": "Allocation"},
    "param.policy.secondment.term_months": {"zh": "每期借调上限（月）", "en": "Term (months)"},
    "param.policy.secondment.max_cumulative_months": {"zh": "累计借调上限（月）",
                                                      "en": "Cumulative cap (months)"},
    "param.policy.meetings.meeting_cut": {"zh": "会议削减比例", "en": "Share of meetings cut"},
    "param.policy.tasks.refusal_rate": {"zh": "清单外任务退回比例",
                                        "en": "Outside-list tasks sent back"},
    "param.policy.coordination.response_deadline_days": {
        "zh": "部门响应时限（天，0=不设）", "en": "Response deadline (days, 0 = none)"},
    "param.policy.pay.premium": {"zh": "乡镇加薪比例", "en": "Pay premium"},
    "choice.equal": {"zh": "平均", "en": "equal"},
    "choice.population": {"zh": "按人口", "en": "by population"},
    "choice.workload": {"zh": "按工作量", "en": "by workload"},
    # Roles and the headline table.
    "role.baseline": {"zh": "改革前（基线）", "en": "Before (baseline)"},
    "role.reform": {"zh": "改革后", "en": "With reforms"},
    "change": {"zh": "变化", "en": "Change"},
    "metric": {"zh": "指标", "en": "Measure"},
    "metric.day": {"zh": "已模拟天数", "en": "Days simulated"},
    "metric.backlog": {"zh": "积压事项（件）", "en": "Backlog (open items)"},
    "metric.resolution_hours": {"zh": "诉求平均办结时间（小时）", "en": "Mean resolution time (h)"},
    "metric.overload": {"zh": "超负荷指数（近28天）", "en": "Overload index (last 28 days)"},
    "metric.mandatory_share": {"zh": "会议/文件/督查/工作群占工时",
                               "en": "Hours in meetings, documents, inspections, chats"},
    "metric.secondments": {"zh": "被借调干部（人）", "en": "Cadres seconded"},
    "metric.vacancies": {"zh": "乡镇空编（个）", "en": "Township vacancies"},
    "metric.posts_townships": {"zh": "乡镇编制（个）", "en": "Township posts"},
    "no_data": {"zh": "按 Step 或 ▶ 开始模拟。", "en": "Press Step or ▶ to start."},
    # Plots.
    "plot.map": {"zh": "全县地图：点大小 = 人口，颜色 = 超负荷指数（近28天，>1 即人手不够）",
                 "en": "County map: size = population, colour = overload (last 28 days; > 1 = "
                       "short of hands)"},
    "plot.map.colour": {"zh": "超负荷指数", "en": "Overload index"},
    "plot.km": {"zh": "距县城（公里）", "en": "km from county seat"},
    "plot.seat": {"zh": "县城", "en": "county seat"},
    "plot.backlog": {"zh": "积压事项（件）", "en": "Backlog (open items)"},
    "plot.resolution": {"zh": "诉求办结时间（小时，7天平均）",
                        "en": "Resolution time (h, 7-day mean)"},
    "plot.hours": {"zh": "干部工时去向（小时/天，7天平均）",
                   "en": "Where cadres' hours go (h/day, 7-day mean)"},
    "plot.staff": {"zh": "借调与空编", "en": "Secondments and vacancies"},
    "plot.day": {"zh": "天", "en": "day"},
    "plot.people": {"zh": "人 / 个", "en": "people / posts"},
    "series.secondments": {"zh": "被借调", "en": "seconded"},
    "series.vacancies": {"zh": "空编", "en": "vacancies"},
    "hours.service": {"zh": "群众服务", "en": "service"},
    "hours.cross_department": {"zh": "跨部门事项", "en": "cross-department"},
    "hours.tasks": {"zh": "上级交办", "en": "pushed-down tasks"},
    "hours.meetings": {"zh": "会议（含路程）", "en": "meetings (+travel)"},
    "hours.documents": {"zh": "文件报表", "en": "documents"},
    "hours.inspections": {"zh": "督查检查", "en": "inspections"},
    "hours.chat_groups": {"zh": "工作群", "en": "chat groups"},
    "hours.seconded": {"zh": "借调工作", "en": "seconded work"},
}


def tr(key: str, lang: str) -> str:
    """The text of ``key`` in ``lang`` (``zh`` or ``en``); the key itself if it has none."""
    entry = TEXT.get(key)
    return entry[lang] if entry else key
