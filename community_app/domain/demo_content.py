"""The demo community as literal tables; `demo.py` turns them into rows.

People are referred to by a short key ("takahashi"), groups by their slug, ideas by a
key. Event days are offsets in days from "today" in Asia/Tokyo; with ``weekday`` (0 =
Monday) the day moves forward to that weekday. Times are local wall-clock times.
"""

from __future__ import annotations

from typing import Any

from community_app.domain.enums import (
    EventFormat,
    EventKind,
    EventStatus,
    HostRole,
    IdeaStatus,
    IdeaSupportKind,
    JoinPolicy,
    NotificationKind,
    RecapLinkKind,
    RsvpStatus,
    TierAllocation,
)

SATURDAY = 5

# key, role, email, display name
ACCOUNTS: list[tuple[str, str, str, str]] = [
    ("admin", "admin", "admin@tsudoi.example", "佐藤 真理子"),
    ("takahashi", "organiser", "kenta.takahashi@tsudoi.example", "高橋 健太"),
    ("iwata", "organiser", "chihiro.iwata@tsudoi.example", "岩田 千尋"),
    ("akagi", "organiser", "mai.akagi@tsudoi.example", "赤城 麻衣"),
    ("yamamoto", "member", "sakura.yamamoto@tsudoi.example", "山本 さくら"),
    ("nakamura", "member", "daisuke.nakamura@tsudoi.example", "中村 大輔"),
    ("kobayashi", "member", "aoi.kobayashi@tsudoi.example", "小林 葵"),
    ("ito", "member", "sho.ito@tsudoi.example", "伊藤 翔"),
    ("watanabe", "member", "yoko.watanabe@tsudoi.example", "渡辺 陽子"),
]

GROUPS: list[dict[str, Any]] = [
    {
        "slug": "wlb-night-cafe",
        "name": "土曜夜のWLBカフェ",
        "name_en": "WLB Night Café",
        "description": (
            "「こども達が眠ったら、本音で話そう!」\n\n"
            "仕事と子育てを両立する **働くパパ・ママ** のための交流会です。"
            "毎週土曜21時、子どもが寝たあとにオンラインで集まり、テーマに沿って話します。"
            "話した内容はあとでまとめて共有します。"
        ),
        "description_en": (
            "Working parents meet online every Saturday at 21:00, after the children are "
            "asleep, to talk honestly about balancing work and family. Notes are shared after "
            "each session."
        ),
        "join_policy": JoinPolicy.OPEN,
        "organisers": ["takahashi"],
        "members": ["iwata", "yamamoto", "nakamura", "ito", "watanabe"],
    },
    {
        "slug": "social-sector-community",
        "name": "ソーシャルセクターコミュニティ",
        "name_en": "Social Sector Community",
        "description": (
            "NPOで働く人、NPOに関わりたい人、出来る範囲で社会貢献をしてみたい人が集まる"
            "コミュニティです。\n\n"
            "- オンライン交流会・勉強会(NPOの方をゲストに招きます)\n"
            "- 企画相談とメンバーによる自主企画(「やってみたい」を形に)\n"
            "- 外部の人も参加できるイベント"
        ),
        "description_en": (
            "A community for people who work in NPOs, want to, or simply want to contribute "
            "in their own way: online meetups, study sessions with NPO speakers, project "
            "consultation and member-led projects."
        ),
        "join_policy": JoinPolicy.OPEN,
        "organisers": ["iwata"],
        "members": ["admin", "yamamoto", "nakamura", "kobayashi"],
    },
    {
        "slug": "kiryu-after-school",
        "name": "桐生 市民先生アフタースクール",
        "name_en": "Kiryū Citizen-Teacher After-School",
        "description": (
            "群馬県桐生市で、地域の大人が **市民先生** として子どもたちに体験型プログラムを"
            "届けています。会場は本町のコワーキング&コミュニティスペース。"
            "子どもと関わる活動のため、参加は承認制です。"
        ),
        "description_en": (
            "In Kiryū, Gunma, local adults teach hands-on after-school programmes as "
            '"citizen teachers". We meet at the Honchō coworking and community space. '
            "Membership is by approval because we work with children."
        ),
        "join_policy": JoinPolicy.APPROVAL,
        "organisers": ["akagi"],
        "members": ["nakamura", "kobayashi", "ito"],
        "pending": ["watanabe"],
    },
    {
        "slug": "hikaridai-otagaisama",
        "name": "ひかり台 ご近所おたがいさまネット",
        "name_en": "Hikaridai Neighbourhood Mutual Aid",
        "description": (
            "送迎や託児、モノの貸し借りなど、ご近所で頼り合える関係をつくる地域のネットワーク"
            "です。子育てサークル、読み聞かせの会、パパサークルなど、地域のサークルの"
            "お知らせと出欠もここでまとめます。"
        ),
        "description_en": (
            "A neighbourhood network where families help each other with school runs, "
            "childcare and lending things. The area's circles (parenting, story time, dads) "
            "announce their meetings here too."
        ),
        "join_policy": JoinPolicy.OPEN,
        "organisers": ["akagi", "takahashi"],
        "members": ["yamamoto", "kobayashi", "watanabe"],
    },
]

