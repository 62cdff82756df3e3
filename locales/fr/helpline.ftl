# Français. Les numéros viennent des [contacts] de la ligne dans salama.toml : $police et
# $police_alt (« 117 ou 166 »), $support (INF), $support_alt, $child, $cyber (CNIN), $data (APDP),
# $hours. Sources : locales/SOURCES.md. Écrit pour le Bénin.
# Écrans USSD en GSM-7 : ê â î ô û ç perdent leur accent ; aucun sens ne doit en dépendre
# (jamais « sûr », qui deviendrait « sur »). Textes neutres : ni « il » pour l'agresseur, ni
# accords au féminin pour la personne qui appelle.
# Chaque écran de conseil finit par { danger-line }.
# Relu par un relecteur IA (2026-11-29, locales/REVIEW.md) ; doit encore être validé par une
# personne francophone du Bénin avant le lancement. Pas de « : » au milieu d'une phrase longue :
# l'écran peut se couper là (le découpage coupe aux fins de phrase et aux deux-points).

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
opt-danger-signs = Signes de danger
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
danger-now = En danger ? Appelez le {$police} ou le {$police_alt} (gratuit).
danger-signs =
    Si vous pouvez, allez dans un endroit sans danger ou chez une personne de confiance. Menaces de mort, étranglement, armes ou filature : le danger est GRAVE. Ce n'est pas votre faute. Partir ou affronter l'auteur des violences peut augmenter le danger. Préparez d'abord un plan avec l'INF au {$support}. Si votre téléphone est peut-être surveillé, appelez d'un autre téléphone.
    { danger-line }
plan =
    Choisissez avec une personne de confiance un mot d'alerte qui veut dire « appelle à l'aide pour moi ». Sachez où aller et comment y aller. Gardez à portée de main votre pièce d'identité, de l'argent, vos médicaments et un téléphone chargé. Notez les numéros utiles sur un papier. Préparez ce plan avec l'INF au {$support}.
    { danger-line }

## Images intimes
images-intro =
    Ce n'est pas votre faute, et de l'aide existe. Ne payez pas et n'envoyez plus rien. Ne répondez plus, mais ne supprimez pas la conversation, c'est une preuve.
    { danger-line }
images-evidence =
    Faites des captures d'écran des messages de menace, du nom d'utilisateur ou du numéro, du lien et de la date. Ne faites jamais de capture de l'image elle-même, ne la gardez pas et ne la transférez pas. Si la personne sur l'image a moins de 18 ans, c'est interdit par la loi. Gardez vos notes dans un endroit discret.
    { danger-line }
images-remove =
    Signalez l'image et le compte à l'application. Si vous aviez 18 ans ou plus sur l'image, utilisez StopNCII.org sur un smartphone qui contient la photo. Il y crée un code, et la photo n'est jamais envoyée. Notez bien le numéro de dossier et le code PIN, qu'on ne peut pas récupérer en cas de perte. Moins de 18 ans sur l'image ? Utilisez TakeItDown.ncmec.org. Aucun des deux ne fonctionne dans WhatsApp. Les « services de retrait » payants sont des arnaques.
    { danger-line }
images-minor =
    Une personne de moins de 18 ans sur l'image ? Ne faites pas de capture, ne la gardez pas, ne la transférez pas, même pour la signaler. Signalez le lien et le compte à l'application. Take It Down (takeitdown.ncmec.org) s'utilise sur un téléphone qui contient déjà l'image. Appelez la ligne d'aide aux enfants, le {$child} (gratuit).
    { danger-line }

## Téléphone ou compte
phone-title = Téléphone ou compte :
phone-tracked = On surveille mon téléphone
phone-hacked = Compte piraté ou volé

## Surveillé
tracked-intro =
    Si quelqu'un sait où vous allez ou ce que vous dites, votre téléphone est peut-être surveillé. Pour l'instant, ne supprimez aucune application et ne réinitialisez pas le téléphone. Cela pourrait alerter la personne qui surveille. Faites d'abord un plan de sécurité.
    { danger-line }
tracked-signs =
    La surveillance passe souvent par un compte partagé, le partage de position ou une fouille du téléphone. Signes d'un logiciel espion : batterie vite vide, téléphone chaud au repos, applis inconnues, réglages changés. Autre signe : la personne a déjà eu votre téléphone en main.
    { danger-line }
