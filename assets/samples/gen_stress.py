#!/usr/bin/env python3
"""Writes a stress project with N messages (default 5,000) for load and benchmark tests:

    python3 assets/samples/gen_stress.py [N] > /tmp/stress.chatframe.json

Deterministic: the same N gives the same file. Mixes sides, lengths, emoji, reactions and dates
so every layout path is exercised."""
import json
import random
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
rnd = random.Random(42)
words = ("okay so I was thinking we could go later tonight if you want maybe around eight "
         "the place by the river has live music and the food is honestly amazing").split()
emoji = ["😂", "❤️", "🔥", "👍🏽", "🎉", "😭", "👀", "🙌", "✨", "🍕"]
messages = []
for i in range(n):
    if i % 250 == 0:
        messages.append({"kind": "date", "text": f"Day {i // 250 + 1}"})
        continue
    text = " ".join(rnd.choice(words) for _ in range(rnd.randint(1, 24)))
    if rnd.random() < 0.3:
        text += " " + rnd.choice(emoji)
    m = {"sender": "me" if rnd.random() < 0.5 else "sam", "text": text,
         "timing": {"typingMs": 300, "holdMs": 400}}
    if rnd.random() < 0.05:
        m["reactions"] = [{"emoji": rnd.choice(emoji)}]
    messages.append(m)
project = {
    "schemaVersion": 1, "id": f"stress-{n}", "name": f"Stress {n}",
    "canvas": {"width": 1080, "height": 1920, "fps": 30},
    "theme": {"platform": "imessage", "appearance": "light"},
    "participants": [{"id": "me", "name": "Me", "side": "me"}, {"id": "sam", "name": "Sam", "side": "them"}],
    "messages": messages,
}
json.dump(project, sys.stdout, ensure_ascii=False, indent=1)
sys.stdout.write("\n")
