# Fɔngbè: PARTIAL. NATIVE REVIEW NEEDED before launch: every Fon string here (marked
# "# NATIVE REVIEW") was written without a Fon speaker and must be checked, or rewritten, by one.
# Every message not here falls back to French (locale.toml): the first screen after choosing Fon
# (fon-welcome, flows/bj.toml) says so, in Fon and in French. Written Fon needs letters outside
# GSM-7 (ɖ ɛ ɔ and tone marks); USSD screens transliterate them (ɛ -> e, ɔ -> o, ɖ -> d).
# Add a message by copying its id from locales/fr/helpline.ftl.

language-name = Fɔngbè
# NATIVE REVIEW: "Welcome. All the words that follow are in French." Then the same in French,
# and that a counsellor who speaks Fon can call (the rota pages Fon speakers first).
fon-welcome =
    Mi kwabo. Xó ɖě ɖò wíwá lɛ bǐ ɖò flansegbe mɛ.
    La suite est en français. Pour un conseiller qui parle fon : 2.
