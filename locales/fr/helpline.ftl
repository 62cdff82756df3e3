# Français. Les numéros viennent des [contacts] de la ligne dans salama.toml : $police et
# $police_alt (« 117 ou 166 »), $support (INF), $support_alt, $child, $cyber (CNIN), $data (APDP),
# $hours. Sources : locales/SOURCES.md. Écrit pour le Bénin.
# Écrans USSD en GSM-7 : ê â î ô û ç perdent leur accent ; aucun sens ne doit en dépendre
# (jamais « sûr », qui deviendrait « sur »). Textes neutres : ni « il » pour l'agresseur, ni
# accords au féminin pour la personne qui appelle.
# Chaque écran de conseil finit par { danger-line }.
# Needs review by a native French speaker who did not write it (see README, content).

## Engine: shown on every screen
language-name = Français
choose-language = Choisissez la langue
nav-more = 98 Suite
nav-footer = 0 Retour 00 Sortir
sms-footer = Répondez par un numéro. 0 : retour. 00 : arrêter.
sms-neutral-first = Bonjour. Répondez 1 pour continuer, ou 00 pour arrêter.
hint-invalid = Non compris. { nav-footer }
quick-exit = Merci. Au revoir.
service-unavailable = Désolé, réessayez plus tard. En danger ? Appelez le {$police} ou le {$police_alt} (gratuit). Soutien : INF, {$support}.
danger-line = Danger : {$police} ou {$police_alt}

## Main menu
main-title = Choisissez :
main-danger = En danger
main-counsellor = Parler à un conseiller
main-images = Images intimes
main-phone = Téléphone, compte
main-online = Violences en ligne
main-more = Autre aide
main-language = Langue / Gbè

## Fon: the first screen after choosing Fon (French here; Fon in locales/fon/)
fon-welcome = La suite est en français. Pour un conseiller qui parle fon : 2.
fon-continue = Continuer en français

## Options used on several screens
opt-counsellor = Parler à un conseiller
opt-danger-signs = Signes de danger grave
opt-plan = Plan de sécurité
opt-evidence = Garder des preuves
opt-remove = Faire retirer les images
opt-minor = Une personne de moins de 18 ans
opt-signs = Signes de surveillance
opt-safe-steps = Que faire sans risque
opt-sim = Vol de numéro (SIM)
opt-report = Porter plainte
opt-more = Autres conseils
yes = Oui
no = Non

## En danger
danger-now = En danger maintenant ? Appelez le {$police} ou le {$police_alt} (gratuit). Si vous pouvez, allez dans un lieu protégé ou vers une personne de confiance. Ensuite, appelez l'INF au {$support} pour préparer votre protection.
danger-signs =
    Menaces de mort, étranglement, armes ou filature : le danger est GRAVE. Ce n'est pas votre faute. Partir ou confronter la personne peut augmenter le danger : préparez d'abord un plan avec l'INF, {$support}. Si votre téléphone est peut-être surveillé, appelez d'un autre téléphone.
    { danger-line }
plan =
    Un plan de sécurité : convenez d'un mot code avec une personne de confiance, qui veut dire « appelle à l'aide ». Sachez où aller et comment y aller. Gardez prêts : pièce d'identité, argent, médicaments, numéros importants écrits sur papier, téléphone chargé. Préparez-le avec l'INF, {$support}.
    { danger-line }

## Images intimes
images-intro =
    Ce n'est pas votre faute, et vous n'êtes pas sans aide. Ne payez pas et n'envoyez plus rien. Ne répondez plus, mais gardez la conversation : c'est une preuve.
    { danger-line }
images-evidence =
    Gardez des preuves des menaces : captures d'écran des messages, du nom d'utilisateur ou du numéro, du lien et de la date. Ne faites jamais de capture de l'image elle-même, ne la gardez pas, ne la transférez pas : si la personne sur l'image a moins de 18 ans, c'est un délit. Gardez vos notes en lieu discret.
    { danger-line }
images-remove =
    Signalez l'image et le compte à l'application. 18 ans ou plus sur l'image ? StopNCII.org demande un smartphone qui contient la photo : il y crée un code, et la photo n'est jamais envoyée. Notez son numéro de dossier et son code PIN : perdus, ils ne peuvent pas être récupérés. Moins de 18 ans : TakeItDown.ncmec.org. Aucun des deux ne marche dans WhatsApp. Les « services de retrait » payants sont des arnaques.
    { danger-line }
images-minor =
    Une personne de moins de 18 ans sur l'image ? Ne faites pas de capture, ne la gardez pas, ne la transférez pas, même pour la signaler. Signalez le lien et le compte à l'application. Take It Down (takeitdown.ncmec.org) s'utilise sur un téléphone qui contient déjà l'image. Ligne d'aide aux enfants : {$child}, gratuit.
    { danger-line }