SERIES: dict[str, Any] = {
    "group": "wlb-night-cafe",
    "title": "土曜21時の夜カフェ",
    "rrule": "FREQ=WEEKLY;BYDAY=SA",
    "start": (21, 0),
    "minutes": 90,
    "proposer": "takahashi",
    "approver": "takahashi",
    "past": 1,
    "upcoming": 4,
    "themes": [
        "保育園の送り迎え、どう分担してる?",
        "在宅勤務と子どもの寝かしつけ",
        "『迷走する両立支援』を読んで",
        "職場で子育ての話、どこまでする?",
        "パパの育休、取ってみてどうだった?",
    ],
    "tags": ["子育て", "ワークライフバランス", "交流会"],
    "hosts": [
        ("高橋 健太", HostRole.HOST, "", "takahashi"),
        ("山本 さくら", HostRole.FACILITATOR, "", "yamamoto"),
    ],
    "platform": "Zoom",
    "join_url": "https://meet.example.com/wlb-night-cafe",
    "tiers": [
        {"name": "オンライン参加", "name_en": "Online", "capacity": 100, "online": True},
    ],
    # RSVPs by occurrence index (0 = the past one)
    "rsvps": {
        0: [
            (0, "yamamoto", RsvpStatus.ATTENDED),
            (0, "nakamura", RsvpStatus.ATTENDED),
            (0, "ito", RsvpStatus.NO_SHOW),
        ],
        1: [
            (0, "yamamoto", RsvpStatus.GOING),
            (0, "nakamura", RsvpStatus.GOING),
            (0, "watanabe", RsvpStatus.GOING),
            (0, "ito", RsvpStatus.CANCELLED),
        ],
        2: [(0, "yamamoto", RsvpStatus.GOING), (0, "iwata", RsvpStatus.GOING)],
    },
}


def _series_description(theme: str) -> str:
    return (
        f"## 今週のテーマ:{theme}\n\n"
        "子どもが寝たあとの21時から、ゆるっと本音で話す交流会です。"
        "顔出し・発言は自由、途中参加・途中退出もOK。\n\n"
        "1. チェックイン(ひとこと近況)\n"
        "2. テーマトーク\n"
        "3. まとめ・次回のテーマ決め\n\n"
        "Join us after the kids are asleep; camera and microphone are optional."
    )


SERIES_DESCRIPTIONS = [_series_description(theme) for theme in SERIES["themes"]]

ONLINE = {"online": True}
MEET = "https://meet.example.com/"