tracked-plan =
    Cherchez de l'aide depuis un téléphone que la personne n'a jamais touché. Utilisez votre téléphone comme d'habitude, pour que rien ne paraisse différent. Vérifiez les appareils connectés et le partage de position seulement quand c'est sans risque. Préparez un plan avec l'INF au {$support}.
    { danger-line }

## Compte piraté, vol de numéro
hacked-intro =
    Compte piraté ou volé ? Utilisez un téléphone sans risque. Choisissez « mot de passe oublié », changez le mot de passe, puis activez la validation en deux étapes. Déconnectez les appareils inconnus. Dites à vos proches de se méfier des messages de ce compte. Si c'est plus prudent, préparez d'abord un plan avec l'INF au {$support}.
    { danger-line }
hacked-sim =
    Plus de réseau d'un coup, et vous ne recevez plus de SMS ? Votre numéro a peut-être été transféré sur une autre SIM. Depuis un autre téléphone, appelez tout de suite votre opérateur pour qu'il bloque votre numéro. Changez ensuite le code secret mobile money et vos mots de passe.
    { danger-line }

## Violences en ligne
online-title = Que se passe-t-il ?
online-threats = Menaces ou harcèlement
online-impersonation = Faux profil à mon nom
online-posted = Adresse ou numéro publié
online-fake = Fausses images sexuelles (IA)
threats-intro =
    Ne répondez pas, ne vous disputez pas. Faites une capture de chaque message avec le nom, la date et le lien, puis bloquez et signalez le compte. Les menaces sont graves et peuvent être punies par la loi. Si vous le souhaitez, vous pouvez porter plainte (choix 1).
    { danger-line }
impersonation =
    Quelqu'un se fait passer pour vous ? Faites une capture du faux profil avec son lien et la date. Signalez-le à l'application comme usurpation d'identité. Prévenez vos contacts de ne pas s'y fier. Au Bénin, l'usurpation d'identité en ligne peut être punie par la loi.
    { danger-line }
posted-intro =
    Votre adresse ou votre numéro a été publié ? Faites une capture avec le lien et la date, puis signalez-le à l'application. Prévenez les personnes qui vivent avec vous. En cas de menace, appelez la police.
    { danger-line }
posted-more =
    Ne répondez pas aux commentaires et ne publiez rien contre les auteurs. Prévenez votre famille et vos collègues qu'on pourrait les contacter. Google peut retirer de ses résultats ceux qui montrent votre numéro ou votre adresse. Pour une plainte sur vos données personnelles, contactez l'APDP ({$data}).
    { danger-line }
fake-intro =
    Une fausse image sexuelle de vous reste une violence, et ce n'est pas votre faute. Faites une capture du lien, de la date et du compte, pas de l'image, et signalez-la à l'application. Ne la partagez pas pour montrer qu'elle est fausse.
    { danger-line }
fake-remove =
    Vous avez 18 ans ou plus ? StopNCII.org peut bloquer les copies d'une fausse image présente sur votre smartphone. L'image ne quitte jamais le téléphone. Il ne détecte pas les nouvelles fausses images. Notez son numéro de dossier et son code PIN, qu'on ne peut pas récupérer en cas de perte. Les « services de retrait » payants sont des arnaques. Si la personne sur l'image a moins de 18 ans, ne gardez pas l'image. Signalez le lien et appelez le {$child}.
    { danger-line }

## Autre aide
more-title = Aide :
more-selfharm = Idées de suicide
more-assault = Agression sexuelle
more-report = Porter plainte
more-plan = Plan de sécurité
more-someone = Aider un proche
more-about = Ce service
selfharm =
    Votre vie compte, et vous n'avez pas à traverser cela sans aide. Parlez-en à quelqu'un maintenant. Appelez l'INF au {$support} (gratuit) ou choisissez 1 pour parler à un conseiller. Si vous risquez de passer à l'acte maintenant, appelez le numéro ci-dessous ou allez à l'hôpital.
    { danger-line }
assault =
    Après une agression sexuelle, allez si possible à l'hôpital ou dans un centre de santé dans les 72 heures. Des médicaments peuvent éviter le VIH et une grossesse. Les soins ne dépendent pas d'une plainte. L'INF ({$support}) peut vous orienter et vous accompagner.
    { danger-line }