## Téléphone ou compte
phone-title = Téléphone ou compte :
phone-tracked = On surveille mon téléphone
phone-hacked = Compte piraté ou volé

## Surveillé
tracked-intro =
    Si quelqu'un sait où vous allez ou ce que vous dites, votre téléphone est peut-être surveillé. Ne supprimez pas d'application et ne réinitialisez pas le téléphone pour l'instant : cela peut alerter la personne. Faites d'abord un plan de sécurité.
    { danger-line }
tracked-signs =
    Souvent, la surveillance passe par des comptes partagés, le partage de position ou une personne qui fouille le téléphone. Signes d'un logiciel espion : batterie vite vide, téléphone chaud au repos, applis inconnues, réglages changés, la personne a eu votre téléphone en main.
    { danger-line }
tracked-plan =
    Cherchez de l'aide depuis un téléphone que la personne n'a jamais touché. Utilisez votre téléphone comme d'habitude, pour que rien ne change. Vérifiez les appareils connectés et le partage de position seulement quand c'est sans risque. Faites un plan avec l'INF, {$support}.
    { danger-line }

## Compte piraté, vol de numéro
hacked-intro =
    Compte volé ? Depuis un téléphone sans risque : utilisez « mot de passe oublié », changez le mot de passe, puis activez la validation en deux étapes. Déconnectez les appareils inconnus. Prévenez vos proches : les messages de ce compte peuvent être faux. Si c'est moins risqué, faites d'abord un plan avec l'INF, {$support}.
    { danger-line }
hacked-sim =
    Plus de réseau d'un coup, et vos SMS n'arrivent plus ? Votre numéro a peut-être été transféré sur une autre SIM. Appelez tout de suite votre opérateur depuis un autre téléphone pour le bloquer. Changez ensuite le code de votre mobile money et vos mots de passe.
    { danger-line }

## Violences en ligne
online-title = Que se passe-t-il ?
online-threats = Menaces ou harcèlement
online-impersonation = Faux profil à mon nom
online-posted = Mon adresse ou numéro publié
online-fake = Fausses images sexuelles, IA
threats-intro =
    Ne répondez pas, ne discutez pas. Faites une capture de chaque message avec le nom, la date et le lien, puis bloquez et signalez le compte. Les menaces sont graves et peuvent être un délit : si vous le souhaitez, portez plainte (choix 1).
    { danger-line }
impersonation =
    Quelqu'un se fait passer pour vous ? Faites une capture du faux profil avec son lien et la date. Signalez-le à l'application comme usurpation d'identité. Prévenez vos contacts de ne pas s'y fier. Au Bénin, l'usurpation d'identité en ligne peut être un délit.
    { danger-line }
posted-intro =
    Votre adresse ou votre numéro publié ? Faites une capture avec le lien et la date, puis signalez-le à l'application. Prévenez les personnes qui vivent avec vous. En cas de menace, appelez la police.
    { danger-line }
posted-more =
    Ne répondez pas à la foule et ne publiez rien sur les auteurs. Prévenez famille et travail qu'on peut les contacter. Google peut retirer des résultats qui montrent votre numéro ou votre adresse. Plaintes sur les données personnelles : APDP, {$data}.
    { danger-line }
fake-intro =
    Une fausse image sexuelle de vous reste une violence, et ce n'est pas votre faute. Faites une capture du lien, de la date et du compte, pas de l'image, et signalez-la à l'application. Ne la partagez pas pour montrer qu'elle est fausse.
    { danger-line }
fake-remove =
    18 ans ou plus ? StopNCII.org peut bloquer les copies d'une fausse image qui est sur votre smartphone ; l'image n'en sort jamais. Il ne trouve pas les nouvelles fausses images. Notez son numéro de dossier et son code PIN : perdus, ils ne se récupèrent pas. Les « services de retrait » payants sont des arnaques. Personne de moins de 18 ans ? Ne gardez pas l'image : signalez le lien, appelez le {$child}.
    { danger-line }

## Autre aide
more-title = Aide :
more-selfharm = Idées de suicide
more-assault = Agression sexuelle
more-report = Plainte, la loi
more-plan = Plan de sécurité
more-someone = Aider un proche
more-about = Ce service
selfharm =
    Vous comptez, et vous n'avez pas à traverser cela sans aide. Parlez à quelqu'un maintenant : appelez l'INF au {$support} (gratuit) ou choisissez 1 pour un conseiller. Si vous risquez de passer à l'acte maintenant, appelez le numéro ci-dessous ou allez à l'hôpital.
    { danger-line }
assault =
    Après une agression sexuelle, allez si possible dans un hôpital ou un centre de santé dans les 72 heures : des médicaments peuvent éviter le VIH et une grossesse. Les soins ne demandent pas de plainte. L'INF, {$support}, peut vous orienter et vous accompagner.
    { danger-line }