EVENTS: list[dict[str, Any]] = [
    {
        "group": "social-sector-community",
        "title": "NPOの仕事を知る勉強会 #4 〜子ども食堂の現場から〜",
        "summary": "子ども食堂を運営するNPOの方をゲストに、現場の仕事と関わり方を聞きます。",
        "description": (
            "「どんなNPOがあるか分からない」「関わるきっかけがない」という声から始まった"
            "勉強会シリーズの第4回です。\n\n"
            "ゲストに **NPO法人みんなの食卓ネットワーク** の森下さんをお招きし、"
            "子ども食堂の運営、ボランティアの関わり方、寄付の集め方を伺います。"
            "後半はブレイクアウトセッションで少人数の意見交換をします。\n\n"
            "A study session with a guest from an NPO running children's cafeterias."
        ),
        "kind": EventKind.STUDY_SESSION,
        "format": EventFormat.ONLINE,
        "status": EventStatus.APPROVED,
        "day": 9,
        "weekday": 2,
        "start": (20, 0),
        "minutes": 90,
        "platform": "Zoom",
        "join_url": MEET + "npo-study-4",
        "proposer": "iwata",
        "approver": "iwata",
        "tags": ["NPO", "勉強会", "子ども食堂"],
        "hosts": [
            ("岩田 千尋", HostRole.HOST, "ソーシャルセクターコミュニティ", "iwata"),
            ("森下 彩", HostRole.SPEAKER, "NPO法人みんなの食卓ネットワーク", None),
        ],
        "agenda": [
            ("開会・チェックイン", "岩田 千尋", 10),
            ("第1部 ゲストトーク「子ども食堂の一日」", "森下 彩", 35),
            ("質疑応答", "", 15),
            ("ブレイクアウトセッション", "", 20),
            ("全体共有・クロージング", "岩田 千尋", 10),
        ],
        "tiers": [
            {"name": "オンライン参加", "name_en": "Online", "capacity": 100, **ONLINE},
        ],
        "rsvps": [
            (0, "yamamoto", RsvpStatus.GOING),
            (0, "kobayashi", RsvpStatus.GOING),
            (0, "admin", RsvpStatus.GOING),
            (0, "nakamura", RsvpStatus.CANCELLED),
        ],
        "comments": [
            ("kobayashi", "楽しみにしています!ボランティアの始め方も伺えると嬉しいです。"),
        ],
    },
    {
        "group": "social-sector-community",
        "title": "ソーシャルセクター オンライン交流会",
        "summary": "NPOで働く人も、これから関わりたい人も。自己紹介と「やってみたい」の共有会。",
        "description": (
            "月に一度のオンライン交流会です。自己紹介のあと、少人数に分かれて"
            "「最近気になっている社会課題」「やってみたいこと」を話しました。\n\n"
            "Monthly online meetup of the community."
        ),
        "kind": EventKind.ONLINE_EXCHANGE,
        "format": EventFormat.ONLINE,
        "status": EventStatus.APPROVED,
        "day": -12,
        "start": (20, 30),
        "minutes": 90,
        "platform": "Google Meet",
        "join_url": MEET + "social-sector-meetup",
        "proposer": "iwata",
        "approver": "iwata",
        "tags": ["交流会", "NPO"],
        "hosts": [("岩田 千尋", HostRole.HOST, "", "iwata")],
        "tiers": [{"name": "オンライン参加", "name_en": "Online", "capacity": 50, **ONLINE}],
        "rsvps": [
            (0, "kobayashi", RsvpStatus.ATTENDED),
            (0, "yamamoto", RsvpStatus.ATTENDED),
            (0, "admin", RsvpStatus.ATTENDED),
        ],
    },
    {
        "group": "social-sector-community",
        "title": "第7回 自治体子育て支援 情報交換会",
        "summary": "妊娠期からの切れ目ない子育て支援について、自治体の担当者同士で情報交換します。",
        "description": (
            "子育て支援の取り組み事例を共有し、自治体の垣根を越えた協力体制をつくるための"
            "年1回の情報交換会です。参加は **自治体職員の方** が対象で、主催者の承認制です。\n\n"
            "### 内容\n"
            "- オープニング\n"
            "- 第1部 読者アンケート結果の共有\n"
            "- 第2部 自治体の取り組み事例紹介\n"
            "- ブレイクアウトセッション(4グループ)\n\n"
            "An annual online information exchange for municipal staff."
        ),
        "kind": EventKind.ONLINE_EXCHANGE,
        "format": EventFormat.ONLINE,
        "status": EventStatus.APPROVED,
        "requires_approval": True,
        "day": 40,
        "weekday": 3,
        "start": (14, 0),
        "minutes": 150,
        "platform": "Zoom",
        "join_url": MEET + "municipal-exchange-7",
        "proposer": "iwata",
        "approver": "admin",
        "tags": ["子育て支援", "自治体", "情報交換会"],
        "hosts": [
            ("岩田 千尋", HostRole.HOST, "", "iwata"),
            ("大野 誠", HostRole.SPEAKER, "東市 子ども家庭課", None),
            ("三浦 里美", HostRole.SPEAKER, "西町 保健センター", None),
        ],
        "agenda": [
            ("オープニング・趣旨説明", "岩田 千尋", 15),
            ("第1部 読者アンケート結果の共有", "岩田 千尋", 30),
            ("第2部 取り組み事例紹介 ①東市", "大野 誠", 20),
            ("第2部 取り組み事例紹介 ②西町", "三浦 里美", 20),
            ("休憩", "", 10),
            ("ブレイクアウトセッション", "", 40),
            ("全体共有・閉会", "", 15),
        ],
        "tiers": [
            {
                "name": "自治体職員枠",
                "name_en": "Municipal staff",
                "capacity": 40,
                "allocation": TierAllocation.APPROVAL,
                **ONLINE,
            },
        ],
        "rsvps": [(0, "kobayashi", RsvpStatus.PENDING)],
    },
    {
        "group": "social-sector-community",
        "title": "はじめてのNPO会計 勉強会",
        "summary": "「やってみたい」から生まれた企画。小さな団体の会計と寄付の管理を基礎から。",
        "description": (
            "メンバーの自主企画「NPOの会計をやさしく学ぶ会」が形になりました。"
            "任意団体・小さなNPOの会計の基本、寄付や助成金の管理、"
            "スプレッドシートでの帳簿づけを一緒に手を動かして学びます。\n\n"
            "Hands-on bookkeeping basics for small NPOs. Bring a laptop."
        ),
        "kind": EventKind.WORKSHOP,
        "format": EventFormat.ONLINE,
        "status": EventStatus.APPROVED,
        "day": 50,
        "weekday": 5,
        "start": (10, 0),
        "minutes": 120,
        "platform": "Zoom",
        "join_url": MEET + "npo-accounting",
        "proposer": "iwata",
        "approver": "iwata",
        "idea": "npo-accounting",
        "tags": ["NPO", "会計", "勉強会"],
        "hosts": [
            ("小林 葵", HostRole.HOST, "", "kobayashi"),
            ("石田 浩二", HostRole.SPEAKER, "NPO会計サポートセンター", None),
        ],
        "agenda": [
            ("開会・企画の経緯", "小林 葵", 10),
            ("講義:NPO会計の基本", "石田 浩二", 40),
            ("ハンズオン:帳簿をつけてみる", "石田 浩二", 50),
            ("質疑応答・クロージング", "", 20),
        ],
        "tiers": [{"name": "オンライン参加", "name_en": "Online", "capacity": 30, **ONLINE}],
        "rsvps": [(0, "yamamoto", RsvpStatus.GOING), (0, "nakamura", RsvpStatus.GOING)],
    },
    {
        "group": "kiryu-after-school",
        "title": "Python入門ハンズオン 〜子育て中でも始められる〜",
        "summary": "コワーキングスペースでPythonの基本を体験。オンライン参加とLT枠もあります。",
        "description": (
            "在宅ワークや副業に興味のある方向けに、Pythonの基本を2時間で体験します。"
            "会場はコワーキングスペース、オンラインからも参加できます(ハイブリッド開催)。\n\n"
            "最後にLT枠(5分)で、参加者が最近作ったもの・学んだことを発表します。\n\n"
            "A beginner-friendly Python hands-on, in person and online."
        ),
        "kind": EventKind.STUDY_SESSION,
        "format": EventFormat.HYBRID,
        "status": EventStatus.APPROVED,
        "day": 14,
        "weekday": 4,
        "start": (19, 0),
        "minutes": 120,
        "venue": "本町コワーキング&コミュニティスペース",
        "address": "群馬県桐生市本町5丁目 本町ビル2階",
        "platform": "Zoom",
        "join_url": MEET + "kiryu-python",
        "proposer": "nakamura",
        "approver": "akagi",
        "tags": ["python", "勉強会", "在宅ワーク"],
        "hosts": [
            ("中村 大輔", HostRole.SPEAKER, "", "nakamura"),
            ("赤城 麻衣", HostRole.HOST, "桐生 市民先生アフタースクール", "akagi"),
        ],
        "agenda": [
            ("開会・自己紹介", "赤城 麻衣", 10),
            ("第1部 Pythonを動かしてみよう", "中村 大輔", 45),
            ("第2部 表計算を自動化する", "中村 大輔", 40),
            ("LT(5分×3)", "", 15),
            ("振り返り・懇親", "", 10),
        ],
        "tiers": [
            {"name": "会場参加", "name_en": "In person", "capacity": 20},
            {"name": "オンライン参加", "name_en": "Online", "capacity": 100, **ONLINE},
            {"name": "LT枠", "name_en": "Lightning talk", "capacity": 3},
        ],
        "rsvps": [
            (2, "yamamoto", RsvpStatus.GOING),
            (2, "ito", RsvpStatus.GOING),
            (2, "kobayashi", RsvpStatus.GOING),
            (2, "watanabe", RsvpStatus.WAITLISTED),
            (0, "takahashi", RsvpStatus.GOING),
            (1, "iwata", RsvpStatus.GOING),
            (1, "admin", RsvpStatus.CANCELLED),
        ],
        "comments": [("ito", "LT枠に申し込みました。Excelの自動化の話をします!")],
    },
    {
        "group": "kiryu-after-school",
        "title": "こどもプログラミング教室(市民先生)",
        "summary": "市民先生と一緒に、小学生がゲームづくりに挑戦します。申込多数の場合は抽選。",
        "description": (
            "桐生市内の小学3〜6年生を対象にしたアフタースクールのプログラムです。"
            "市民先生がビジュアルプログラミングで簡単なゲームづくりを教えます。"
            "パソコンは会場で用意します。\n\n"
            "**抽選について**:申込締切後に抽選し、結果をお知らせします。\n\n"
            "A coding class for primary-school children; places are allocated by lottery."
        ),
        "kind": EventKind.WORKSHOP,
        "format": EventFormat.IN_PERSON,
        "status": EventStatus.APPROVED,
        "day": 21,
        "weekday": 5,
        "start": (10, 0),
        "minutes": 120,
        "venue": "本町コワーキング&コミュニティスペース",
        "address": "群馬県桐生市本町5丁目 本町ビル2階",
        "proposer": "akagi",
        "approver": "akagi",
        "tags": ["子ども", "プログラミング", "市民先生"],
        "hosts": [
            ("伊藤 翔", HostRole.HOST, "市民先生", "ito"),
            ("赤城 麻衣", HostRole.FACILITATOR, "", "akagi"),
        ],
        "tiers": [
            {
                "name": "小学生枠(抽選)",
                "name_en": "Children (lottery)",
                "capacity": 12,
                "allocation": TierAllocation.LOTTERY,
                "draw_days_before": 7,
            },
            {"name": "保護者見学", "name_en": "Parents watching", "capacity": None},
        ],
        "rsvps": [(1, "nakamura", RsvpStatus.GOING)],
    },
    {
        "group": "kiryu-after-school",
        "title": "市民先生 説明会・交流会",
        "summary": "市民先生として関わりたい方向けの説明会。現役の市民先生との交流もあります。",
        "description": (
            "地域の大人が「市民先生」として子どもたちに体験型プログラムを届ける"
            "アフタースクール事業の説明会です。活動の流れ、準備、安全面の取り組みを"
            "紹介し、後半は現役の市民先生と交流しました。\n\n"
            "Information session for people who want to become citizen teachers."
        ),
        "kind": EventKind.GATHERING,
        "format": EventFormat.IN_PERSON,
        "status": EventStatus.APPROVED,
        "day": -20,
        "start": (18, 30),
        "minutes": 90,
        "venue": "本町コワーキング&コミュニティスペース",
        "address": "群馬県桐生市本町5丁目 本町ビル2階",
        "proposer": "akagi",
        "approver": "akagi",
        "tags": ["市民先生", "説明会"],
        "hosts": [("赤城 麻衣", HostRole.HOST, "", "akagi")],
        "tiers": [{"name": "会場参加", "name_en": "In person", "capacity": 15}],
        "rsvps": [(0, "ito", RsvpStatus.ATTENDED), (0, "kobayashi", RsvpStatus.ATTENDED)],
    },
    {
        "group": "hikaridai-otagaisama",
        "title": "ご近所おたがいさま もちより交流会",
        "summary": "一品もちよりで、ご近所さん同士が顔見知りになる交流会。子ども連れ歓迎。",
        "description": (
            "「近所に頼れる人がいない」をなくすための交流会です。"
            "一品もちより(飲み物は用意します)で、送迎や託児を頼り合える関係づくりの"
            "きっかけに。子育てサークル・パパサークルの紹介コーナーもあります。\n\n"
            "A potluck for neighbours; children welcome."
        ),
        "kind": EventKind.GATHERING,
        "format": EventFormat.IN_PERSON,
        "status": EventStatus.APPROVED,
        "day": 27,
        "weekday": 6,
        "start": (11, 0),
        "minutes": 180,
        "venue": "ひかり台地区センター 多目的室",
        "address": "ひかり台3丁目12-1",
        "proposer": "akagi",
        "approver": "akagi",
        "tags": ["子育て", "地域", "交流会"],
        "hosts": [
            ("赤城 麻衣", HostRole.HOST, "", "akagi"),
            ("渡辺 陽子", HostRole.FACILITATOR, "読み聞かせサークル", "watanabe"),
        ],
        "tiers": [
            {"name": "大人", "name_en": "Adults", "capacity": 30},
            {"name": "子ども", "name_en": "Children", "capacity": None},
        ],
        "rsvps": [
            (0, "watanabe", RsvpStatus.GOING),
            (0, "yamamoto", RsvpStatus.GOING),
            (0, "kobayashi", RsvpStatus.GOING),
        ],
    },
    {
        "group": "hikaridai-otagaisama",
        "title": "サークル代表者ミーティング",
        "summary": "地域のサークル・グループの代表者で、年間予定と会場の使い方を調整しました。",
        "description": (
            "ひかり台地区で活動するサークル・グループの代表者ミーティングです。"
            "年間の予定、地区センターの予約ルール、お知らせの出し方を確認しました。\n\n"
            "Coordination meeting of the neighbourhood circles (hybrid)."
        ),
        "kind": EventKind.OTHER,
        "format": EventFormat.HYBRID,
        "status": EventStatus.APPROVED,
        "day": -6,
        "start": (19, 30),
        "minutes": 90,
        "venue": "ひかり台地区センター 会議室A",
        "address": "ひかり台3丁目12-1",
        "platform": "Google Meet",
        "join_url": MEET + "hikaridai-circles",
        "proposer": "akagi",
        "approver": "akagi",
        "tags": ["サークル", "地域"],
        "hosts": [("赤城 麻衣", HostRole.HOST, "", "akagi")],
        "tiers": [
            {"name": "会場参加", "name_en": "In person", "capacity": 12},
            {"name": "オンライン参加", "name_en": "Online", "capacity": None, **ONLINE},
        ],
        "rsvps": [
            (0, "watanabe", RsvpStatus.ATTENDED),
            (1, "takahashi", RsvpStatus.ATTENDED),
        ],
    },
    {
        "group": "hikaridai-otagaisama",
        "title": "防災さんぽ 〜子どもと歩くハザードマップ〜",
        "summary": "親子でハザードマップを片手に地域を歩き、避難場所と危険箇所を確かめます。",
        "description": (
            "企画相談で出たアイディアを形にした提案です。ハザードマップを見ながら"
            "ひかり台を歩き、避難場所・危ない場所・頼れるお店を親子で地図に書き込みます。\n\n"
            "A proposal by a member: a family walk with the hazard map."
        ),
        "kind": EventKind.WORKSHOP,
        "format": EventFormat.IN_PERSON,
        "status": EventStatus.SUBMITTED,
        "created_days_ago": 2,
        "day": 33,
        "weekday": 6,
        "start": (9, 30),
        "minutes": 150,
        "venue": "ひかり台中央公園 東口集合",
        "address": "ひかり台2丁目",
        "proposer": "kobayashi",
        "tags": ["防災", "子育て", "地域"],
        "hosts": [("小林 葵", HostRole.HOST, "", "kobayashi")],
        "tiers": [{"name": "親子参加", "name_en": "Families", "capacity": 15}],
    },
    {
        "group": "wlb-night-cafe",
        "title": "育休パパの体験談ナイト",
        "summary": "育休を取ったパパ3人に、取る前・取ったあとの本音を聞く会(準備中)。",
        "description": (
            "育休を取ったパパの体験談を聞き、職場への伝え方や家計のこと、"
            "復帰後の働き方について話します。\n\n*ゲストを調整中です。*"
        ),
        "kind": EventKind.GATHERING,
        "format": EventFormat.ONLINE,
        "status": EventStatus.DRAFT,
        "created_days_ago": 1,
        "day": 45,
        "start": (21, 0),
        "minutes": 90,
        "platform": "Zoom",
        "join_url": MEET + "papa-ikukyu",
        "proposer": "ito",
        "tags": ["子育て", "育休"],
        "hosts": [("伊藤 翔", HostRole.HOST, "", "ito")],
        "tiers": [{"name": "オンライン参加", "name_en": "Online", "capacity": 100, **ONLINE}],
    },
    {
        "group": "wlb-night-cafe",
        "title": "夜カフェ オフ会 in 渋谷",
        "summary": "いつもオンラインで話している夜カフェのメンバーで、ランチ会をします。",
        "description": (
            "夜カフェの常連メンバーで集まるランチ会です。子ども連れOK、"
            "キッズスペースのあるお店を予約しています。\n\n"
            "**中止のお知らせ**:会場の都合により中止となりました。"
        ),
        "kind": EventKind.GATHERING,
        "format": EventFormat.IN_PERSON,
        "status": EventStatus.CANCELLED,
        "status_reason": "会場の都合により中止します。日程を改めてご案内します。",
        "cancelled_days_ago": 2,
        "day": 18,
        "weekday": 6,
        "start": (12, 0),
        "minutes": 120,
        "venue": "キッズスペース付きカフェ「ことり」",
        "address": "東京都渋谷区神南1丁目(デモ)",
        "proposer": "takahashi",
        "approver": "takahashi",
        "tags": ["交流会", "子育て"],
        "hosts": [("高橋 健太", HostRole.HOST, "", "takahashi")],
        "tiers": [{"name": "会場参加", "name_en": "In person", "capacity": 10}],
        "rsvps": [(0, "yamamoto", RsvpStatus.GOING), (0, "watanabe", RsvpStatus.GOING)],
    },
    {
        "group": "wlb-night-cafe",
        "title": "働くパパママの時間術セミナー(企業コラボ)",
        "summary": "夜カフェから生まれた企業コラボ企画。家事と仕事の時間の使い方を学びます。",
        "description": (
            "夜カフェで出た「時間が足りない!」という声をきっかけに、企業の人事部と"
            "一緒に企画したセミナーです。会場とオンラインのハイブリッドで開催しました。\n\n"
            "A seminar on time management for working parents, co-hosted with a company."
        ),
        "kind": EventKind.STUDY_SESSION,
        "format": EventFormat.HYBRID,
        "status": EventStatus.APPROVED,
        "day": -30,
        "start": (10, 0),
        "minutes": 120,
        "venue": "渋谷共創スペース 3F イベントホール",
        "address": "東京都渋谷区道玄坂2丁目(デモ)",
        "platform": "Zoom",
        "join_url": MEET + "wlb-time-seminar",
        "proposer": "takahashi",
        "approver": "takahashi",
        "tags": ["子育て", "ワークライフバランス", "勉強会"],
        "hosts": [
            ("高橋 健太", HostRole.HOST, "", "takahashi"),
            ("長谷川 恵", HostRole.SPEAKER, "株式会社サンプルワークス 人事部", None),
        ],
        "recap": (
            "会場12名・オンライン38名の合計50名が参加しました。\n\n"
            "- 家事を「15分単位」で書き出すと、夫婦で分担を話しやすくなる\n"
            "- 朝の30分を「自分の時間」として先に予定に入れる\n"
            "- グループワークでは「子どもの寝かしつけ後の過ごし方」で盛り上がりました\n\n"
            "次回は夜カフェで感想を共有します。"
        ),
        "recap_links": [
            (RecapLinkKind.MATERIAL, "https://slides.example.org/wlb-time", "講演スライド(PDF)"),
            (RecapLinkKind.RECORDING, "https://video.example.org/wlb-time", "録画(参加者限定公開)"),
        ],
        "agenda": [
            ("開会", "高橋 健太", 5),
            ("講演「15分単位で考える家族の時間」", "長谷川 恵", 50),
            ("グループワーク", "", 45),
            ("全体共有・閉会", "", 20),
        ],
        "tiers": [
            {"name": "会場参加", "name_en": "In person", "capacity": 20},
            {"name": "オンライン参加", "name_en": "Online", "capacity": 100, **ONLINE},
        ],
        "rsvps": [
            (0, "yamamoto", RsvpStatus.ATTENDED),
            (1, "nakamura", RsvpStatus.ATTENDED),
            (1, "watanabe", RsvpStatus.NO_SHOW),
        ],
    },
]

