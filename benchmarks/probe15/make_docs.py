# One-off writer of the .docx documents of docs/ (python-docx); the other documents are written by hand.
from pathlib import Path

import docx

HERE = Path(__file__).resolve().parent / "docs"

RU = ("Гарантийные обязательства – стиральные машины «Волна»", [
 ("h", "Гарантийные обязательства на стиральные машины «Волна»"),
 ("p", "Настоящие условия распространяются на стиральные машины «Волна» серий ВМ-600, ВМ-700 и ВМ-800, купленные на территории Российской Федерации после 1 сентября 2024 года."),
 ("h", "Срок гарантии"),
 ("p", "Гарантийный срок на стиральную машину составляет 24 месяца со дня продажи. На инверторный двигатель серии ВМ-800 действует расширенная гарантия 10 лет."),
 ("p", "Если дату продажи установить невозможно, гарантийный срок исчисляется с даты изготовления, указанной на заводской табличке."),
 ("p", "Срок службы машины, установленный изготовителем, составляет 7 лет. В течение этого срока изготовитель обеспечивает наличие запасных частей."),
 ("h", "Что покрывает гарантия"),
 ("p", "Гарантия распространяется на неисправности, возникшие по вине изготовителя: дефекты материалов, сборки и программного обеспечения. Ремонт по гарантии выполняется бесплатно, включая стоимость запчастей и работы мастера."),
 ("p", "Срок гарантийного ремонта не превышает 45 дней. Если ремонт занимает больше 3 дней, по вашему требованию на время ремонта предоставляется аналогичная машина."),
 ("p", "Если в течение первых 15 дней после покупки обнаружен существенный недостаток, вы можете потребовать замену машины или возврат денег."),
 ("h", "Что не покрывает гарантия"),
 ("p", "Гарантия не распространяется на повреждения, вызванные неправильной установкой, перепадами напряжения, использованием жёсткой воды без фильтра, а также на попадание в барабан посторонних предметов (монет, ключей, косточек от бюстгальтеров)."),
 ("p", "Расходные материалы – фильтры, шланги, уплотнитель люка и ремни – гарантией не покрываются. Их можно купить в авторизованных сервисных центрах."),
 ("p", "Гарантия аннулируется, если машину ремонтировали лица, не имеющие разрешения изготовителя, или если сорвана пломба на корпусе."),
 ("h", "Как обратиться в сервис"),
 ("p", "Позвоните на горячую линию 8-800-700-12-34 (звонок бесплатный, ежедневно с 8:00 до 22:00 по московскому времени) или оставьте заявку на сайте volna-service.ru. Мастер приедет в течение 3 рабочих дней в городах с населением более 100 тысяч человек."),
 ("p", "При обращении подготовьте гарантийный талон, кассовый чек и серийный номер машины. Серийный номер указан на табличке за дверцей люка и начинается с букв VL."),
 ("h", "Коды ошибок"),
 ("p", "Код E21 означает, что вода не сливается: проверьте и очистите сливной фильтр внизу справа на передней панели. Код E10 – вода не набирается: проверьте, открыт ли кран и не пережат ли шланг."),
 ("p", "Код E35 означает перегрев двигателя. Отключите машину от сети на 30 минут. Если ошибка повторяется, вызовите мастера – это гарантийный случай."),
 ("h", "Установка"),
 ("p", "Перед первым включением обязательно удалите 4 транспортировочных болта на задней стенке. Повреждения, вызванные запуском машины с болтами, не являются гарантийными."),
 ("p", "Бесплатная установка предоставляется при покупке в фирменном интернет-магазине и включает подключение к водопроводу и канализации, но не прокладку новых труб."),
])

EN = ("Brightwater Utilities plc – Interim Report for Q3 2024", [
 ("h", "Brightwater Utilities plc – Interim Report, third quarter 2024"),
 ("p", "Published 7 November 2024. All figures are unaudited and in pounds sterling unless stated otherwise."),
 ("h", "Highlights"),
 ("p", "Revenue for the three months to 30 September 2024 was £412.6 million, up 5.4% on the same quarter of 2023. Underlying operating profit rose 9.1% to £118.3 million."),
 ("p", "Profit before tax was £71.2 million (Q3 2023: £64.9 million). Basic earnings per share were 10.8p, compared with 9.7p a year earlier."),
 ("p", "The Board has declared an interim dividend of 15.25p per share, payable on 10 January 2025 to shareholders on the register on 29 November 2024."),
 ("h", "Operations"),
 ("p", "We supplied an average of 1,742 megalitres of drinking water per day, 2.1% less than last year, thanks to lower leakage and a wetter summer."),
 ("p", "Leakage fell to 168 megalitres per day, the lowest level since records began in 1995 and ahead of our regulatory target of 175 megalitres per day."),
 ("p", "There were 38 pollution incidents in the first nine months of the year, compared with 51 in the same period of 2023. Two were classed as serious (category 1 or 2)."),
 ("p", "Supply interruptions averaged 6 minutes 40 seconds per property, against 8 minutes 15 seconds a year earlier."),
 ("h", "Investment"),
 ("p", "Capital expenditure in the quarter was £196.4 million, of which £88.0 million went on sewer network upgrades and storm overflow reduction."),
 ("p", "The new reservoir at Hollins Moor is on schedule to begin filling in spring 2026. Total project cost is estimated at £540 million, unchanged from our last report."),
 ("p", "We installed 61,000 smart water meters in the quarter, bringing the total to 734,000, or roughly 38% of households in our region."),
 ("h", "Customers"),
 ("p", "The average household bill for 2024/25 is £486, an increase of £39 or 8.7% on 2023/24. Around 94,000 customers receive help through our social tariff, which cuts bills by up to 50%."),
 ("p", "Customer complaints fell by 12% compared with the third quarter of 2023. Our C-MeX customer satisfaction score improved from 74.2 to 77.9."),
 ("h", "Financing"),
 ("p", "Net debt stood at £4.31 billion at 30 September 2024, giving gearing of 62.5% of regulatory capital value. In August we issued a £350 million green bond maturing in 2036 with a coupon of 5.125%."),
 ("h", "Outlook"),
 ("p", "We expect full-year revenue of between £1.62 and £1.66 billion. The regulator's final determination for the 2025–2030 period is due on 19 December 2024 and will set bills and investment for the next five years."),
 ("p", "Chief executive Fiona McAllister said: 'Lower leakage and fewer pollution incidents show that our investment is working, but we know customers expect faster progress on storm overflows.'"),
])


def write(name: str, title: str, blocks: list[tuple[str, str]]) -> None:
    d = docx.Document()
    d.core_properties.title = title
    for kind, text in blocks:
        (d.add_heading(text, level=1 if kind == "h" else 2) if kind == "h" else d.add_paragraph(text))
    d.save(HERE / name)


write("ru_garantiya_volna.docx", *RU)
write("en_interim_report_q3.docx", *EN)