report-intro =
    Porter plainte est votre choix. Au Bénin, le Code du numérique réprime la sextorsion, le harcèlement en ligne et la diffusion d'images intimes sans accord. Vous pouvez porter plainte dans tout commissariat ou au CNIN, {$cyber}. L'INF, {$support}, peut vous accompagner.
    { danger-line }
report-more =
    Apportez vos captures, liens et dates, et gardez le téléphone qui contient les messages. Vous pouvez venir avec une personne de confiance. L'INF peut se porter partie civile à vos côtés. Si le {$support} ne répond pas : {$support_alt}.
    { danger-line }
someone =
    Vous aidez un proche ? Croyez cette personne et laissez-la décider. Ne confrontez pas l'auteur et ne prenez pas son téléphone. Donnez-lui ce numéro. Moins de 18 ans : appelez le {$child} (gratuit) ; ne faites jamais de capture de ses images, ne les transférez pas.
    { danger-line }
about =
    Ce service est gratuit. Les conseillers répondent {$hours}. Le code composé reste dans l'historique d'appels et nos SMS restent dans le téléphone : effacez-les quand c'est sans risque. 00 sort tout de suite.
    { danger-line }

## Parler à un conseiller : d'abord un contact sans risque
talk-how = Comment vous joindre ?
talk-call-any = Appel, à toute heure
talk-call-morning = Appel, 8h-12h
talk-call-afternoon = Appel, 12h-17h
talk-call-evening = Appel, 17h-21h
talk-sms-only = SMS seulement
talk-neither = Aucun sans risque
talk-note = En quelques mots, que se passe-t-il ? Envoyez 1 pour passer.
talk-consent = Pouvons-nous compter votre demande, sans rien qui vous nomme, pour améliorer ce service ?
talk-done = Merci. Un conseiller vous contactera seulement de la façon choisie. En danger ? Appelez le {$police} ou le {$police_alt}.
talk-no-contact = Nous ne vous contacterons pas. Quand vous pouvez, appelez l'INF au {$support} (gratuit) depuis un téléphone sans risque. En danger ? Appelez le {$police} ou le {$police_alt}.
# Heures d'appel, telles que les conseillers les lisent.
time-morning = Matin (8h-12h)
time-afternoon = Après-midi (12h-17h)
time-evening = Soir (17h-21h)
time-any = À toute heure

## Escalation: pages and answers to counsellors (SMS), entièrement en français
page-urgency = { $urgency ->
    [CRITICAL] URGENCE VITALE
    [HIGH] URGENT
   *[other] normal
}
page-category = { $category ->
    [danger] en danger maintenant
    [counsellor] demande un conseiller
   *[other] {$category}
}
page-lang = { $lang ->
    [fr] français
    [fon] fon
    [sw] swahili
   *[other] anglais
}
page = SALAMA cas {$code} : { page-urgency }, { page-category }, langue : { page-lang }. Appel : {$call}. SMS : {$sms}. Répondez ACK {$code} pour le prendre.
page-unanswered = SALAMA cas {$code} SANS RÉPONSE : { page-urgency }, { page-category }, langue : { page-lang }. Répondez ACK {$code} pour le prendre.
cmd-acked = Le cas {$code} est à vous. Appel : {$call}. SMS : {$sms}. Pour écrire à la personne : {$code} votre texte. APPELER {$code} pour son numéro. FERMER {$code} à la fin.
cmd-taken = Le cas {$code} est déjà pris par {$name}.
cmd-no-case = Aucun cas ouvert {$code}.
cmd-no-pending = Aucun cas ne vous attend : envoyez ACK avec le code du cas.
cmd-not-yours = Le cas {$code} n'est pas à vous : envoyez d'abord ACK {$code}.
cmd-sms-unsafe = La personne a dit que les SMS sont risqués : rien n'a été envoyé.
cmd-relayed = Envoyé à {$code}.
cmd-call = Cas {$code} : son numéro est {$number}. Moment sans risque : {$time}.
cmd-call-unsafe = Cas {$code} : la personne a dit qu'un appel est risqué. N'appelez pas.
cmd-call-outside = Cas {$code} : la personne a dit que les appels sont sans risque seulement {$time}. Ce n'est pas le moment.
cmd-passed = Cas {$code} transmis au niveau suivant.
cmd-closed = Cas {$code} fermé.
cmd-who = De garde : {$names}.
cmd-help = ACK code : prendre un cas. code texte : écrire à la personne. APPELER code : son numéro. PASSER code. FERMER code résultat. QUI : qui est de garde.
relay-from-survivor = {$code} : {$text}
triage-critical = Si vous êtes en danger maintenant, appelez le {$police} ou le {$police_alt} (gratuit). Nous alertons un conseiller.
case-unanswered = Nous n'avons pas encore pu joindre un conseiller. En danger ? Appelez le {$police} ou le {$police_alt} (gratuit). Soutien : INF, {$support}.