IDEAS: list[dict[str, Any]] = [
    {
        "key": "npo-accounting",
        "group": "social-sector-community",
        "author": "kobayashi",
        "title": "NPOの会計をやさしく学ぶ会をやりたい",
        "description": (
            "小さな団体で会計を任されたけれど、何から始めればいいか分からない…"
            "という人が多いので、基礎から一緒に学べる会を開きたいです。"
        ),
        "help_needed": "講師をお願いできる方、当日の進行を手伝ってくれる方",
        "status": IdeaStatus.SCHEDULED,
        "threshold": 3,
        "days_ago": 40,
        "supports": [
            ("yamamoto", IdeaSupportKind.SUPPORT, ""),
            ("nakamura", IdeaSupportKind.SUPPORT, ""),
            ("admin", IdeaSupportKind.SUPPORT, ""),
            ("nakamura", IdeaSupportKind.JOIN, "当日の進行サポート"),
        ],
    },
    {
        "key": "donation-sheet",
        "group": "social-sector-community",
        "author": "yamamoto",
        "title": "子ども食堂で使える寄付管理シートを作りたい",
        "description": (
            "食材や寄付金の記録を手書きでしている子ども食堂が多いと聞きました。"
            "誰でも使えるスプレッドシートのテンプレートを一緒に作りませんか?"
        ),
        "help_needed": "スプレッドシートが得意な方、子ども食堂の運営経験がある方",
        "status": IdeaStatus.GATHERING,
        "threshold": 5,
        "days_ago": 12,
        "supports": [
            ("kobayashi", IdeaSupportKind.SUPPORT, ""),
            ("iwata", IdeaSupportKind.SUPPORT, ""),
            ("nakamura", IdeaSupportKind.JOIN, "スプレッドシート作成"),
        ],
        "comments": [("iwata", "次の勉強会のゲストにも聞いてみますね。")],
    },
    {
        "key": "stamp-rally",
        "group": "kiryu-after-school",
        "author": "ito",
        "title": "本町商店街で親子スタンプラリー",
        "description": (
            "市民先生の授業で子どもたちが作ったスタンプを使って、商店街を巡る"
            "スタンプラリーをしてみたいです。商店街の活性化にもつながれば。"
        ),
        "help_needed": "当日スタッフ、チラシのデザイン、商店街との調整",
        "status": IdeaStatus.READY,
        "threshold": 3,
        "days_ago": 20,
        "supports": [
            ("akagi", IdeaSupportKind.SUPPORT, ""),
            ("nakamura", IdeaSupportKind.SUPPORT, ""),
            ("kobayashi", IdeaSupportKind.SUPPORT, ""),
            ("kobayashi", IdeaSupportKind.JOIN, "当日スタッフ"),
            ("nakamura", IdeaSupportKind.JOIN, "チラシのデザイン"),
        ],
    },
    {
        "key": "ride-share",
        "group": "hikaridai-otagaisama",
        "author": "watanabe",
        "title": "週末の習い事送迎をシェアする仕組みを話し合いたい",
        "description": (
            "土日の習い事の送迎が重なって大変です。ご近所で送迎を頼り合えるルールを"
            "みんなで考えてみませんか?"
        ),
        "help_needed": "同じ悩みのある方、保険やルールづくりに詳しい方",
        "status": IdeaStatus.OPEN,
        "threshold": 5,
        "days_ago": 3,
        "supports": [],
        "comments": [("yamamoto", "うちも同じです!話し合いの場があれば参加したいです。")],
    },
]

