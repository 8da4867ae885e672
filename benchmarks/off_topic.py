"""Questions no XQuAD paragraph answers, in several languages: the weak-match rule must flag
them. The development set was written for choosing the rule (benchmarks/calibrate_weak.py);
the held-out set is the one benchmarks/quality.py has always reported."""
from __future__ import annotations

OFF_TOPIC_DEV = [
    "How long should I boil an egg for a runny yolk?", "Which paint colour goes well with a grey sofa?",
    "How do I get red wine out of a carpet?", "What is a good name for a golden retriever puppy?",
    "¿Cómo se hace una tortilla de patatas jugosa?", "¿Qué aplicación es mejor para aprender a tocar la guitarra?",
    "¿Cada cuánto hay que regar un cactus en invierno?",
    "Wie entferne ich Kalk aus der Dusche?", "Welche Schuhe eignen sich zum Wandern im Regen?",
    "Wie lange hält frischer Spargel im Kühlschrank?",
    "怎么把白衬衫洗得更白？", "周末带孩子去哪里玩比较好？", "猫为什么喜欢睡在纸箱里？",
    "Как быстро высушить кроссовки после дождя?", "Какой чай лучше пить перед сном?",
    "Comment faire une pâte à crêpes sans grumeaux ?", "Quel vélo choisir pour aller au travail en ville ?",
    "كيف أحضر فنجان قهوة تركية؟", "ما هي أفضل طريقة لتنظيف الفرن؟",
    "Làm thế nào để nấu phở bò ngon?",
]

OFF_TOPIC_HELD_OUT = [
    "What is the best recipe for tiramisu?", "How do I reset my router password?",
    "Which smartphone has the longest battery life in 2024?", "How many calories are in a banana?",
    "What time does the bakery on Main Street open?", "How do I knit a wool scarf?",
    "¿Cuál es la mejor receta de paella valenciana?", "¿Cómo se cambia una rueda pinchada?",
    "¿Qué tiempo hará mañana en Sevilla?", "¿Dónde puedo comprar zapatillas de correr baratas?",
    "Wie backe ich einen Apfelstrudel?", "Wann öffnet das Schwimmbad am Sonntag?",
    "Wie installiere ich einen Drucker unter Windows?",
    "如何煮一碗好吃的牛肉面？", "明天上海会下雨吗？", "怎样训练小狗不乱叫？",
    "Как приготовить борщ?", "Сколько стоит билет на метро в Москве?",
    "Quelle est la meilleure crème solaire pour les enfants ?", "Comment détartrer une bouilloire ?",
]

# Session 8: 32 more development questions (written for it; none among the sets above or
# qa/probes.py), asked against every development collection (the XQuAD pools and articles, the
# German and Spanish man pages). Some touch computers and phones as people ask about them at home,
# the kind that came close to man pages in the held-out sets.
OFF_TOPIC_DEV2 = [
    "How do I connect my wireless headphones to a laptop?", "What is the best way to store fresh basil?",
    "How can I make my cat stop scratching the door at night?", "Which documents do I need to renew a passport?",
    "How do I clean a cast iron pan after cooking?", "Why is my Wi-Fi slow in the evening?",
    "¿Cómo quito el óxido de una bicicleta?", "¿Qué necesito para sacar el carné de conducir?",
    "¿Cómo hago que mi móvil gaste menos batería?", "¿Cuánto tiempo se cuece una pechuga de pollo?",
    "¿Qué plantas aguantan bien el sol directo en la terraza?", "¿Cómo se hace un nudo de corbata sencillo?",
    "Wie entkalke ich eine Kaffeemaschine richtig?", "Welches Laufband ist gut für eine kleine Wohnung?",
    "Wie kündige ich meinen Handyvertrag?", "Wie lange dauert ein Flug von Berlin nach Lissabon?",
    "Comment nettoyer l'écran d'une télévision sans la rayer ?", "Quel est le meilleur moment pour tailler un rosier ?",
    "Comment réserver un billet de TGV moins cher ?",
    "怎么清理笔记本电脑的键盘？", "孩子发烧到多少度需要去医院？", "怎样泡一壶好喝的绿茶？",
    "Как поменять лампочку в холодильнике?", "Где купить недорогой велосипед для ребёнка?",
    "Как научиться плавать взрослому?",
    "كيف أزيل البقع من السجاد؟", "ما هي أفضل طريقة لحفظ الخبز طازجا؟",
    "Come si cambia la batteria di un orologio?", "Dove posso noleggiare una barca sul lago di Garda?",
    "Como limpar o filtro do ar-condicionado?", "Qual é a melhor época para plantar tomates?",
    "Làm sao để chọn dưa hấu ngọt?",
]
