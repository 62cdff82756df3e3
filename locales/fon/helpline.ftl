# Fɔngbè: PARTIAL, FOR REVIEW BY A NATIVE SPEAKER before launch.
# Every message not here falls back to French (locale.toml). Written Fon needs letters outside
# GSM-7 (ɖ ɛ ɔ and tone marks); USSD screens transliterate them (ɛ -> e, ɔ -> o, ɖ -> d).
# Add a message by copying its id from locales/fr/helpline.ftl.

language-name = Fɔngbè