# Notifications sent as a side effect of the history above: (member, kind, event title or
# idea key, message, read?)
NOTIFICATIONS: list[tuple[str, NotificationKind, str, str, bool]] = [
    (
        "nakamura",
        NotificationKind.PROPOSAL_DECIDED,
        "Python入門ハンズオン 〜子育て中でも始められる〜",
        "提案したイベント「Python入門ハンズオン」が承認され、公開されました。",
        True,
    ),
    (
        "yamamoto",
        NotificationKind.EVENT_CANCELLED,
        "夜カフェ オフ会 in 渋谷",
        "「夜カフェ オフ会 in 渋谷」は中止になりました:会場の都合により中止します。",
        False,
    ),
    (
        "watanabe",
        NotificationKind.EVENT_CANCELLED,
        "夜カフェ オフ会 in 渋谷",
        "「夜カフェ オフ会 in 渋谷」は中止になりました:会場の都合により中止します。",
        False,
    ),
    (
        "yamamoto",
        NotificationKind.IDEA_SCHEDULED,
        "npo-accounting",
        "応援したアイディア「NPOの会計をやさしく学ぶ会」がイベントになりました。",
        False,
    ),
    (
        "nakamura",
        NotificationKind.MEMBERSHIP_DECIDED,
        "",
        "「桐生 市民先生アフタースクール」への参加が承認されました。",
        True,
    ),
]
