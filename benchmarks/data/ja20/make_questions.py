"""Session 20's Japanese questions over ja_docs/ (a company notice, a product FAQ, a news piece, a
health-check notice; 26 paragraphs), written by hand: paraphrased (the words a reader types, not the
passage's), in Japanese, English and Chinese (simplified and traditional), and three off-topic.
Split before any run: odd positions dev, even held-out.

    python benchmarks/data/ja20/make_questions.py
"""
import json
from pathlib import Path

C, J = "ja_docs", "ja"
ZAITAKU, FAQ, BUS, KENSHIN = "shanai_tsuchi_zaitaku", "soundair3_faq", "news_jidou_unten_bus", "kenkou_shindan"
Q = [  # (question language, question, document, gold text in the passage, answer in its sentence)
    ("ja", "在宅勤務は週に何日までできるようになりますか", ZAITAKU, "週3日に引き上げ", "週3日"),
    ("ja", "試用期間の社員もテレワークできますか", ZAITAKU, "試用期間中の従業員は対象外", "対象外"),
    ("ja", "リモートワークの申し込みはいつまでに出せばいい", ZAITAKU, "前日の17時までに", "17時"),
    ("ja", "自宅で働く人のインターネット代は会社が出してくれる？", ZAITAKU, "月額3,000円", "3,000円"),
    ("ja", "自分のパソコンを仕事に使ってもいいですか", ZAITAKU, "私物のパソコンで業務を行うことは", "禁止"),
    ("ja", "会社のノートパソコンが壊れたらどこに連絡する", ZAITAKU, "内線4410", "4410"),
    ("ja", "出社しなければならない曜日は", ZAITAKU, "毎週水曜日は全社出社日", "水曜日"),
    ("ja", "通勤定期はこれからも支給されますか", ZAITAKU, "定期券代の支給は廃止", "廃止"),
    ("ja", "交通費の申請締め切りは毎月何日", ZAITAKU, "毎月5日まで", "5日"),
    ("ja", "制度について誰に聞けばいいですか", ZAITAKU, "人事部の佐藤", "佐藤"),
    ("en", "From when does the new work-from-home policy apply?", ZAITAKU, "2027年1月1日より", "2027年1月1日"),
    ("en", "How much is the monthly allowance for internet costs when working from home?", ZAITAKU, "月額3,000円", "3,000円"),
    ("zh", "员工在家办公每周最多几天", ZAITAKU, "週3日に引き上げ", "週3日"),
    ("zh", "公司會借給員工什麼設備", ZAITAKU, "ノートパソコンとモニター1台を貸与", "ノートパソコン"),
    ("ja", "イヤホンをフル充電するのに何時間かかる", FAQ, "約1時間半で満充電", "1時間半"),
    ("ja", "ノイキャンをつけたままだと何時間聴ける", FAQ, "オンの場合は最大6時間", "6時間"),
    ("ja", "右側だけ音が聞こえないときはどうすればいい", FAQ, "15秒間長押ししてリセット", "15秒間"),
    ("ja", "お風呂で使っても大丈夫ですか", FAQ, "入浴中の使用はできません", "できません"),
    ("ja", "保証は何年ついていますか", FAQ, "ご購入日から1年間", "1年間"),
    ("ja", "修理を頼むときに必要なものは", FAQ, "レシートまたは納品書", "レシート"),
    ("ja", "なくした片耳だけ買えますか、いくらですか", FAQ, "4,400円", "4,400円"),
    ("ja", "箱を開けた後でも返品できますか", FAQ, "開封済みの商品は、初期不良を除き返品できません", "初期不良を除き"),
    ("ja", "サポートの電話番号を教えて", FAQ, "0120-555-0183", "0120-555-0183"),
    ("ja", "土曜日に電話で問い合わせできますか", FAQ, "土日祝日はお休み", "土日祝日はお休み"),
    ("en", "Is the charging case waterproof?", FAQ, "充電ケースは防水ではありません", "防水ではありません"),
    ("en", "How long is the battery life with the case included?", FAQ, "合計で最大30時間", "30時間"),
    ("zh", "耳机保修期多长", FAQ, "ご購入日から1年間", "1年間"),
    ("zh", "快充十分钟能听多久", FAQ, "10分間の急速充電で約2時間再生", "約2時間再生"),
    ("ja", "自動運転バスの運賃はいくら", BUS, "運賃は無料", "無料"),
    ("ja", "実証実験の期間はいつからいつまで", BUS, "11月1日から来年3月末まで", "11月1日"),
    ("ja", "バスはどこからどこまで走るの", BUS, "東京テレポート駅と有明の国際展示場", "東京テレポート駅"),
    ("ja", "一日に何本運行しますか", BUS, "1日12往復", "12往復"),
    ("ja", "バスの最高速度は何キロ", BUS, "時速35キロ", "時速35キロ"),
    ("ja", "無人で走るのですか、運転手は乗っていますか", BUS, "係員が乗車し", "係員が乗車"),
    ("ja", "なぜ東京都は自動運転を導入しようとしているのか", BUS, "運転手不足が深刻", "運転手不足"),
    ("ja", "乗るには予約がいりますか", BUS, "事前の予約が必要", "予約が必要"),
    ("ja", "本格的な運行開始はいつを予定しているか", BUS, "2028年度にも", "2028年度"),
    ("ja", "事業にかかる費用はどれくらい", BUS, "事業費は約3億円", "3億円"),
    ("en", "How many passengers can the self-driving bus carry?", BUS, "定員20人", "20人"),
    ("en", "How many people can ride on one reservation?", BUS, "最大4人まで乗車", "4人"),
    ("zh", "东京都自动驾驶巴士的试验从什么时候开始", BUS, "11月1日から来年3月末まで", "11月1日"),
    ("zh", "自動駕駛巴士的車站有幾個", BUS, "途中の停留所は4か所", "4か所"),
    ("ja", "健康診断の会場はどこですか", KENSHIN, "本社3階の大会議室", "大会議室"),
    ("ja", "健診の前の晩は何時からご飯を食べちゃだめ", KENSHIN, "前日の夜9時以降は食事をとらない", "夜9時"),
    ("ja", "パートでも健康診断を受けなきゃいけない？", KENSHIN, "週30時間以上勤務するパート社員", "週30時間以上"),
    ("ja", "日程が合わなくて受けられない場合どうする", KENSHIN, "提携クリニックで個別に受診", "提携クリニック"),
    ("ja", "検診の結果はいつ届く", KENSHIN, "約3週間後に本人宛てに郵送", "約3週間後"),
    ("en", "Where is the health checkup held?", KENSHIN, "本社3階の大会議室", "大会議室"),
    ("zh", "体检结果什么时候寄到", KENSHIN, "約3週間後に本人宛てに郵送", "約3週間後"),
    ("ja", "パスポートの更新手続きはどこでできますか", None, None, None),
    ("ja", "明日の大阪の天気は", None, None, None),
    ("en", "how do I reset my router password", None, None, None),
]


def main() -> None:
    here = Path(__file__).resolve().parent
    for split, rest in (("dev", 0), ("heldout", 1)):
        rows = [{"collection": C, "lang": lang, "q": q, "doc": doc, "gold": gold, "answer": answer, "doc_lang": J}
                for i, (lang, q, doc, gold, answer) in enumerate(Q) if i % 2 == rest]
        (here / f"questions_{split}.jsonl").write_text(
            "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


if __name__ == "__main__":
    main()