report-intro =
    Porter plainte ou non, c'est votre choix. Au Bénin, le Code du numérique punit la sextorsion et le harcèlement en ligne. Il punit aussi la diffusion d'images intimes sans accord. Vous pouvez porter plainte dans n'importe quel commissariat ou auprès du CNIN ({$cyber}). L'INF ({$support}) peut vous accompagner.
    { danger-line }
report-more =
    Apportez vos captures, liens et dates, et gardez le téléphone qui contient les messages. Vous pouvez venir avec une personne de confiance. L'INF peut se porter partie civile à vos côtés. Si le {$support} ne répond pas, appelez le {$support_alt}.
    { danger-line }
someone =
    Vous aidez un proche ? Croyez cette personne et laissez-la décider. N'affrontez pas l'auteur des violences et ne prenez pas son téléphone. Donnez-lui le code de ce service. Si la personne a moins de 18 ans, appelez le {$child} (gratuit). Ne faites jamais de capture de ses images et ne les transférez pas.
    { danger-line }
about =
    Ce service est gratuit. Heures d'écoute : {$hours}. Le code que vous avez composé reste dans l'historique des appels, et nos SMS restent dans le téléphone. Vous pouvez les effacer quand c'est sans risque. Le 00 vous fait sortir tout de suite.
    { danger-line }

## Parler à un conseiller : d'abord un contact sans risque
talk-how = Comment un conseiller peut-il vous joindre ?
talk-call-any = Appel, à toute heure
talk-call-morning = Appel, 8h-12h
talk-call-afternoon = Appel, 12h-17h
talk-call-evening = Appel, 17h-21h
talk-sms-only = SMS seulement
talk-neither = Aucun n'est sans danger
talk-note = En quelques mots, que se passe-t-il ? Envoyez 1 pour passer.
talk-consent = Pouvons-nous compter votre demande dans nos statistiques, anonymement, pour améliorer le service ?
talk-done = Merci. Un conseiller vous contactera uniquement par le moyen que vous avez choisi. En danger ? Appelez le {$police} ou le {$police_alt}.
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
    [triage] d'après son message
   *[other] {$category}
}
page-lang = { $lang ->
    [fr] français
    [fon] fon
    [sw] swahili
   *[other] anglais
}
page = SALAMA dossier {$code} : { page-urgency }, { page-category }, langue : { page-lang }. Appel possible : {$call}. SMS : {$sms}. Répondez ACCEPTE {$code} pour le prendre.
page-unanswered = SALAMA dossier {$code} SANS RÉPONSE : { page-urgency }, { page-category }, langue : { page-lang }. Répondez ACCEPTE {$code} pour le prendre.
cmd-acked = Le dossier {$code} est à vous. Appel possible : {$call}. SMS : {$sms}. Pour écrire à la personne, envoyez {$code} puis votre texte. Envoyez APPELER {$code} pour avoir son numéro, FERMER {$code} à la fin.
cmd-taken = Le dossier {$code} est déjà pris par {$name}.
cmd-no-case = Aucun dossier ouvert avec le code {$code}.
cmd-no-pending = Aucun dossier ne vous attend : envoyez ACCEPTE avec le code du dossier.
cmd-not-yours = Le dossier {$code} n'est pas à vous : envoyez d'abord ACCEPTE {$code}.
cmd-sms-unsafe = La personne a dit que les SMS sont risqués : rien n'a été envoyé.
cmd-relayed = Envoyé à {$code}.
cmd-call = Dossier {$code} : son numéro est {$number}. Moment sans risque : {$time}.
cmd-call-unsafe = Dossier {$code} : la personne a dit qu'un appel est risqué. N'appelez pas.
cmd-call-outside = Dossier {$code} : la personne a dit qu'on peut l'appeler seulement à ce moment-là : {$time}. Ce n'est pas maintenant.
cmd-passed = Dossier {$code} transmis au niveau suivant.
cmd-closed = Dossier {$code} fermé.
cmd-who = De garde : {$names}.
cmd-help = ACCEPTE code : prendre un dossier. code texte : écrire à la personne. APPELER code : son numéro. PASSER code : niveau suivant. FERMER code résultat : clore. QUI : qui est de garde.
relay-from-survivor = {$code} : {$text}
triage-critical = Si vous êtes en danger maintenant, appelez le {$police} ou le {$police_alt} (gratuit). Nous alertons un conseiller.
case-unanswered = Nous n'avons pas encore pu joindre un conseiller. En danger ? Appelez le {$police} ou le {$police_alt} (gratuit). Soutien : INF, {$support}.
