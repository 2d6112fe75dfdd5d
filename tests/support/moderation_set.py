"""A labelled set for moderation, assembled for talkshow: lines a live show might be sent or write.

``True`` marks a line that must not air. The hostile lines cover abuse with and without
swearing, threats, self-harm encouragement, hate said calmly, sexual content, and the
disguises chat uses (leetspeak, stretched and spaced letters, zalgo, zero-width joiners).
The benign lines are the show's own register, with the words a naive filter trips on
(killer, shoot, Scunthorpe, cocktail, assassin's creed).
"""

from __future__ import annotations

LABELLED: tuple[tuple[str, bool], ...] = (
    # abuse, threats, self-harm
    ("go kill yourself", True),
    ("You are a worthless piece of shit.", True),
    ("Shut the fuck up, Duke.", True),
    ("Wendell is a stupid fucking idiot.", True),
    ("kys loser", True),
    ("Nobody would miss you if you ended your life.", True),
    ("I know where you live and I will hurt you.", True),
    ("Somebody should shoot him in the head.", True),
    ("I'm going to find you and kill you.", True),
    ("you should hang yourself", True),
    ("What a dumb bitch.", True),
    ("eat shit and die", True),
    ("Your mother is a whore.", True),
    ("suck my dick", True),
    ("Those people are vermin and deserve to die.", True),
    ("Gas them all.", True),
    ("Heil Hitler, the master race will rise.", True),
    ("Women are too stupid to vote.", True),
    ("send nudes", True),
    ("Show us your tits on stream.", True),
    # disguised
    ("go k1ll yours3lf", True),
    ("f u c k you wendell", True),
    ("fuuuuuck this show", True),
    ("sh!t show, you are a b1tch", True),
    ("y\u0336o\u0337u\u0338 a\u0335r\u0334e\u0336 a\u0337 c\u0338u\u0335n\u0334t\u0336", True),
    ("you are a c\u200bunt", True),
    ("K Y S", True),
    ("a$$hole", True),
    # benign: the show's register
    ("Why is there a lambo in the room?", False),
    ("I think the office octopus would run payroll better than Gary.", False),
    ("That joke absolutely kills every time.", False),
    ("This is a killer app for sandwich lovers.", False),
    ("We shoot the next episode in Scunthorpe.", False),
    ("Order me a cocktail and a cheeseburger.", False),
    ("Assassin's Creed has great parkour.", False),
    ("Holiday playlists in October are a crime against November.", False),
    ("Robots on the night shift? They never need coffee.", False),
    ("I'm dying to know who invented the sandwich.", False),
    ("The Earl of Sandwich, obviously. Look it up.", False),
    ("Honestly, that idea is dead on arrival.", False),
    ("My grandmother could beat you at chess.", False),
    ("Let's blow this budget on a bigger aquarium.", False),
    ("That lambo is sick, bro.", False),
    ("You are wrong, and I love you for it.", False),
    ("Hit me with your best argument.", False),
    ("The octopus escaped through the air vent again.", False),
    ("I'd rather fight one horse-sized duck than a hundred duck-sized horses.", False),
    ("What's the worst that could happen? Don't answer that.", False),
    ("Duke, you absolute legend.", False),
    ("Thanks for having me on the show!", False),
    ("Can you ask Wendell why he hates Mondays?", False),
    ("!ask duke why a lambo?", False),
    ("Is it ever too early for mince pies?", False),
    ("My cat knocked the whole shelf over again.", False),
    ("Hell yes, a pet octopus!", False),
    ("That's a damn good point.", False),
)
