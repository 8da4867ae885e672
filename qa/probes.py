"""Probe questions: everyday questions in many languages that no document collection of ours is
meant to answer. Compared with a passage they tell how close that passage sits to *any*
question (its hubness, qa/weakbar.py). None of them is among the off-topic questions the weak
rule is evaluated on (benchmarks/off_topic.py); they were written for this and are not to be
tuned: changing them changes every weak flag."""
from __future__ import annotations

PROBES = (
    # en
    "How often should I change the oil in my car?", "What should I pack for a weekend at the beach?",
    "How can I stop my glasses from fogging up?", "Is it better to rent or buy a flat?",
    "How do I get my toddler to sleep through the night?", "What is the easiest houseplant to keep alive?",
    "How do I unblock a kitchen sink?", "Why does my phone get hot when charging?",
    # es
    "¿Cómo quito las manchas de café de una camisa blanca?", "¿Qué hago si mi perro no quiere comer?",
    "¿Cuántas horas debe dormir un adolescente?", "¿Cómo preparo un gazpacho andaluz?",
    "¿Dónde aparcar cerca del estadio un día de partido?", "¿Cómo ahorro en la factura de la luz?",
    "¿Qué regalo le compro a mi suegra por su cumpleaños?", "¿Por qué se me empañan las ventanas en invierno?",
    # de
    "Wie lange muss ein Hefeteig gehen?", "Was ziehe ich zu einer Hochzeit im Sommer an?",
    "Wie bekomme ich Rotweinflecken aus der Tischdecke?", "Welche Pflanzen vertragen viel Schatten auf dem Balkon?",
    "Wie viel Trinkgeld gibt man im Restaurant?", "Wann muss ich die Winterreifen aufziehen?",
    "Warum miaut meine Katze nachts so laut?", "Wie werde ich Schluckauf schnell wieder los?",
    # fr
    "Comment faire lever une pâte à pizza plus vite ?", "Combien de temps garder des restes au réfrigérateur ?",
    "Quel sport pratiquer quand on a mal au dos ?", "Comment enlever une tache de graisse sur un jean ?",
    "Où partir en vacances en février avec des enfants ?", "Comment choisir un bon melon au marché ?",
    "Pourquoi mon chat griffe-t-il le canapé ?", "Comment se débarrasser des fourmis dans la cuisine ?",
    # it
    "Come si prepara un buon risotto ai funghi?", "Quanto costa un biglietto del treno da Roma a Milano?",
    "Come posso smettere di russare?", "Qual è il periodo migliore per visitare la Sicilia?",
    "Come si pulisce l'argento annerito?", "Cosa mangiare prima di una corsa?",
    # pt
    "Como fazer um bolo de cenoura fofinho?", "Quanto tempo leva para tirar a carteira de motorista?",
    "Como cuidar de uma orquídea em casa?", "Qual protetor solar usar na praia?",
    "Como tirar o cheiro de cigarro do carro?", "O que fazer num domingo chuvoso em Lisboa?",
    # nl
    "Hoe lang moet een ei koken voor een zacht eitje?", "Wat is de beste tijd om tulpen te planten?",
    "Hoe krijg ik kauwgom uit mijn haar?", "Welke fiets is goed voor lange afstanden?",
    # pl
    "Jak upiec sernik bez pękania?", "Ile kosztuje wymiana opon na zimowe?",
    "Jak pozbyć się kamienia z czajnika elektrycznego?", "Gdzie pojechać na weekend w góry?",
    # ru
    "Как выбрать хороший арбуз?", "Сколько варить гречку?", "Что подарить другу на свадьбу?",
    "Как избавиться от запаха в холодильнике?", "Когда лучше сажать картошку?",
    "Почему кот не пользуется лотком?",
    # zh
    "怎样做红烧肉才不油腻？", "冬天怎么给猫咪洗澡？", "跑步前应该吃什么？", "怎么去除衣服上的油渍？",
    "周末去哪里爬山比较好？", "新买的锅第一次怎么用？",
    # ja
    "美味しいカレーの作り方を教えてください。", "梅雨の時期に洗濯物を早く乾かす方法は？",
    "子供の誕生日に何をプレゼントすればいいですか？", "東京でおすすめの温泉はどこですか？",
    # ko
    "김치찌개를 맛있게 끓이는 방법은?", "겨울에 난방비를 줄이는 방법이 있나요?",
    "강아지가 산책을 싫어하면 어떻게 하나요?", "여름휴가로 가기 좋은 곳은 어디인가요?",
    # ar
    "كيف أحضر الكبسة باللحم؟", "ما هو أفضل وقت لزيارة البحر الأحمر؟", "كيف أتخلص من رائحة الطعام في المطبخ؟",
    "كم ساعة يحتاج الطفل الرضيع للنوم؟",
    # vi
    "Làm sao để giặt áo trắng không bị ố vàng?", "Nên cho trẻ ăn dặm từ mấy tháng tuổi?",
    "Đi Đà Lạt vào mùa nào đẹp nhất?", "Cách làm bánh xèo giòn lâu?",
    # tr
    "Menemen nasıl yapılır?", "Kışın ev bitkileri ne sıklıkla sulanmalı?",
    # hi
    "घर पर पनीर कैसे बनाएं?", "बारिश में कपड़े जल्दी कैसे सुखाएं?",
)
