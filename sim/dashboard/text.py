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
              "en": "A small horse pulling a big cart: township reforms in class"},
    "title.short": {"zh": "小马拉大车", "en": "Small horse, big cart"},
    "lang.zh": {"zh": "中文", "en": "中文"},
    "lang.en": {"zh": "English", "en": "English"},
    "presenter": {"zh": "投影大字", "en": "Presenter"},
    "intro": {
        "zh": "改动任何改革措施，马上看到全年结果：左为改革前（基线），右为改革后，"
              "两者面对完全相同的群众诉求（同一随机种子）。按“回放”可逐日回放。",
        "en": "Change any reform and see the whole year at once: before (baseline) against "
              "after, on exactly the same citizen demand (same seed). Press Play to replay day by "
              "day.",
    },
    "panel.setup": {"zh": "情景", "en": "Scenario"},
    "panel.levers": {"zh": "改革措施", "en": "Reforms"},
    "levers.reset": {"zh": "全部回到改革前", "en": "All back to baseline"},
    "levers.more": {"zh": "参数与说明", "en": "Settings and sources"},
    "scenario": {"zh": "情景", "en": "Scenario"},
    "seed": {"zh": "随机种子", "en": "Seed"},
    "seed.help": {"zh": "同一种子 = 同一批群众诉求", "en": "Same seed = same citizen demand"},
    "side_by_side": {"zh": "与改革前并排对照", "en": "Compare with baseline"},
    "command": {"zh": "同一运行的命令行：", "en": "The same run on the command line:"},
    "inactive": {"zh": "（当前预设下不起作用）", "en": "(no effect under this preset)"},
    "source": {"zh": "出处", "en": "Source"},
    # Control bar.
    "play": {"zh": "回放", "en": "Play"},
    "pause": {"zh": "暂停", "en": "Pause"},
    "step": {"zh": "+1 天", "en": "+1 day"},
    "reset": {"zh": "回到第0天", "en": "Day 0"},
    "end": {"zh": "全年结果", "en": "Whole year"},
    "speed": {"zh": "速度", "en": "Speed"},
    "speed.slow": {"zh": "慢", "en": "slow"},
    "speed.normal": {"zh": "中", "en": "normal"},
    "speed.fast": {"zh": "快", "en": "fast"},
    "speed.fastest": {"zh": "最快", "en": "fastest"},
    "day.of": {"zh": "第 {day} 天 / 共 {days} 天", "en": "Day {day} of {days}"},
    "computed": {"zh": "全年计算用时 {seconds} 秒", "en": "Year computed in {seconds} s"},
    "cached": {"zh": "全年结果（已算好）", "en": "Year's result (ready)"},
    "computing": {"zh": "正在计算全年结果……", "en": "Computing the year…"},
    "no_data": {"zh": "第0天：还没有数据。按“回放”逐日回放，或按“全年结果”。",
                "en": "Day 0: no data yet. Press Play to replay or Whole year."},
    # Views (tabs).
    "view.overload": {"zh": "小马拉大车指数", "en": "Overload index"},
    "view.map": {"zh": "地图", "en": "Map"},
    "view.hours": {"zh": "工时去向", "en": "Hours"},
    "view.backlog": {"zh": "积压与办结", "en": "Backlog"},
    "view.staff": {"zh": "借调与空编", "en": "Secondees, vacancies"},
    "view.numbers": {"zh": "全部数字", "en": "All numbers"},
    "view.seeds": {"zh": "多种子比较", "en": "Several seeds"},
    "view.share": {"zh": "分享与保存", "en": "Share and save"},
    # The overload index.
    "overload.name": {"zh": "小马拉大车指数", "en": "Overload index (小马拉大车指数)"},
    "overload.definition": {
        "zh": "小马拉大车指数 = 一段时间内落到乡镇的工作所需工时 ÷ 在岗干部的正常工作时间"
              "（每人每个工作日8小时）。等于1：人手刚好够；大于1：要靠加班或积压；"
              "全县数值为各乡镇的平均。",
        "en": "Overload index (小马拉大车指数) = hours of work that reach a township in a "
              "period ÷ regular hours of its cadres on duty (8 per working day each). 1: just "
              "enough hands; above 1: overtime or a growing backlog. The county's value is the "
              "mean over its townships.",
    },
    "plot.overload_time": {"zh": "全县小马拉大车指数（每周）",
                           "en": "County overload index, by week"},
    "plot.overload_townships": {"zh": "各乡镇小马拉大车指数（第1天至今）",
                                "en": "Overload index by township (day 1 to now)"},
    "plot.one": {"zh": "1 = 人手刚好够", "en": "1 = just enough hands"},
    "plot.week": {"zh": "周", "en": "week"},
    "plot.day": {"zh": "天", "en": "day"},
    # Map.
    "plot.map": {"zh": "乡镇地图：颜色 = 小马拉大车指数（第1天至今），小点 = 村",
                 "en": "Townships: colour = overload index (day 1 to now); dots = villages"},
    "plot.map.help": {"zh": "每个方块是一个乡镇，按实际方位排列（不按比例）；方块内数字为指数，"
                            "小点为该乡镇的村。乡镇名为教学用虚构名称。",
                      "en": "Each tile is a township, placed by its direction from the county "
                            "seat (not to scale); the number is its index, the dots its "
                            "villages. Township names are invented for teaching."},
    "plot.seat": {"zh": "县城", "en": "county seat"},
    "plot.villages": {"zh": "个村", "en": "villages"},
    "plot.population": {"zh": "人口", "en": "population"},
    # Other plots.
    "plot.hours": {"zh": "乡镇干部工时去向（全部乡镇，小时/周）",
                   "en": "Where township cadres' hours go (all townships, hours per week)"},
    "plot.backlog": {"zh": "积压事项（件，当日）", "en": "Backlog (open items, each day)"},
    "plot.resolution": {"zh": "群众诉求平均办结时间（天，按周）",
                        "en": "Mean resolution time of citizen requests (days, by week)"},
    "plot.secondees": {"zh": "被借调在外的乡镇干部（人）",
                       "en": "Township cadres seconded away (people)"},
    "plot.vacancies": {"zh": "乡镇空编（有编制、没人，个）",
                       "en": "Township vacancies (posts with nobody, count)"},
    "plot.staff.help": {"zh": "借调：人在乡镇编制内，却被县直部门借走干活；空编：编制在，人没有"
                              "（离职或编制下沉后尚未招到人）。",
                        "en": "Secondees: cadres on the township's posts who work for a county "
                              "department; vacancies: posts with nobody in them (someone left, "
                              "or a sunk post not yet filled)."},
    "export.png": {"zh": "保存为PNG图片", "en": "Save as PNG"},
    # Several seeds.
    "seeds.run": {"zh": "用 {n} 个种子比较", "en": "Compare on {n} seeds"},
    "seeds.count": {"zh": "种子个数", "en": "Seeds"},
    "seeds.help": {
        "zh": "一个种子只是一年里的一种可能。这里用多个种子（每个种子改革前后面对同样的诉求）"
              "各算一年，给出差值（改革后 − 改革前）的平均值及其95%置信区间（t分布）。"
              "区间不含0，说明差别不是偶然。",
        "en": "One seed is one possible year. Here each of several seeds runs a year before and "
              "after the reforms on the same demand; the table gives the mean difference "
              "(after - before) and its 95% confidence interval (Student t). An interval that "
              "excludes 0 means the difference is not chance.",
    },
    "seeds.running": {"zh": "正在计算：{i} / {n} 个种子", "en": "Running: {i} of {n} seeds"},
    "seeds.mean_baseline": {"zh": "改革前平均", "en": "Before, mean"},
    "seeds.mean_reform": {"zh": "改革后平均", "en": "After, mean"},
    "seeds.difference": {"zh": "差值（后−前）", "en": "Difference (after - before)"},
    "seeds.interval": {"zh": "95%置信区间", "en": "95% interval"},
    "seeds.runs": {"zh": "种子数", "en": "Seeds"},
    "seeds.stale": {"zh": "设置已改动，请重新计算。", "en": "Settings changed: run again."},
    # Share and save.
    "share.url": {"zh": "本页链接（含全部设置，可复制给学生）：",
                  "en": "Link to this page with every setting (copy it to students):"},
    "share.name": {"zh": "情景名称", "en": "Scenario name"},
    "share.save": {"zh": "保存当前设置", "en": "Save these settings"},
    "share.saved": {"zh": "已保存的情景", "en": "Saved scenarios"},
    "share.load": {"zh": "打开", "en": "Open"},
    "share.delete": {"zh": "删除", "en": "Delete"},
    "share.none": {"zh": "还没有保存的情景。", "en": "No saved scenarios yet."},
    "share.bad_name": {"zh": "名称不能为空，最长40个字符。",
                       "en": "The name must not be empty and at most 40 characters."},
    # Errors and connection.
    "error.settings": {"zh": "这组设置无法模拟：", "en": "These settings cannot be simulated:"},
    "error.key.policy.posts.per_township": {
        "zh": "县直部门腾不出这么多编制（每个部门要保留最低人数），请减少每个乡镇下沉的编制数。",
        "en": "County departments cannot release that many posts (each keeps a minimum): sink "
              "fewer posts per township."},
    "error.key.policy.posts": {
        "zh": "编制下沉方案在本情景下无法实现，请换一个方案或情景。",
        "en": "This post plan cannot be carried out in this scenario: choose another plan or "
              "scenario."},
    "error.key.seed": {"zh": "随机种子须为0到2147483647之间的整数。",
                       "en": "The seed must be a whole number from 0 to 2147483647."},
    "error.generic": {"zh": "参数“{name}”的取值超出可模拟的范围。",
                      "en": "The value of \"{name}\" is outside what can be simulated."},
    "error.unknown": {"zh": "无法识别这组设置，请点“全部回到改革前”。",
                      "en": "These settings are not recognised: press \"All back to baseline\"."},
    "conn.down": {"zh": "与服务器的连接已断开，正在重新连接……",
                  "en": "Connection to the server lost; reconnecting…"},
    "conn.refresh": {"zh": "请刷新页面", "en": "Please refresh the page"},
    # Scenarios (configs/scenario/).
    "scenario.classroom": {"zh": "课堂县：4个乡镇、8个部门", "en": "Classroom county: 4 townships"},
    "scenario.baotou_street": {"zh": "包头科学路街道：23名干部、4人被借调（seeds/003）",
                               "en": "Baotou street: 23 cadres, 4 seconded (seeds/003)"},
    "scenario.yangting_town": {"zh": "威海羊亭镇：80个编制、70人在岗（seeds/003）",
                               "en": "Weihai Yangting town: 80 posts, 70 on duty (seeds/003)"},
    "scenario.typical_county": {"zh": "中西部典型县：14个乡镇、35个部门，含乡镇本级工作",
                                "en": "Typical county: 14 townships, 35 departments, own work"},
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
    "lever.training": {"zh": "干部培训", "en": "Training (培训)"},
    "lever.training.about": {
        "zh": "普格开展12期靶向培训、680人次（seeds/004），干部队伍老化需要培训（seeds/001）："
              "培训占用工作日，"
              "提高效率，效果逐渐衰减。",
        "en": "Puge ran 12 targeted courses, 680 person-times (seeds/004), for ageing staff "
              "(seeds/001): courses take cadres off their day and raise productivity, a gain "
              "that fades.",
    },
    "lever.promotion": {"zh": "晋升渠道与职数", "en": "Promotion channels (职数)"},
    "lever.promotion.about": {
        "zh": "向基层倾斜的提拔和职级晋升（seeds/000、seeds/001、seeds/003、seeds/004）："
              "干部更愿意留在乡镇，"
              "更少想被借调留用。",
        "en": "Promotions and rank rises aimed at grassroots cadres (seeds/000, seeds/001, "
              "seeds/003, seeds/004): "
              "fewer leave the township and fewer secondees wish to stay on.",
    },
    "lever.transfer": {"zh": "长期借调转调入", "en": "Transfer of long secondees (调入)"},
    "lever.transfer.about": {
        "zh": "喀什将长期借调人员正式调入（seeds/003）：乡镇的编制空出来并重新招录。",
        "en": "Kashgar transferred long-term secondees (seeds/003): the township's post is freed "
              "and hired for.",
    },
    "preset.training.baseline": {"zh": "无", "en": "none"},
    "preset.training.puge": {"zh": "普格", "en": "Puge"},
    "preset.promotion.baseline": {"zh": "无", "en": "none"},
    "preset.promotion.puge": {"zh": "普格", "en": "Puge"},
    "preset.transfer.baseline": {"zh": "无", "en": "none"},
    "preset.transfer.kashgar": {"zh": "喀什", "en": "Kashgar"},
    "lever.reallocation": {"zh": "编制动态调整", "en": "Reallocation of posts (动态调整)"},
    "lever.reallocation.about": {
        "zh": "曲靖按人口规模等因素定期核定乡镇（街道）编制（seeds/002）：编制从人少事少的乡镇"
              "调往人多事多的街道，每个乡镇保留底线编制。",
        "en": "Qujing re-set township posts by population and workload (seeds/002): posts move "
              "from townships that shrank to streets that grew, each keeping a floor.",
    },
    "preset.reallocation.baseline": {"zh": "无", "en": "none"},
    "preset.reallocation.qujing": {"zh": "曲靖（按人口）", "en": "Qujing (population)"},
    "preset.reallocation.workload": {"zh": "按工作量", "en": "by workload"},
    "lever.pool": {"zh": "全省统筹与跨县流动", "en": "Province pool (跨县流动)"},
    "lever.pool.about": {
        "zh": "河南按面积、人口和任务核定各县下沉编制，偃师分两批向伊滨划转200人（seeds/000）："
              "仅在全省运行中起作用，各县运行前统一决定。",
        "en": "Henan set each county's posts by area, population and tasks; Yanshi sent 200 "
              "staff to Yibin in two batches (seeds/000): acts in a province run, decided "
              "before the counties run.",
    },
    "preset.pool.baseline": {"zh": "无", "en": "none"},
    "preset.pool.henan": {"zh": "河南", "en": "Henan"},
    "lever.purchase": {"zh": "花钱办事（购买服务）", "en": "Purchased services (花钱办事)"},
    "lever.purchase.about": {
        "zh": "诸城把事务性、辅助性工作通过合同、委托向社会购买，严控编外聘用（seeds/001）："
              "外包事项不占干部工时，但要付费、要等承办方交回，部分需干部返工；"
              "“限编外”预设再给每个乡镇的编外人数设上限。",
        "en": "Zhucheng buys routine and auxiliary work by contract and tightens the rules on "
              "contract staff (seeds/001): contracted items take no cadre hours, but cost money, "
              "wait for the contractor's return, and some need cadres' rework; the capped preset "
              "also limits contract staff per township.",
    },
    "preset.purchase.baseline": {"zh": "不购买", "en": "none"},
    "preset.purchase.zhucheng": {"zh": "诸城", "en": "Zhucheng"},
    "preset.purchase.capped": {"zh": "诸城（限编外）", "en": "Zhucheng, capped"},
    "lever.feedback": {"zh": "群众评价（回访）", "en": "Residents' evaluation (回访)"},
    "lever.feedback.about": {
        "zh": "诸城通过电话回访满意度、现场机器评价来评价网格工作（seeds/001）："
              "部分办结诉求被回访，不满意的重新办理；干部对群众诉求更用心，"
              "按考核排序时群众诉求的权重提高。",
        "en": "Zhucheng rates the grids' work by telephone call-backs on satisfaction and "
              "on-site machine ratings (seeds/001): some resolved requests are called back, the "
              "unsatisfied reopen as rework; cadres give requests more care, and under the "
              "evaluation queue order requests weigh more.",
    },
    "preset.feedback.baseline": {"zh": "无回访", "en": "none"},
    "preset.feedback.zhucheng": {"zh": "诸城", "en": "Zhucheng"},
    "lever.enforcement": {"zh": "一支队伍管执法", "en": "One enforcement team (综合行政执法)"},
    "lever.enforcement.about": {
        "zh": "诸城在13个镇街设综合行政执法机构（seeds/001），曲靖下放执法和审批事项26项"
              "（seeds/002），普格组建13支乡镇执法队伍、197人取得执法证（seeds/004）："
              "下放的执法事项由乡镇执法队办理，不再转给县直部门；只有持证人员能办，"
              "执法证要分几批考取，培训和考试也占用乡镇工时。",
        "en": "Zhucheng set up comprehensive enforcement in its 13 towns (seeds/001), Qujing "
              "delegated 26 enforcement and approval items (seeds/002), Puge built 13 township "
              "teams with 197 certified cadres (seeds/004): delegated enforcement matters are "
              "handled by the township team instead of being referred to county departments; "
              "only certified staff may handle them, certificates come in exam rounds, and the "
              "training and exams take township hours.",
    },
    "lever.platform": {"zh": "一端受理、多口联办", "en": "One-stop platform (乡呼县应)"},
    "lever.platform.about": {
        "zh": "诸城依托政务专网建“乡呼县应”平台，推行“网格呼叫、部门报到”（seeds/001），"
              "曲靖推行“一件事”联办（seeds/002）：群众诉求一端受理、直接派给责任部门，"
              "部门退回减少，重复诉求合并办理；平台每周也要占用乡镇工时来维护。",
        "en": "Zhucheng built a \"township calls, county answers\" platform with \"grid calls, "
              "departments report\" (seeds/001), Qujing handles \"one matter\" jointly "
              "(seeds/002): residents' matters come in at one end and go straight to the "
              "department responsible, so fewer are bounced and repeated reports are merged; "
              "keeping the platform takes township hours every week.",
    },
    "preset.enforcement.baseline": {"zh": "移交部门", "en": "referred"},
    "preset.enforcement.one_team": {"zh": "一支队伍", "en": "one team"},
    "preset.platform.baseline": {"zh": "无", "en": "none"},
    "preset.platform.one_intake": {"zh": "一端受理", "en": "one intake"},
    "lever.residence": {"zh": "驻村干部", "en": "Village-resident cadres (驻村)"},
    "lever.residence.about": {
        "zh": "普格向81个行政村全覆盖选派216名驻村干部（seeds/004）；喀什一半乡镇干部轮换下沉到村"
              "（seeds/003）。驻村干部在村里走访入户，提早发现群众的潜在诉求，"
              "免得拖成信访或热线投诉。",
        "en": "Puge sent 216 resident cadres to all 81 villages (seeds/004); in Kashgar half the "
              "township cadres rotate to villages (seeds/003). Residents visit households door "
              "to door and find latent needs early, before they become hotline complaints.",
    },
    "lever.work_teams": {"zh": "下派工作队", "en": "County work teams in villages"},
    "lever.work_teams.about": {
        "zh": "曲靖向1688个村（社区）选派基层治理工作队队员5147名（seeds/002），给村（社区）干部"
              "做增量：多出的人手用于走访群众。",
        "en": "Qujing sent 5,147 work-team members to its 1,688 villages and communities "
              "(seeds/002): added hands at village level, whose hours go to visiting households.",
    },
    "lever.plaques": {"zh": "清牌子、减担子", "en": "Clearing plaques and burdens"},
    "lever.plaques.about": {
        "zh": "曲靖平均每个村（社区）精减牌子10个左右，村级事项准入清单13类43项（seeds/002）；"
              "普格清理乡村两级牌子560余个（seeds/004）。村干部和乡镇少填台账，"
              "省下的时间用来走访服务群众。",
        "en": "Qujing removed about 10 plaques per village and listed 43 items in 13 classes of "
              "village work (seeds/002); Puge cleared over 560 plaques (seeds/004). Village and "
              "township cadres keep fewer ledgers and spend the hours visiting residents.",
    },
    "preset.residence.baseline": {"zh": "无", "en": "none"},
    "preset.residence.puge": {"zh": "普格", "en": "Puge"},
    "preset.residence.kashgar": {"zh": "喀什", "en": "Kashgar"},
    "preset.work_teams.baseline": {"zh": "无", "en": "none"},
    "preset.work_teams.qujing": {"zh": "曲靖", "en": "Qujing"},
    "preset.plaques.baseline": {"zh": "照旧", "en": "as today"},
    "preset.plaques.qujing": {"zh": "曲靖", "en": "Qujing"},
    "preset.plaques.puge": {"zh": "普格", "en": "Puge"},
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
    "param.policy.posts.stages": {"zh": "分几批下沉", "en": "Batches"},
    "param.policy.posts.stage_interval_days": {"zh": "批次间隔（天）",
                                               "en": "Days between batches"},
    "param.policy.posts.with_people": {"zh": "连人带编下沉", "en": "Holders move with their posts"},
    "param.policy.posts.min_admin_posts_per_township": {
        "zh": "每个乡镇行政编制下限", "en": "Floor of admin posts per township"},
    "param.policy.posts.min_township_share": {"zh": "乡镇编制占全县比例下限",
                                              "en": "Floor of the townships' share of posts"},
    "param.policy.secondment.mode": {"zh": "借调规则", "en": "Rule"},
    "param.policy.secondment.consent_probability": {"zh": "乡镇书面同意借调的概率",
                                                    "en": "Chance the township consents"},
    "param.policy.secondment.prohibited_request_share": {
        "zh": "因“三个严禁”被拒的借调申请比例", "en": "Requests refused as prohibited"},
    "param.policy.secondment.approval_delay_days": {"zh": "审批用时（天）",
                                                    "en": "Approval delay (days)"},
    "param.policy.secondment.major_project_share": {"zh": "重大项目借调占比",
                                                    "en": "Share for major projects"},
    "param.policy.meetings.video_share": {"zh": "视频会议比例", "en": "Share of meetings by video"},
    "param.policy.meetings.deputies_attend_routine": {"zh": "日常会议由副职参加",
                                                      "en": "Deputies attend routine meetings"},
    "param.policy.meetings.routine_attendees": {"zh": "日常会议每乡镇参会人数",
                                                "en": "Cadres sent to a routine meeting"},
    "param.policy.meetings.document_cut": {"zh": "文件报表工时削减比例",
                                           "en": "Share of document hours cut"},
    "param.policy.meetings.chat_group_cut": {"zh": "工作群清理比例",
                                             "en": "Share of chat groups closed"},
    "param.policy.meetings.unified_inspections": {"zh": "督查检查统一开展",
                                                  "en": "Unified inspections"},
    "param.policy.meetings.unified_task_weight_multiplier": {
        "zh": "统一督查下交办任务考核权重（倍）", "en": "Task weight under unified inspections"},
    "param.policy.tasks.access_list": {"zh": "实行准入清单", "en": "Access list in force"},
    "param.policy.tasks.outside_list_weight_multiplier": {
        "zh": "清单外任务考核权重（倍）", "en": "Weight of outside-list tasks"},
    "param.policy.coordination.mode": {"zh": "办理方式", "en": "Handling"},
    "param.policy.coordination.bounce_multiplier": {"zh": "退回概率（倍）",
                                                    "en": "Bounce chance (times)"},
    "param.policy.coordination.two_way_evaluation": {"zh": "乡镇与部门双向考核",
                                                     "en": "Two-way evaluation"},
    "param.policy.coordination.evaluation_task_weight_multiplier": {
        "zh": "双向考核下交办任务考核权重（倍）", "en": "Task weight under two-way evaluation"},
    "param.policy.training.courses_per_year": {"zh": "每年培训期数", "en": "Courses a year"},
    "param.policy.training.trainee_share": {"zh": "每期参训干部比例",
                                            "en": "Share of cadres per course"},
    "param.policy.training.selection": {"zh": "参训人员", "en": "Who attends"},
    "param.policy.promotion.promotion_rate": {"zh": "每年提拔（含进班子）比例",
                                              "en": "Yearly promotions (share)"},
    "param.policy.promotion.rank_rise_rate": {"zh": "每年职级晋升比例",
                                              "en": "Yearly rank rises (share)"},
    "param.policy.transfer.after_months": {"zh": "连续借调满几个月可调入（0=不调入）",
                                           "en": "Transfer after months seconded (0 = never)"},
    "param.policy.transfer.transfer_share": {"zh": "满期后调入的概率", "en": "Chance of transfer"},
    "param.policy.residence.residents_per_village": {"zh": "每村驻村干部（人）",
                                                     "en": "Resident cadres per village"},
    "param.policy.residence.rotation_share": {"zh": "轮换下沉到村的乡镇干部比例",
                                              "en": "Share of township cadres rotated to villages"},
    "param.policy.residence.rotation_days": {"zh": "每轮下沉天数",
                                             "en": "Days of one rotation turn"},
    "param.policy.residence.rotation_hours_per_day": {
        "zh": "下沉干部每个工作日办村务小时数",
        "en": "Hours a day a rotated cadre gives to village work"},
    "param.policy.work_teams.members_per_village": {"zh": "每村工作队员（人）",
                                                    "en": "Work-team members per village"},
    "param.policy.work_teams.hours_per_day": {"zh": "队员每个工作日办村务小时数",
                                              "en": "Hours a day on village work"},
    "param.policy.purchase.task_share": {"zh": "外包的下派任务占比",
                                         "en": "Share of pushed-down tasks contracted out"},
    "param.policy.purchase.request_share": {"zh": "外包的一般诉求占比",
                                            "en": "Share of routine requests contracted out"},
    "param.policy.purchase.contract_staff_cap": {"zh": "每个乡镇编外人员上限（人）",
                                                 "en": "Contract staff cap per township"},
    "param.policy.feedback.callback_share": {"zh": "回访的已办结诉求占比",
                                             "en": "Share of resolved requests called back"},
    "param.policy.feedback.care_effort_multiplier": {"zh": "回访促使的办理用心程度（倍）",
                                                     "en": "Care given to requests (times)"},
    "param.policy.feedback.request_weight_multiplier": {
        "zh": "群众满意度计入考核的权重（倍）",
        "en": "Weight of residents' satisfaction in evaluation (times)"},
    "param.policy.plaques.cleared_per_village": {"zh": "每村清理的牌子与台账（个）",
                                                 "en": "Plaques and ledgers cleared per village"},
    "param.policy.enforcement.team": {"zh": "乡镇综合执法队承办",
                                      "en": "Township enforcement team"},
    "param.policy.enforcement.enforcement_share": {"zh": "跨部门事项中执法事项占比",
                                                   "en": "Enforcement share of cases"},
    "param.policy.enforcement.delegated_share": {"zh": "下放乡镇的执法权占比",
                                                 "en": "Share of powers delegated"},
    "param.policy.enforcement.certified_per_township": {"zh": "每乡镇持证执法干部（人）",
                                                        "en": "Certified cadres per township"},
    "param.policy.enforcement.certification_months": {"zh": "取证用时（月）",
                                                      "en": "Months to certify"},
    "param.policy.enforcement.certification_rounds": {"zh": "考试轮次", "en": "Exam rounds"},
    "param.policy.enforcement.training_hours_per_certificate": {
        "zh": "每证培训考试工时", "en": "Training hours per certificate"},
    "param.policy.platform.platform": {"zh": "统一平台受理、派单", "en": "One platform dispatches"},
    "param.policy.platform.bounce_multiplier": {"zh": "退回概率（倍）",
                                                "en": "Bounce chance (times)"},
    "param.policy.platform.duplicate_share": {"zh": "重复诉求占比", "en": "Share of duplicates"},
    "param.policy.reallocation.interval_days": {"zh": "调整间隔（天，0=不调整）",
                                                "en": "Days between moves (0 = never)"},
    "param.policy.reallocation.basis": {"zh": "按何调整", "en": "Posts follow"},
    "param.policy.reallocation.floor_posts": {"zh": "每乡镇编制下限", "en": "Floor of posts"},
    "param.policy.reallocation.max_moved_share": {"zh": "每次可调编制比例",
                                                  "en": "Share moved at most"},
    "param.policy.pool.province_posts": {"zh": "全省下沉编制数",
                                         "en": "Posts sunk in the province"},
    "param.policy.pool.share_posts": {"zh": "各县计划编制全省统筹",
                                      "en": "Pool the counties' posts"},
    "param.policy.pool.area_weight": {"zh": "面积权重", "en": "Weight of area"},
    "param.policy.pool.population_weight": {"zh": "人口权重", "en": "Weight of population"},
    "param.policy.pool.tasks_weight": {"zh": "工作量权重", "en": "Weight of work"},
    "param.policy.pool.transfer_staff": {"zh": "跨县调剂干部（人）",
                                         "en": "Cadres moved across counties"},
    "param.policy.pool.transfer_pairs": {"zh": "调出调入县对数", "en": "County pairs"},
    "param.policy.pool.batches": {"zh": "分几批调剂", "en": "Batches"},
    "choice.equal": {"zh": "平均", "en": "equal"},
    "choice.population": {"zh": "按人口", "en": "by population"},
    "choice.workload": {"zh": "按工作量", "en": "by workload"},
    "choice.score": {"zh": "按综合得分", "en": "by score"},
    "choice.unregulated": {"zh": "不管", "en": "unregulated"},
    "choice.regulated": {"zh": "限期", "en": "regulated"},
    "choice.banned": {"zh": "禁止", "en": "banned"},
    "choice.serial": {"zh": "部门逐个办理", "en": "one department at a time"},
    "choice.parallel": {"zh": "部门并联办理", "en": "jointly"},
    "choice.random": {"zh": "随机", "en": "at random"},
    "choice.least_productive": {"zh": "效率最低者优先", "en": "least productive first"},
    # Roles and the headline measures.
    "role.baseline": {"zh": "改革前（基线）", "en": "Before (baseline)"},
    "role.reform": {"zh": "改革后", "en": "With reforms"},
    "change": {"zh": "变化", "en": "Change"},
    "metric": {"zh": "指标", "en": "Measure"},
    "metric.overload": {"zh": "小马拉大车指数（各乡镇平均）",
                        "en": "Overload index (小马拉大车指数, township mean)"},
    "metric.overloaded_share": {"zh": "指数大于1的乡镇占比",
                                "en": "Townships with index above 1"},
    "metric.resolution_days": {"zh": "群众诉求平均办结时间（天）",
                               "en": "Mean resolution time (days)"},
    "metric.on_time_share": {"zh": "按期办结比例", "en": "Resolved on time"},
    "metric.backlog": {"zh": "积压事项（件）", "en": "Backlog (open items)"},
    "metric.mandatory_share": {"zh": "会议、文件、督查、工作群占工时",
                               "en": "Hours in meetings, documents, inspections, chats"},
    "metric.secondments": {"zh": "被借调干部（人）", "en": "Cadres seconded (people)"},
    "metric.vacancies": {"zh": "乡镇空编（个）", "en": "Township vacancies (posts)"},
    "metric.posts_townships": {"zh": "乡镇编制（个）", "en": "Township posts"},
    "unit.points": {"zh": "个百分点", "en": "points"},
    "hours.service": {"zh": "群众服务", "en": "service"},
    "hours.cross_department": {"zh": "跨部门事项", "en": "cross-department"},
    "hours.tasks": {"zh": "上级交办", "en": "pushed-down tasks"},
    "hours.meetings": {"zh": "会议（含路程）", "en": "meetings (+travel)"},
    "hours.documents": {"zh": "文件报表", "en": "documents"},
    "hours.inspections": {"zh": "督查检查", "en": "inspections"},
    "hours.chat_groups": {"zh": "工作群", "en": "chat groups"},
    "hours.seconded": {"zh": "借调工作", "en": "seconded work"},
    "hours.own_work": {"zh": "本级法定职责", "en": "own statutory work"},
    "hours.service_centre": {"zh": "便民服务中心", "en": "service centre"},
    "hours.grid": {"zh": "网格工作", "en": "grid work"},
}


def tr(key: str, lang: str, **values) -> str:
    """The text of ``key`` in ``lang`` (``zh`` or ``en``), filled with ``values``.

    Raises:
        KeyError: ``key`` has no text (every visible string must have both languages).
    """
    text = TEXT[key][lang]
    return text.format(**values) if values else text
